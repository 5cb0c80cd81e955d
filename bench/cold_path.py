"""What a buyer page costs when nothing is cached, in process, beside an ordinary detail page.

    .venv/bin/python bench/cold_path.py --database sqlite:////tmp/odop-bench/100k.sqlite3
    .venv/bin/python bench/cold_path.py --database ... --profile product   # where the time goes

For a random sample of each kind of page (from the URL lists of bench/urls.py), each request is
made through the test client three times: with every cache emptied first (Flask-Caching, and the
page cache's per-worker memos); with only the page itself not cached (a page of another kind
requested first, as on a worker that has been serving: the site's header and footer and the
shop generation are warm); and once more, served from the cache. Per page: the median time of
each; and for the page not cached, the SQL statements sent, relationship loads and, of those,
lazy loads (an attribute touched on an object, loading it one query at a time), and gettext
calls (Python and templates). Beside
them, in the same process: the ordinary Flask-SQLAlchemy detail page (bench/ordinary_app.py)
on the same products, and the bare route (bench/bare_app.py).
"""

import argparse
import cProfile
import functools
import os
import pstats
import random
import statistics
import subprocess  # nosec B404 - the project's own flask command
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

KINDS = ("home", "product", "district", "state", "search")


@dataclass
class Counts:
    """What one request did; the counters are bumped by the event listeners below."""

    statements: int = 0
    relationship_loads: int = 0
    lazy_loads: int = 0
    gettext: int = 0


@dataclass
class Sample:
    all_cold_ms: list = field(default_factory=list)
    cold_ms: list = field(default_factory=list)
    cached_ms: list = field(default_factory=list)
    counts: list = field(default_factory=list)
    statuses: set = field(default_factory=set)


CURRENT = Counts()


def count_statements(*_args, **_kwargs) -> None:
    CURRENT.statements += 1


def count_loads(execute_state) -> None:
    if execute_state.is_relationship_load:
        CURRENT.relationship_loads += 1
    if execute_state.lazy_loaded_from is not None:
        CURRENT.lazy_loads += 1


def counting(function):
    # wraps() keeps Jinja's pass_context mark on the template's gettext.
    @functools.wraps(function)
    def counted(*args, **kwargs):
        CURRENT.gettext += 1
        return function(*args, **kwargs)
    return counted


def instrument(app) -> None:
    """Count statements on the app's engine, loads on every session, and gettext calls: Flask-
    Babel's (Python code, lazy strings) and the ones templates call (installed on Jinja)."""
    import flask_babel

    with app.app_context():
        from odop_bazaar.extensions import db
        event.listen(db.engine, "before_cursor_execute", count_statements)
    if not getattr(Session, "_bench_counted", False):
        event.listen(Session, "do_orm_execute", count_loads)
        Session._bench_counted = True
        for name in ("gettext", "ngettext", "pgettext", "npgettext"):
            setattr(flask_babel.Domain, name, counting(getattr(flask_babel.Domain, name)))
    for name in ("gettext", "ngettext", "pgettext", "npgettext", "_"):
        if name in app.jinja_env.globals:
            app.jinja_env.globals[name] = counting(app.jinja_env.globals[name])


def forget_everything(app) -> None:
    """Empty every cache the app keeps: Flask-Caching's, and page_cache's memos per worker."""
    from odop_bazaar.extensions import cache

    with app.app_context():
        cache.clear()
    for name in [n for n in app.extensions if str(n).startswith("page_cache")]:
        del app.extensions[name]


def timed_get(client, path: str) -> tuple[float, Counts, int]:
    global CURRENT
    CURRENT = Counts()
    started = time.perf_counter()
    response = client.get(path)
    response.get_data()
    return (time.perf_counter() - started) * 1000, CURRENT, response.status_code


def measure(app, paths: list[str], *, forget: bool = True) -> Sample:
    """Each path three times: with every cache empty; with only its own page not cached (the
    site-wide parts warmed by a page of another kind first); and from the cache. The counts
    are those of the second, the cost of a page not seen before on a worker that is serving."""
    from odop_bazaar.models.reference import SECTORS

    primer = f"/sectors/{SECTORS[0].slug}"
    client = app.test_client()
    sample = Sample()
    for path in paths:
        if forget:
            forget_everything(app)
            sample.all_cold_ms.append(timed_get(client, path)[0])
            forget_everything(app)
            client.get(primer).get_data()
        ms, counts, status = timed_get(client, path)
        sample.cold_ms.append(ms)
        sample.counts.append(counts)
        sample.statuses.add(status)
        if forget:
            sample.cached_ms.append(timed_get(client, path)[0])
    return sample


def sample_paths(urls: Path, per_kind: int, rng: random.Random) -> dict[str, list[str]]:
    lists = {name: (urls / f"{name}.txt").read_text().split()
             for name in ("products", "places", "searches")}
    districts = [p for p in lists["places"] if p.startswith("/districts/")]
    states = [p for p in lists["places"] if p.startswith("/states/")]

    def pick(items, n):
        return rng.sample(items, min(n, len(items)))

    return {"home": ["/"] * min(per_kind, 20), "product": pick(lists["products"], per_kind),
            "district": pick(districts, per_kind), "state": pick(states, min(per_kind, 36)),
            "search": pick(lists["searches"], per_kind)}


def spread(values: list[int]) -> str:
    low, high = min(values), max(values)
    middle = statistics.median(values)
    return f"{middle:g}" if low == high else f"{middle:g} ({low}–{high})"


def row(name: str, sample: Sample) -> str:
    c = sample.counts

    def ms(values):
        # The mean too: a few costly pages (a common word's search) set the throughput.
        return (f"{statistics.median(values):.1f} / {statistics.mean(values):.1f} ms"
                if values else "—")

    return (f"| {name} | {len(c)} | {ms(sample.all_cold_ms)} | {ms(sample.cold_ms)} "
            f"| {ms(sample.cached_ms)} | {spread([x.statements for x in c])} "
            f"| {spread([x.relationship_loads for x in c])} | {spread([x.lazy_loads for x in c])} "
            f"| {spread([x.gettext for x in c])} | {', '.join(map(str, sorted(sample.statuses)))} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--samples", type=int, default=100, help="pages of each kind")
    parser.add_argument("--urls", type=Path, help="URL lists (default /tmp/odop-bench/"
                        "urls-<database name>, made when missing)")
    parser.add_argument("--profile", choices=KINDS, help="print where a cold page's time goes")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))  # run as a script
    subprocess.run([str(root / ".venv" / "bin" / "flask"), "db", "upgrade"], cwd=root,  # nosec B603
                   env={**os.environ, "FLASK_APP": "wsgi.py"}, check=True, capture_output=True)
    urls = args.urls or Path("/tmp/odop-bench") / f"urls-{Path(args.database).stem}"
    if not (urls / "products.txt").exists():
        from bench.urls import build
        build(urls)

    from bench import bare_app, ordinary_app
    from odop_bazaar import create_app

    app = create_app()
    instrument(app)
    instrument(ordinary_app.app)
    paths = sample_paths(urls, args.samples, random.Random(args.seed))  # nosec B311
    measure(app, paths["home"][:2])  # imports, templates compiled, connections open
    measure(ordinary_app.app, paths["product"][:2], forget=False)
    if args.profile:
        return profile(app, paths[args.profile])
    print(f"{args.database}: times are median / mean over the sample; counts, median (min–max), "
          "are those of a page not cached on a warm worker\n")
    print("| page | sample | every cache empty | page not cached | cached | SQL statements "
          "| relationship loads | lazy loads | gettext calls | answers |\n"
          "|---|---|---|---|---|---|---|---|---|---|")
    for kind in KINDS:
        print(row(kind, measure(app, paths[kind])))
    print(row("ordinary Flask-SQLAlchemy product page",
              measure(ordinary_app.app, paths["product"], forget=False)))
    print(row("bare route (yardstick)", measure(bare_app.app, ["/"] * 200, forget=False)))


def profile(app, paths: list[str]) -> None:
    from odop_bazaar.models.reference import SECTORS

    client = app.test_client()
    profiler = cProfile.Profile()
    for path in paths:
        forget_everything(app)
        client.get(f"/sectors/{SECTORS[0].slug}").get_data()
        profiler.enable()
        client.get(path).get_data()
        profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
