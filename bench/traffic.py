"""Buyer pages under traffic spread the way shoppers spread it, beside the yardstick in the same run.

    .venv/bin/python bench/traffic.py --database sqlite:////tmp/odop-bench/100k.sqlite3 --duration 10
    .venv/bin/python bench/traffic.py \
        --database postgresql+psycopg://postgres@127.0.0.1:5432/bench_100k --duration 10

Brings the database's schema up to date (`flask db upgrade`), makes the URL lists from it
(bench/urls.py), starts the app, the yardstick (bench/bare_app.py) and an ordinary
Flask-SQLAlchemy detail page (bench/ordinary_app.py) under gunicorn with 2 sync workers each, and
runs each workload with wrk (2 threads, 8 connections, a random path per request:
bench/random_paths.lua). The JSON API's public listing detail and search are asked the same
way, for the same products and searches (bench/urls.py api_paths). Other work on the machine
comes and goes, so the yardstick runs right before and right after every row (one run between
two rows serves both), and a row's ratio is its req/s over the mean of the two. Each row is
first warmed, unmeasured, with as many requests as its list has paths (between --warm and
--warm-max seconds): the figures are for workers that have been serving that traffic, not ones
just started.

Prints a markdown table: req/s, p99, the yardstick before and after, the ratio, distinct URLs
asked for, answers other than 200, the requests of the warm-up and the load average (1 minute)
as the row started.
"""

import argparse
import json
import os
import random
import signal
import socket
import subprocess  # nosec B404 - runs the project's own tools and wrk
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
LUA = ROOT / "bench" / "random_paths.lua"

# (name, server, URL list, with the writer) in the order they run.
ROWS = [
    ("product pages, random", "app", "products.txt", False),
    ("ordinary Flask-SQLAlchemy product page, random", "ordinary", "products.txt", False),
    ("district and state pages, random", "app", "places.txt", False),
    ("searches, random", "app", "searches.txt", False),
    ("searches, random, shop changing once a second", "app", "searches.txt", True),
    ("API: listing detail, random", "app", "api-listings.txt", False),
    ("API: listing search, random", "app", "api-searches.txt", False),
    ("API: listing detail, random, shop changing once a second", "app", "api-listings.txt",
     True),
    ("home", "app", "home.txt", False),
    ("mixed", "app", "mixed.txt", False),
    ("mixed, shop changing once a second", "app", "mixed.txt", True),
    ("one hot URL: home", "app", "hot-home.txt", False),
    ("one hot URL: district page", "app", "hot-district.txt", False),
    ("one hot URL: search, a common word", "app", "hot-search.txt", False),
    ("one hot URL: filtered search, page 50", "app", "hot-search-50.txt", False),
    ("one hot URL: product page", "app", "hot-product.txt", False),
]
SERVERS = {"app": "wsgi:app", "bare": "bench.bare_app:app", "ordinary": "bench.ordinary_app:app"}


@dataclass
class Run:
    rps: float
    p99_ms: float
    distinct: int
    statuses: dict
    errors: dict


@dataclass
class Row:
    name: str
    run: Run
    before: Run
    after: Run | None = None
    load: float = 0.0
    warm_requests: int = 0
    notes: list = field(default_factory=list)

    @property
    def ratio(self) -> float:
        yardstick = (self.before.rps + self.after.rps) / 2
        return self.run.rps / yardstick


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flask(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "flask"), *args], env=env, cwd=ROOT, check=True)  # nosec B603


def start_server(name: str, port: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(  # nosec B603
        [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", SERVERS[name]], env=env, cwd=ROOT)
    for _ in range(100):
        if status_of(port, "/"):  # any answer at all (the ordinary app has no "/": a 404)
            return process
        time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"{name} did not start on port {port}")


def wrk(port: int, paths: Path, seconds: float) -> Run:
    out = subprocess.run(  # nosec B603 B607
        # A 30 s timeout: a slow answer is counted (in p99) rather than dropped as an error.
        ["wrk", "-t2", "-c8", f"-d{max(1, round(seconds))}s", "--timeout", "30s", "--latency",
         "-s", str(LUA),
         f"http://127.0.0.1:{port}", "--", str(paths), str(random.randrange(1_000_000))],  # nosec B311
        capture_output=True, text=True, check=True).stdout
    data = json.loads(next(line for line in out.splitlines() if line.startswith("BENCH "))[6:])
    return Run(rps=data["requests"] / (data["duration_us"] / 1e6), p99_ms=data["p99_us"] / 1000,
               distinct=data["distinct"], statuses=data["statuses"], errors=data["errors"])


class WriterProcess:
    """bench/writer.py in its own process; its JSON lines collected as they come."""

    def __init__(self, env: dict, products: Path):
        self.events: list[dict] = []
        self.process = subprocess.Popen(  # nosec B603
            [str(BIN / "python"), "-m", "bench.writer", "--products", str(products)],
            # The approvals' mail kept in memory: printed, it would mix with the JSON lines.
            env={**env, "MAIL_BACKEND": "memory"}, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        if not self.ready.wait(60):
            raise SystemExit("the writer did not start")

    def _read(self) -> None:
        for line in self.process.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue  # anything else the app prints is not the writer's news
            if not isinstance(event, dict) or "event" not in event:
                continue
            self.events.append(event)
            if event["event"] == "ready":
                self.ready.set()

    def stop(self) -> dict:
        self.process.terminate()
        self.process.wait(60)
        time.sleep(0.1)
        return next((e for e in self.events if e["event"] == "done"), {})

    def changed(self, action: str) -> list[int]:
        return [e["listing"] for e in self.events
                if e["event"] == "change" and e["action"] == action and e["listing"]]


def warm_up(port: int, paths: Path, least: float, most: float) -> int:
    """Unmeasured load: at least `least` seconds, then on until as many requests were made as
    the list has paths (the page cache has had its chance at each) or `most` seconds passed.
    Counted in requests rather than seconds so that a busy machine does not leave a row
    colder than a quiet one. Returns the requests made."""
    distinct = sum(1 for _ in paths.open())
    made, spent = 0, 0.0
    while spent < least or (made < distinct and spent < most):
        step = max(1.0, min(3.0, least))
        made += round(wrk(port, paths, step).rps * step)
        spent += step
    return made


def check_answers(row: Row, unpublished_paths: list[str] | None, port: int) -> None:
    """Every answer must be a 200, except 404s for the listings the writer unpublished."""
    others = {s: n for s, n in row.run.statuses.items() if s != "200"}
    errors = {k: v for k, v in row.run.errors.items() if v and k != "status"}
    if errors:
        row.notes.append(f"socket errors {errors}")
    if not others:
        return
    if unpublished_paths is not None and set(others) == {"404"}:
        gone = sum(1 for path in unpublished_paths if status_of(port, path) == 404)
        row.notes.append(f"404: {others['404']}, expected: the writer unpublished "
                         f"{len(unpublished_paths)} listings, whose pages now answer 404 "
                         f"({gone} of {len(unpublished_paths)} checked)")
    else:
        row.notes.append(f"UNEXPECTED answers {others}")


def status_of(port: int, path: str) -> int:
    try:
        with urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as answer:  # nosec B310
            return answer.status
    except OSError as error:
        return getattr(error, "code", 0)


def measure(name, server, paths, writes, *, ports, env, urls, args, before) -> Row:
    load = os.getloadavg()[0]
    writer = WriterProcess(env, urls / "products.txt") if writes else None
    port = args.front_port if server == "app" and args.front_port else ports[server]
    warmed = warm_up(port, urls / paths, args.warm, args.warm_max)
    run = wrk(port, urls / paths, args.duration)
    row = Row(name=name, run=run, before=before, load=load, warm_requests=warmed)
    unpublished = None
    if writer:
        by_id = {p.split("/")[2].split("-")[0]: p.strip()
                 for p in (urls / "products.txt").read_text().splitlines()}
        unpublished = [by_id[str(i)] for i in writer.changed("unpublish")]
        check_answers(row, unpublished, port)
        done = writer.stop()
        row.notes.append(f"writer: {done.get('changes', 0)} changes (approved "
                         f"{done.get('approve', 0)}, sold out {done.get('sell_out', 0)}, "
                         f"unpublished {done.get('unpublish', 0)}); undone afterwards")
        if done.get("failures"):
            row.notes.append(f"writer: {done['failures']} changes refused by the database "
                             f"({'; '.join(done['failed'])})")
        if not done:
            row.notes.append("UNEXPECTED: the writer stopped before the end (see its error)")
    else:
        check_answers(row, None, port)
    return row


def table(rows: list[Row], header: str) -> str:
    lines = [header, "",
             "| workload | req/s | p99 | yardstick before / after, req/s | ratio | distinct URLs "
             "| not 200 | warm-up requests | load |", "|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        not_200 = sum(n for s, n in row.run.statuses.items() if s != "200")
        lines.append(
            f"| {row.name} | {row.run.rps:,.0f} | {row.run.p99_ms:,.1f} ms "
            f"| {row.before.rps:,.0f} / {row.after.rps:,.0f} | {row.ratio:.3f} "
            f"| {row.run.distinct:,} | {not_200:,} | {row.warm_requests:,} | {row.load:.2f} |")
    notes = [f"- {row.name}: {note}" for row in rows for note in row.notes]
    return "\n".join(lines + ([""] + notes if notes else []))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="a SQLAlchemy URL")
    parser.add_argument("--duration", type=float, default=10, help="seconds per row")
    parser.add_argument("--yardstick", type=float, default=5, help="seconds per yardstick run")
    parser.add_argument("--warm", type=float, default=3,
                        help="unmeasured seconds before a row, at least")
    parser.add_argument("--warm-max", type=float, default=15,
                        help="unmeasured seconds before a row, at most (see warm_up)")
    parser.add_argument("--rows", default="", help="only rows whose name contains one of "
                        "these comma-separated words")
    parser.add_argument("--app-port", type=int, help="the app's gunicorn on this port (for a "
                        "proxy in front to forward to); a free one by default")
    parser.add_argument("--front-port", type=int, help="send the app's rows to this port "
                        "instead: a proxy cache (nginx) in front of --app-port")
    parser.add_argument("--urls", type=Path, help="where the URL lists go (default "
                        "/tmp/odop-bench/urls-<database name>)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    # Stopped from outside: still stop the servers (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))

    # wrk asks from one address: the API's limit per address (300 a minute) is lifted, so its
    # rows measure the API; the limiter's own bookkeeping is still in them.
    env = {"API_RATE_LIMIT": "100000000 per minute", **os.environ,
           "DATABASE_URL": args.database, "FLASK_APP": "wsgi.py"}
    urls = args.urls or Path("/tmp/odop-bench") / f"urls-{Path(args.database).stem}"
    flask(env, "db", "upgrade")
    subprocess.run([str(BIN / "python"), "-m", "bench.urls", "--database", args.database,  # nosec B603
                    "--out", str(urls)], env=env, cwd=ROOT, check=True)
    counts = {name: sum(1 for _ in (urls / f"{name}.txt").open())
              for name in ("products", "places", "searches", "api-searches")}
    ports = {name: free_port() for name in SERVERS}
    ports["app"] = args.app_port or ports["app"]
    servers = []
    try:
        for name, port in ports.items():
            servers.append(start_server(name, port, env))
        rows = run_rows(args, env, urls, ports)
    finally:
        for server in servers:
            server.terminate()
            server.wait(30)
    header = (f"{args.database}: {counts['products']:,} product URLs, {counts['places']:,} "
              f"district and state URLs, {counts['searches']:,} searches "
              f"({counts['api-searches']:,} as API searches); {args.duration:g} s "
              f"a row after a warm-up of {args.warm:g}-{args.warm_max:g} s, yardstick "
              f"{args.yardstick:g} s "
              f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
              f"commit {git_commit()})"
              + (f"; the app's rows through the proxy on port {args.front_port}"
                 if args.front_port else ""))
    print(table(rows, header))
    if args.json:
        args.json.write_text(json.dumps(
            {"header": header, "rows": [dict(name=r.name, rps=r.run.rps, p99_ms=r.run.p99_ms,
                                              before=r.before.rps, after=r.after.rps,
                                              ratio=r.ratio, distinct=r.run.distinct,
                                              warm_requests=r.warm_requests,
                                              statuses=r.run.statuses, load=r.load,
                                              notes=r.notes) for r in rows]}, indent=1))


def run_rows(args, env: dict, urls: Path, ports: dict) -> list[Row]:
    bare = urls / "bare.txt"
    bare.write_text("/\n")
    wrk(ports["bare"], bare, 2)  # the workers are up and have compiled their template
    yardstick = wrk(ports["bare"], bare, args.yardstick)
    wanted = [w.strip() for w in args.rows.split(",") if w.strip()]
    rows = []
    for name, server, paths, writes in ROWS:
        if wanted and not any(word in name for word in wanted):
            continue
        row = measure(name, server, paths, writes, ports=ports, env=env, urls=urls, args=args,
                      before=yardstick)
        row.after = yardstick = wrk(ports["bare"], bare, args.yardstick)
        rows.append(row)
        print(f"  {name}: {row.run.rps:,.0f} req/s, ratio {row.ratio:.3f}", file=sys.stderr)
    return rows


def git_commit() -> str:
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,  # nosec B603 B607
                          capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    main()
