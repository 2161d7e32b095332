"""Citizens' one-time log-in codes: hashed, five minutes, five tries, throttled per number and per address."""
import datetime
import threading
import uuid

import pytest
import redis

from models import Citizen, DomainError, LoginCode, database, login_codes
from models.timeutil import utcnow
from tests.rows import snapshot

KEY = "test-secret"
IP = "203.0.113.7"


def later(now, **delta):
    return now + datetime.timedelta(**delta)


@pytest.fixture(params=["database", "redis"])
def counts(request):
    """Where the throttle counts: the codes' rows, or Redis (REDIS_URL), under a prefix of this test's own."""
    if request.param == "database":
        yield login_codes.DatabaseCounts()
        return
    client = redis.Redis.from_url(request.getfixturevalue("redis_server"))
    prefix = f"test:{uuid.uuid4().hex}:"
    yield login_codes.RedisCounts(client, prefix=prefix)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


def issue(mobile="9812300001", ip=IP, now=None, counts=None):
    return login_codes.issue(mobile, ip, KEY, now=now, counts=counts)


def refused(code, step):
    with pytest.raises(DomainError) as caught:
        step()
    assert caught.value.code == code
    return caught.value


def test_a_code_is_six_digits_stored_only_as_an_hmac(db):
    number, code, row = issue("+91 98123-00001")
    assert number == "9812300001" and len(code) == 6 and code.isdigit()
    stored = LoginCode.get_by_id(row.id)
    assert code not in (stored.code_hmac, stored.salt) and len(stored.code_hmac) == 64
    assert stored.expires_at - stored.created_at == datetime.timedelta(minutes=5)


def test_the_right_code_logs_in_a_new_number_as_a_new_citizen_once(db):
    _, code, _ = issue()
    citizen = login_codes.verify("09812300001", code, KEY)
    assert citizen.mobile == "9812300001" and Citizen.select().count() == 1
    before = snapshot()
    refused("login_code_wrong", lambda: login_codes.verify("9812300001", code, KEY))
    assert snapshot() == before


def test_a_known_number_finds_its_citizen(db):
    known = Citizen.create(mobile="9812300001", name="Ram Lal")
    _, code, _ = issue()
    assert login_codes.verify("9812300001", code, KEY).id == known.id


def test_a_wrong_code_uses_a_try_and_changes_nothing_else(db):
    _, code, row = issue()
    before = snapshot()
    refused("login_code_wrong", lambda: login_codes.verify("9812300001", wrong(code), KEY))
    after = snapshot()
    assert LoginCode.get_by_id(row.id).tries == 1
    assert {k: v for k, v in after.items() if k != "LoginCode"} == {k: v for k, v in before.items() if k != "LoginCode"}


def wrong(code):
    return f"{(int(code) + 1) % 10**6:06d}"


def test_after_five_wrong_tries_even_the_right_code_is_refused(db):
    _, code, row = issue()
    for _ in range(5):
        refused("login_code_wrong", lambda: login_codes.verify("9812300001", wrong(code), KEY))
    before = snapshot()
    refused("login_code_wrong", lambda: login_codes.verify("9812300001", code, KEY))
    assert snapshot() == before and LoginCode.get_by_id(row.id).tries == 5
    assert Citizen.select().count() == 0


def test_an_expired_code_is_refused_and_nothing_changes(db):
    now = utcnow()
    _, code, _ = issue(now=now)
    before = snapshot()
    refused("login_code_expired",
            lambda: login_codes.verify("9812300001", code, KEY, now=later(now, minutes=5, seconds=1)))
    assert snapshot() == before
    assert login_codes.verify("9812300001", code, KEY, now=later(now, minutes=4, seconds=59))


def test_only_the_newest_code_counts(db):
    now = utcnow()
    _, first, _ = issue(now=now)
    _, second, _ = issue(now=later(now, minutes=1))
    if first != second:
        refused("login_code_wrong", lambda: login_codes.verify("9812300001", first, KEY, now=later(now, minutes=1)))
    assert login_codes.verify("9812300001", second, KEY, now=later(now, minutes=1))


def test_a_code_signed_with_another_key_is_refused(db):
    _, code, _ = issue()
    refused("login_code_wrong", lambda: login_codes.verify("9812300001", code, "another key"))


def test_no_code_for_a_number_that_is_not_a_mobile(db):
    refused("mobile_invalid", lambda: issue("12345"))
    refused("mobile_invalid", lambda: login_codes.verify("12345", "123456", KEY))
    assert LoginCode.select().count() == 0


def test_resending_waits_a_minute(db, counts):
    now = utcnow()
    issue(now=now, counts=counts)
    before = snapshot()
    error = refused("login_code_throttled", lambda: issue(now=later(now, seconds=20), counts=counts))
    assert error.params == {"seconds": 40} and snapshot() == before
    issue(now=later(now, seconds=60), counts=counts)


def test_five_codes_an_hour_per_number(db, counts):
    now = utcnow()
    for minute in range(5):
        issue(now=later(now, minutes=minute), counts=counts)
    error = refused("login_code_throttled", lambda: issue(now=later(now, minutes=10), counts=counts))
    assert error.params == {"seconds": 50 * 60}
    issue(now=later(now, minutes=60, seconds=1), counts=counts)
    # Another number from the same address is not held up by this one.
    issue("9812300002", now=later(now, minutes=10), counts=counts)


def test_twenty_codes_an_hour_per_address(db, counts):
    now = utcnow()
    for n in range(20):
        issue(f"98123{n:05d}", now=later(now, seconds=n), counts=counts)
    refused("login_code_throttled", lambda: issue("9812399999", now=later(now, minutes=1), counts=counts))
    issue("9812399999", ip="198.51.100.1", now=later(now, minutes=1), counts=counts)


def test_two_workers_asking_at_the_same_moment_send_one_code(db, counts):
    start, outcomes = threading.Barrier(4), []

    def ask():
        # Each on a connection of its own, as two app servers would be.
        with database.connection_context():
            start.wait()
            try:
                issue(counts=counts)
                outcomes.append("sent")
            except DomainError as error:
                outcomes.append(error.code)

    workers = [threading.Thread(target=ask) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(outcomes) == ["login_code_throttled"] * 3 + ["sent"]
    assert LoginCode.select().count() == 1
