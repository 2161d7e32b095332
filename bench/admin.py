"""How fast the admin's requests list and a request's details are on a large history (issue 11, item 4).

    .venv/bin/python -m bench.admin --requests 200000
    .venv/bin/python -m bench.admin --database sqlite:////tmp/loaded.db   # a database `demo load` filled

Each page is fetched through the test client, logged in as a demo officer,
--runs times; the median is written beside the target (50 ms), with the SQL
statements the page cost (counted by a peewee query hook: constant in the
page's size, or a list has an N+1). Not a test: run it by hand or by bench/run.
"""
import argparse
import tempfile
from pathlib import Path

from peewee import fn

from models import Citizen, Department, Service, ServiceRequest, database, demo

from .common import app_for, load, load_average, logged_in, median_ms, table, target

TARGET_MS = 50
STATE = f"state-admin@{demo.EMAIL_DOMAIN}"
DISTRICT = f"district-admin.hsr@{demo.EMAIL_DOMAIN}"
AGENT = f"helpdesk-1@{demo.EMAIL_DOMAIN}"


def status_filter(app, status):
    """The list's address filtered by `status`."""
    view = next(v for v in app.extensions["admin"][0]._views if getattr(v, "endpoint", "") == "request")
    index = next(i for i, f in enumerate(view._filters) if getattr(f, "column", None) is ServiceRequest.status)
    return f"/admin/request/?flt0_{index}={status}"


class Statements:
    """Counts the SQL statements run while it is on."""

    def __init__(self):
        self.count = 0

    def __call__(self, event):
        self.count += 1

    def during(self, work):
        database.obj.query_hooks.append(self)
        self.count = 0
        try:
            work()
        finally:
            database.obj.query_hooks.remove(self)
        return self.count


def pages(app):
    """(label, who, address) of every page timed."""
    with app.app_context(), database.connection_context():
        request = ServiceRequest.select().order_by(ServiceRequest.id.desc()).first()
        mobile = Citizen.get_by_id(request.citizen_id).mobile
        filtered = status_filter(app, "in_progress")
        # The department with the fewest requests: its administrator's page is the rarest among the newest.
        smallest = (Department.select(Department.code).join(Service).join(ServiceRequest)
                    .group_by(Department.code).order_by(fn.COUNT(ServiceRequest.id), Department.code).scalar())
    department = f"department-admin.{smallest.lower()}@{demo.EMAIL_DOMAIN}"
    return [
        ("requests list, first page", STATE, "/admin/request/"),
        ("requests list, page 1,000", STATE, "/admin/request/?page=999"),
        ("requests list, status filter (in progress)", STATE, filtered),
        ("requests list, search by tracking number", STATE, f"/admin/request/?search={request.tracking_number}"),
        ("requests list, search by mobile number", STATE, f"/admin/request/?search={mobile}"),
        ("requests list, first page, district administrator", DISTRICT, "/admin/request/"),
        (f"requests list, first page, department administrator ({smallest}, the fewest requests)", department,
         "/admin/request/"),
        ("requests list, look-up by tracking number, help-desk agent", AGENT,
         f"/admin/request/?search={request.tracking_number}"),
        ("request details", STATE, f"/admin/request/details/?id={request.id}"),
    ]


def measure(app, runs):
    """[(label, median, target, verdict, statements)] for every page."""
    clients = {}
    rows = []
    counter = Statements()
    for label, who, address in pages(app):
        client = clients.get(who) or clients.setdefault(who, logged_in(app, who))
        response = client.get(address)
        assert response.status_code == 200, (address, response.status_code)
        statements = counter.during(lambda: client.get(address))
        median = median_ms(lambda: client.get(address), runs)
        rows.append((label, f"{median:.1f} ms", f"{TARGET_MS} ms", "met" if median < TARGET_MS else "MISSED",
                     statements))
    return rows


def section(name, rows, requests, runs):
    lines = [f"### Admin pages, {name}", "",
             f"{requests:,} requests; median of {runs} GETs through the test client; load average "
             f"{load_average()}.", ""]
    return lines + table(rows, header=("page", "median", "target", "", "SQL statements")) + [""]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database", help="a database `demo load` filled already: time it, load nothing")
    parser.add_argument("--postgresql", help="a PostgreSQL server's URL: a fresh schema there, dropped afterwards")
    parser.add_argument("--out", help="write the markdown here rather than print it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        url, drop, name = target(args, folder)
        try:
            app = app_for(url)
            with database.connection_context():
                if not args.database:
                    load(args.requests)
                requests = ServiceRequest.select().count()
            lines = section(name, measure(app, args.runs), requests, args.runs)
        finally:
            if drop:
                drop()
    text = "\n".join(lines)
    if args.out:
        Path(args.out).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
