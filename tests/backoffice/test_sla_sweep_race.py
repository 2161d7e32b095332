"""`flask --app wsgi sla sweep` as cron runs it: two real processes at once, on SQLite and on PostgreSQL.

Every overdue request goes up exactly once: one Appeal row, one history entry
and one set of messages each, however the two sweepers share the work.
"""
import datetime
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import psycopg2

from backoffice.config import ROOT
from models import (
    Appeal, Area, Citizen, Department, Designation, District, Officer, Outbox, Post, RequestEvent, Service,
    ServiceRequest, database, demo, routing,
)
from models.appeals import RUNNING_STATUSES
from models.timeutil import utcnow

FLASK = Path(sys.executable).parent / "flask"
OVERDUE = 300


def sweep(db_url, tmp_path, *args):
    env = {**os.environ, "APP_ENV": "test", "DATABASE_URL": db_url, "SECRET_KEY": "test-secret",
           "INSTANCE_PATH": str(tmp_path / "instance")}
    return subprocess.Popen([str(FLASK), "--app", "wsgi", "sla", "sweep", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def race(db_url, tmp_path, batch):
    """Both sweepers started at once; returns how many each appealed to the first authority."""
    sweepers = [sweep(db_url, tmp_path, "--batch", str(batch)) for _ in range(2)]
    outputs = [process.communicate(timeout=300) for process in sweepers]
    assert [process.returncode for process in sweepers] == [0, 0], outputs
    return [int(out.split()[0]) for out, _ in outputs]


def overdue_world():
    """Ambala with a tehsildar and an SDM, and OVERDUE requests whose time ran out yesterday, one still running."""
    with database.connection_context():
        amb = District.create(code="AMB", name_en="Ambala", name_hi="अंबाला")
        tehsil = Area.create(district=amb, code="AMB-T", name_en="Ambala tehsil", name_hi="अंबाला तहसील",
                             kind="tehsil")
        rev = Department.create(code="REV", name_en="Revenue", name_hi="राजस्व")
        tehsildar = Designation.create(department=rev, name="Tehsildar", level="area")
        sdm = Designation.create(department=rev, name="SDM", level="area")
        service = Service.create(code="REV-SC", name_en="SC certificate", name_hi="अनुसूचित जाति प्रमाण पत्र",
                                 department=rev, category="certificates", tat_value=3, tat_unit="working_days",
                                 designated_officer=tehsildar, first_appellate=sdm, status="published")
        field = Officer.create(name="Tehsildar", email="tehsildar@x.in")
        Post.create(officer=field, designation=tehsildar, area=tehsil)
        authorities = []
        for n in range(2):
            authorities.append(Officer.create(name=f"SDM {n}", email=f"sdm{n}@x.in"))
            Post.create(officer=authorities[-1], designation=sdm, area=tehsil)
        yesterday = utcnow() - datetime.timedelta(days=1)
        for n in range(OVERDUE + 1):
            citizen = Citizen.create(mobile=f"98765{n:05d}", name=f"Citizen {n}")
            ServiceRequest.create_with_tracking_number(
                citizen=citizen, service=service, district=amb, area=tehsil, status="in_progress",
                assigned_officer=field, routed_by="area", submitted_at=yesterday - datetime.timedelta(days=10),
                due_at=yesterday if n < OVERDUE else utcnow() + datetime.timedelta(days=3))
        return authorities


def test_two_sweepers_appeal_each_overdue_request_once(app, db_url, tmp_path):
    authorities = overdue_world()
    counts = race(db_url, tmp_path, batch=5)
    assert sum(counts) == OVERDUE, counts
    with database.connection_context():
        levels = Counter(level for (level,) in ServiceRequest.select(ServiceRequest.appeal_level).tuples())
        assert levels == {1: OVERDUE, 0: 1}
        per_request = Counter(request for (request,) in Appeal.select(Appeal.request).tuples())
        assert len(per_request) == OVERDUE and set(per_request.values()) == {1}
        events = Counter(r for (r,) in RequestEvent.select(RequestEvent.request)
                         .where(RequestEvent.kind == "appealed").tuples())
        assert len(events) == OVERDUE and set(events.values()) == {1}
        # The citizen's SMS, the authority's mail and the tehsildar's, once each.
        sent = Counter((row.about_request_id, row.template) for row in Outbox.select())
        assert len(sent) == 3 * OVERDUE and set(sent.values()) == {1}
        # Shared between the two SDMs by their open appeals.
        shares = Counter(pk for (pk,) in ServiceRequest.select(ServiceRequest.appealed_to)
                         .where(ServiceRequest.appeal_level == 1).tuples())
        assert set(shares) == {a.id for a in authorities} and max(shares.values()) - min(shares.values()) <= 2
    assert race(db_url, tmp_path, batch=5) == [0, 0]


def test_requests_another_sweeper_holds_are_left_to_it(app, db_url, tmp_path):
    overdue_world()
    with database.connection_context():
        held = [pk for (pk,) in ServiceRequest.select(ServiceRequest.id).order_by(ServiceRequest.id).limit(10).tuples()]
    if db_url.startswith("sqlite"):
        # SQLite locks the whole database: the sweeper waits out the busy timeout, then leaves it all.
        other = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        expected = 0
    else:
        # PostgreSQL locks rows: the sweeper passes those by and does the rest.
        other = psycopg2.connect(db_url)
        other.cursor().execute("SELECT id FROM service_request WHERE id IN %s FOR UPDATE", (tuple(held),))
        expected = OVERDUE - len(held)
    try:
        out, err = sweep(db_url, tmp_path).communicate(timeout=300)
    finally:
        other.close()  # its transaction rolled back, the lock gone
    assert out.split()[0] == str(expected), (out, err)
    out, err = sweep(db_url, tmp_path).communicate(timeout=300)
    assert out.split()[0] == str(OVERDUE - expected), (out, err)
    with database.connection_context():
        assert Appeal.select().count() == OVERDUE


def test_on_the_demo_workload_each_late_request_goes_to_its_authority_once(app, db_url, tmp_path, catalogue):
    with database.connection_context():
        demo.load()
        now = utcnow()
        late = {r.id: r for r in ServiceRequest.select().where(
            ServiceRequest.status.in_(RUNNING_STATUSES), ServiceRequest.due_at < now)}
    assert len(late) > 20
    counts = race(db_url, tmp_path, batch=10)
    assert sum(counts) == len(late)
    with database.connection_context():
        appealed = list(ServiceRequest.select().where(ServiceRequest.appeal_level > 0))
        assert {r.id for r in appealed} == set(late)
        assert Appeal.select().count() == len(late)
        for request in appealed:
            assert request.appeal_level == 1
            service = request.service
            found = routing.holders(service.first_appellate_id, request.district_id, request.area_id,
                                    department_id=service.department_id)
            expected = {o.id for o in found.officers} - {request.assigned_officer_id}
            assert request.appealed_to_id in expected or (request.appealed_to_id is None and not expected), (
                request.tracking_number, found.rule)
