"""The outbox's rules without Flask: the transaction, claims, back-off and the admin's decisions."""
import datetime

import pytest

from models import DomainError, HelpTicket, Outbox, database, notifications
from models.timeutil import utcnow

MINUTE = datetime.timedelta(minutes=1)


def queue(n=1, **fields):
    return [notifications.queue("email", f"officer{i}@example.gov.in", "Hello", language="en",
                                message_id=notifications.new_message_id("example.gov.in"), **fields)
            for i in range(n)]


def test_a_notification_lives_and_dies_with_the_callers_transaction(db):
    with database.atomic() as transaction:
        queue(attachments=[("a.pdf", "application/pdf", b"%PDF")])
        transaction.rollback()
    assert Outbox.select().count() == 0
    with database.atomic():
        [row] = queue(attachments=[("a.pdf", "application/pdf", b"%PDF")])
    assert Outbox.get_by_id(row.id).status == "pending"
    assert bytes(row.attachments.get().content) == b"%PDF"


def test_what_a_notification_is_about_has_a_column_of_its_own(db):
    ticket = HelpTicket.create(number="T-1", channel="email")
    [row] = queue(about=ticket)
    assert Outbox.get_by_id(row.id).about_ticket_id == ticket.id
    with pytest.raises(ValueError):
        queue(about=row)


def test_claims_never_overlap_and_take_only_what_is_due(db):
    queue(7)
    now = utcnow()
    Outbox.update(next_attempt_at=now + MINUTE).where(Outbox.address == "officer6@example.gov.in").execute()
    first = notifications.claim("first", now, 3)
    second = notifications.claim("second", now, 10)
    third = notifications.claim("third", now, 10)
    assert len(first) == 3 and len(second) == 3 and third == []
    assert not {r.id for r in first} & {r.id for r in second}
    assert all(r.status == "sending" and r.attempts == 1 for r in first + second)


def test_a_message_due_later_is_not_claimed_now(db):
    [row] = queue()
    now = utcnow()
    Outbox.update(next_attempt_at=now + MINUTE).execute()
    assert notifications.claim("early", now, 10) == []
    assert [r.id for r in notifications.claim("on time", now + MINUTE, 10)] == [row.id]


def test_the_back_off_doubles_up_to_an_hour_and_then_gives_up(db):
    assert [notifications.backoff(n) for n in (1, 2, 3, 7, 8, 20)] == [
        MINUTE, 2 * MINUTE, 4 * MINUTE, 60 * MINUTE, 60 * MINUTE, 60 * MINUTE]
    queue()
    now = utcnow()
    for attempt in range(1, notifications.MAX_ATTEMPTS + 1):
        [row] = notifications.claim("sender", now, 1)
        assert row.attempts == attempt
        notifications.retry_later(row, "421 busy", now)
        now = Outbox.get_by_id(row.id).next_attempt_at
    row = Outbox.get_by_id(row.id)
    assert row.status == "failed" and "gave up after 24 attempts" in row.last_error


def test_an_outcome_is_recorded_only_by_the_sender_that_holds_the_claim(db):
    queue()
    now = utcnow()
    [row] = notifications.claim("slow", now, 1)
    # The slow sender was taken for dead, and an admin sent the message again.
    assert notifications.expire_stuck(now + notifications.STUCK_AFTER + MINUTE) == 1
    assert not notifications.mark_sent(row, now)
    assert Outbox.get_by_id(row.id).status == "uncertain"


def test_an_admin_retries_with_the_same_message_id(db):
    [queued] = queue()
    now = utcnow()
    [row] = notifications.claim("sender", now, 1)
    notifications.mark_failed(row, "550 no such user")
    notifications.retry(row, now)
    again = Outbox.get_by_id(row.id)
    assert (again.status, again.attempts, again.message_id) == ("pending", 0, queued.message_id)
    with pytest.raises(DomainError) as refused:
        notifications.retry(again)
    assert refused.value.code == "outbox_not_retryable"
    with pytest.raises(DomainError) as refused:
        notifications.confirm_sent(again)
    assert refused.value.code == "outbox_not_uncertain"


def test_an_admin_confirms_an_uncertain_message(db):
    queue()
    [row] = notifications.claim("sender", utcnow(), 1)
    notifications.mark_uncertain(row, "no answer")
    notifications.confirm_sent(row)
    assert Outbox.get_by_id(row.id).status == "sent"
