"""The daily digest (models/digest.py): what goes in it, and queueing it once a day."""
import datetime

import pytest

from models import DigestSent, ServiceRequest, digest
from models.clock import ist_day_end, ist_day_start
from tests.world import build

TODAY = datetime.date(2026, 12, 9)
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def world(db):
    return build()


def due(request, at, status="in_progress"):
    ServiceRequest.update(due_at=at, status=status).where(ServiceRequest.id == request.id).execute()


def numbers(rows):
    return {row.tracking_number for row in rows}


def test_due_today_and_overdue_go_by_the_ist_day(world):
    mine, other = world.requests["REV", "AMB"], world.requests["REV", "HSR"]
    ServiceRequest.update(assigned_officer=world.tehsildar_amb).where(ServiceRequest.id == other.id).execute()
    due(mine, ist_day_start(TODAY))
    due(other, ist_day_start(TODAY) - SECOND)
    found = digest.digest_for(world.tehsildar_amb, TODAY)
    assert numbers(found["due_today"]) == {mine.tracking_number}
    assert numbers(found["overdue"]) == {other.tracking_number}

    due(mine, ist_day_end(TODAY) + SECOND)  # tomorrow
    due(other, ist_day_start(TODAY) - SECOND, status="rejected")  # closed: its clock has stopped
    found = digest.digest_for(world.tehsildar_amb, TODAY)
    assert found["due_today"] == [] and found["overdue"] == []
    assert found["new_appeals"] == []
    assert {c.id for c in found["unread_circulars"]} == {world.amb_circular.id, world.rev_circular.id}


def test_new_appeals_are_asked_for_since_the_last_digest(world, monkeypatch):
    asked = []
    monkeypatch.setattr(digest, "_new_appeals", lambda officer, since: asked.append(since) or [])
    now = datetime.datetime(2026, 12, 9, 2, 0)
    digest.digest_for(world.tehsildar_amb, TODAY, now)
    last = DigestSent.create(officer=world.tehsildar_amb, day=TODAY - datetime.timedelta(days=3),
                             sent_at=datetime.datetime(2026, 12, 6, 1, 30))
    digest.digest_for(world.tehsildar_amb, TODAY, now)
    assert asked == [now - datetime.timedelta(days=1), last.sent_at]


def test_a_digest_that_fails_is_not_recorded(world):
    def tell(officer, sections):
        raise RuntimeError("template broken")

    with pytest.raises(RuntimeError):
        digest.queue_digests(TODAY, tell)
    assert DigestSent.select().count() == 0

    told = []
    assert digest.queue_digests(TODAY, lambda officer, sections: told.append(officer.email)) == \
        {"queued": 2, "empty": 6, "already": 0}
    assert sorted(told) == ["eo@x.in", "tehsildar@x.in"]
