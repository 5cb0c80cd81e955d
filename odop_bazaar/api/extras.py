"""An object with a few more attributes beside its own, for a schema to dump: what a page
shows beside a model (its history, where its review stands) read from the services, so that
every field of the answer is a typed field of its schema."""


class With:
    """`obj`, plus `extras` as attributes (an extra hides an attribute of the same name)."""

    def __init__(self, obj, **extras):
        self._obj = obj
        self.__dict__.update(extras)

    def __getattr__(self, name: str):
        return getattr(self._obj, name)
