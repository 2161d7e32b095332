"""How fast `sla sweep` appeals the overdue requests of a whole history (issue 11, item 5).

    .venv/bin/python -m bench.sweep --requests 200000 [--postgresql URL]
    .venv/bin/python -m bench.sweep --database sqlite:////tmp/loaded.db   # changes that database

Makes SHARE (5%) of all the requests newly overdue: that many running
requests at no appeal level get a due date an hour ago, every other running
one a due date a month ahead. Then one sweep (backoffice.appeal_workflow.sweep,
as the CLI and the worker run it, everyone told through the outbox) appeals
them; the target is the whole history in under 30 seconds. It changes the
requests, so bench/run runs it last.
"""
import argparse
import datetime
import tempfile
import time
from pathlib import Path

from backoffice import appeal_workflow
from models import ServiceRequest, database
from models.appeals import RUNNING

from .common import app_for, load, load_average, table, target

SHARE = 0.05
TARGET_S = 30


def make_overdue(share, now):
    """Exactly `share` of the requests newly overdue at level 0 (fewer if fewer run); returns how many."""
    total = ServiceRequest.select().count()
    running = ServiceRequest.select(ServiceRequest.id).where(RUNNING, ServiceRequest.appeal_level == 0)
    wanted = min(round(total * share), running.count())
    chosen = running.order_by(ServiceRequest.id).limit(wanted)
    with database.atomic():
        (ServiceRequest.update(due_at=now + datetime.timedelta(days=30))
         .where(ServiceRequest.id.in_(running)).execute())
        ServiceRequest.update(due_at=now - datetime.timedelta(hours=1)).where(ServiceRequest.id.in_(chosen)).execute()
    return total, wanted


def measure(app, share=SHARE):
    """[(label, figure, target, verdict)] for one sweep over `share` newly overdue requests."""
    now = datetime.datetime.utcnow().replace(microsecond=0)
    with app.app_context(), database.connection_context():
        total, wanted = make_overdue(share, now)
        started = time.perf_counter()
        counts = appeal_workflow.sweep(now=now)
        took = time.perf_counter() - started
    return [
        (f"`sla sweep`, {wanted:,} newly overdue of {total:,} requests", f"{took:.1f} s", f"{TARGET_S} s",
         "met" if took < TARGET_S else "MISSED"),
        ("requests appealed per second", f"{counts[1] / took:,.0f}" if took else "-", "", ""),
        ("appealed to the first authority", f"{counts[1]:,}", f"{wanted:,}", "met" if counts[1] == wanted else "MISSED"),
    ]


def section(name, rows):
    return [f"### SLA sweep, {name}", "", f"Load average {load_average()}.", ""] + table(rows) + [""]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--database", help="a database `demo load` filled already (its requests are changed)")
    parser.add_argument("--postgresql", help="a PostgreSQL server's URL: a fresh schema there, dropped afterwards")
    parser.add_argument("--out", help="write the markdown here rather than print it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        url, drop, name = target(args, folder)
        try:
            app = app_for(url)
            if not args.database:
                with database.connection_context():
                    load(args.requests)
            lines = section(name, measure(app))
        finally:
            if drop:
                drop()
    text = "\n".join(lines)
    if args.out:
        Path(args.out).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
