"""How fast the dashboard is on a large history, against counting the requests directly: docs/benchmarks/dashboard.md.

    .venv/bin/python -m bench.dashboard --requests 1000000 \\
        --postgresql postgresql://postgres@127.0.0.1:5432/test

Loads the bundled catalogue and `demo load --requests N` into a fresh SQLite
file and, given --postgresql, a fresh schema of that database (dropped
afterwards); runs ANALYZE, as PostgreSQL's autovacuum would and as an operator
should after a bulk load into SQLite. Then, on each, it times --runs times:
the figures of the home page's default range (the last 30 days) for the state,
a department's and a district's administrator (models.dashboard.report); the
whole home page through the test client; and the direct GROUP BY over
service_request that the rollups replace (the counts alone: it cannot even give
the median). It checks that the two agree, and writes the medians to --out.
Not a test: it takes many minutes, so run it by hand, never with the suite.
"""
import argparse
import datetime
import os
import platform
import re
import sqlite3
import tempfile
import time
from collections import Counter
from pathlib import Path

from peewee import SQL, Case, fn
from werkzeug.security import generate_password_hash

from .common import ROOT, load_average, median_ms, postgresql_schema  # sets the import path first

from backoffice import create_app  # noqa: E402
from models import Officer, ServiceRequest, catalogue_file, clock, dashboard, database, demo, migrate  # noqa: E402
from models.deadlines import STOPPED  # noqa: E402
from models.timeutil import utcnow  # noqa: E402

PASSWORD = "bench-password-not-for-use"
BUDGET_MS = 200
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
OFFICERS = {
    "state": f"state-admin@{demo.EMAIL_DOMAIN}",
    "department (Revenue)": f"department-admin.rev@{demo.EMAIL_DOMAIN}",
    "district (Hisar)": f"district-admin.hsr@{demo.EMAIL_DOMAIN}",
}


def direct(start, end, now):
    """The dashboard's counts for the whole state straight from service_request: what the rollups replace."""
    in_time = ServiceRequest.due_at.is_null() | (ServiceRequest.closed_at <= ServiceRequest.due_at)
    on_time = Case(None, [(in_time, 1)], 0)
    running = ServiceRequest.status.not_in(STOPPED + (dashboard.PAUSED,))
    overdue = Case(None, [(running & (ServiceRequest.due_at < now), 1)], 0)
    query = (ServiceRequest
             .select(ServiceRequest.service, ServiceRequest.district, ServiceRequest.status, fn.COUNT(SQL("*")),
                     fn.SUM(on_time), fn.SUM(overdue))
             .where(ServiceRequest.submitted_at >= clock.ist_day_start(start),
                    ServiceRequest.submitted_at < clock.ist_day_start(end + clock.ONE_DAY))
             .group_by(ServiceRequest.service, ServiceRequest.district, ServiceRequest.status))
    return list(query.tuples())


def agree(report, rows):
    """Whether the rollups' totals are the direct count's."""
    counted = Counter()
    for _, _, status, count, on_time, overdue in rows:
        counted["received"] += count
        counted["overdue"] += overdue
        if status in ("delivered", "rejected"):
            counted[f"{status}_on_time"] += on_time
            counted[f"{status}_late"] += count - on_time
        elif status == "withdrawn":
            counted["withdrawn"] += count
    total = report.total
    return all(getattr(total, name) == counted[name] for name in (*dashboard.COUNTS, "overdue"))


def run(name, url, requests, runs):
    """Load, then time everything on the database at `url`; returns the figures as (label, value) pairs."""
    os.environ["INSTANCE_PATH"] = tempfile.mkdtemp(prefix="bench-instance-")
    app = create_app({"APP_ENV": "test", "DATABASE_URL": url, "SECRET_KEY": "bench"})
    figures = []
    with database.connection_context():
        migrate.upgrade()
        catalogue_file.load()
        print(f"{name}: loading {requests:,} requests ...", flush=True)
        started = time.monotonic()
        demo.load(requests=requests, password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"))
        figures.append(("`demo load` (including one rebuild)", f"{time.monotonic() - started:,.0f} s"))
    return figures + measure(app, runs)


def measure(app, runs):
    """Time the figures, the direct count and the home page on the loaded database of `app`; (label, value) pairs."""
    figures = []
    with database.connection_context():
        started = time.monotonic()
        dashboard.rebuild()
        figures.append(("`dashboard rebuild`", f"{time.monotonic() - started:,.1f} s"))
        database.execute_sql("ANALYZE")
        total = ServiceRequest.select().count()
        open_requests = ServiceRequest.select().where(dashboard.OPEN).count()
        figures.append(("requests (open)", f"{total:,} ({open_requests:,})"))
        figures.append(("rollup rows (days; decision times)",
                        f"{dashboard.DayTally.select().count():,}; {dashboard.DecisionDays.select().count():,}"))
        figures.append(("load average before timing (other work on the machine)", load_average()))
        start, end = dashboard.default_range(clock.ist_date(utcnow()))
        now = utcnow()
        medians = {}
        for label, email in OFFICERS.items():
            officer = Officer.get(Officer.email == email)
            medians[label] = median_ms(lambda: dashboard.report(officer, start, end), runs)
            figures.append((f"figures, {label} administrator", f"{medians[label]:.1f} ms"))
        state = Officer.get(Officer.email == OFFICERS["state"])
        counted = median_ms(lambda: direct(start, end, now), runs)
        figures.append(("direct GROUP BY over service_request (counts only)", f"{counted:.1f} ms"))
        figures.append(("direct ÷ rollups (state)", f"{counted / medians['state']:.1f} ×"))
        figures.append(("rollups equal the direct count",
                        "yes" if agree(dashboard.report(state, start, end, now), direct(start, end, now)) else "NO"))
    client = app.test_client()
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"email": OFFICERS["state"], "password": PASSWORD, "csrf_token": token})
    assert client.get("/admin/").status_code == 200
    figures.append(("home page, state administrator (HTTP GET through the test client)",
                    f"{median_ms(lambda: client.get('/admin/'), runs):.1f} ms"))
    figures.append(("load average after timing", load_average()))
    if not database.is_closed():
        database.close()
    return figures


def write(out, requests, runs, results):
    lines = [
        "# Dashboard benchmark",
        "",
        f"Written by `bench/dashboard.py` on {datetime.date.today().isoformat()}; reproduce with",
        "",
        "```sh",
        f".venv/bin/python -m bench.dashboard --requests {requests} --runs {runs} \\",
        "    --postgresql postgresql://postgres@127.0.0.1:5432/test",
        "```",
        "",
        f"`demo load --requests {requests:,}` into a fresh database, then the median of {runs} runs of each; "
        f"the budget is {BUDGET_MS} ms for the home page. Machine: {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}.",
        "",
    ]
    for name, figures in results:
        lines += [f"## {name}", "", "| | |", "| --- | --- |"]
        lines += [f"| {label} | {value} |" for label, value in figures]
        lines.append("")
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--postgresql", help="a PostgreSQL server's URL; a fresh schema there is used and dropped")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks" / "dashboard.md"))
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        results.append((f"SQLite {sqlite3.sqlite_version}",
                        run("SQLite", f"sqlite:///{folder}/bench.db", args.requests, args.runs)))
    if args.postgresql:
        url, drop, version = postgresql_schema(args.postgresql)
        try:
            results.append((f"PostgreSQL {version}", run("PostgreSQL", url, args.requests, args.runs)))
        finally:
            drop()
    write(args.out, args.requests, args.runs, results)
    print(Path(args.out).read_text())


if __name__ == "__main__":
    main()
