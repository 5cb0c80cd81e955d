"""Development data: the demo shop (flask seed-demo) and benchmark catalogues."""

from contextlib import contextmanager

from flask import current_app


@contextmanager
def seeding_config(**values):
    """The app's configuration with these values while the block runs, as it was after."""
    config = current_app.config
    missing = object()
    before = {name: config.get(name, missing) for name in values}
    config.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is missing:
                config.pop(name, None)
            else:
                config[name] = value
