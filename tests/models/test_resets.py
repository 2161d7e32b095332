"""Password links without Flask: single use, expiry, and what ends them."""
import datetime

import pytest

from models import DomainError, Officer, resets
from models.timeutil import utcnow

PASSWORD = "a quiet morning in karnal"


@pytest.fixture
def officer(db):
    return Officer.create(name="Kavita Rani", email="kavita@example.gov.in")


def refused(token, now=None):
    with pytest.raises(DomainError) as error:
        resets.find(token, now)
    return error.value.code == "password_link_invalid"


def test_a_link_sets_the_password_once(officer):
    token = resets.issue(officer, "reset")
    assert resets.set_password(token, PASSWORD).check_password(PASSWORD)
    assert refused(token)
    with pytest.raises(DomainError):
        resets.set_password(token, "another long passphrase")


def test_only_the_hash_is_stored(officer):
    token = resets.issue(officer, "reset")
    assert not resets.PasswordLink.select().where(resets.PasswordLink.token_hash.contains(token[:10])).exists()


def test_a_reset_link_expires_after_an_hour(officer):
    now = utcnow()
    token = resets.issue(officer, "reset", now)
    assert resets.find(token, now + datetime.timedelta(minutes=59))
    assert refused(token, now + datetime.timedelta(hours=1))


def test_a_login_a_password_change_or_a_deactivation_ends_the_link(officer):
    token = resets.issue(officer, "reset")
    officer.last_login_at = utcnow()
    officer.save()
    assert refused(token)
    token = resets.issue(officer, "reset")
    officer.set_password("my own new passphrase")
    officer.save()
    assert refused(token)
    token = resets.issue(officer, "reset")
    officer.active = False
    officer.save()
    assert refused(token)


def test_a_weak_password_keeps_the_link(officer):
    token = resets.issue(officer, "reset")
    with pytest.raises(DomainError) as error:
        resets.set_password(token, "password123")
    assert error.value.code == "password_too_common"
    assert resets.set_password(token, PASSWORD)


def test_unknown_tokens_are_refused(officer):
    assert refused("") and refused("no-such-token") and refused(None)


def test_three_reset_mails_an_hour(officer):
    now = utcnow()
    for _ in range(resets.THROTTLE):
        assert resets.may_send_reset(officer, now)
        resets.issue(officer, "reset", now)
    assert not resets.may_send_reset(officer, now)
    assert resets.may_send_reset(officer, now + resets.THROTTLE_WINDOW)
