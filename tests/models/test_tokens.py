"""Bearer tokens: stored hashed, expiring, revoked at logout, dead with the officer's deactivation."""
import datetime

from models import ApiToken, Citizen, Officer, tokens
from models.timeutil import utcnow


def citizen():
    return Citizen.create(mobile="9812300001", name="Ram Lal")


def test_a_token_stands_for_its_citizen_and_only_its_hash_is_stored(db):
    person = citizen()
    token, expires = tokens.issue(person)
    assert len(token) >= 43 and not ApiToken.select().where(ApiToken.token_hash == token).exists()
    assert tokens.holder(token).id == person.id
    assert expires - utcnow() > datetime.timedelta(days=29)
    assert tokens.holder(token + "x") is None and tokens.holder("") is None and tokens.holder(None) is None


def test_a_token_expires(db):
    token, expires = tokens.issue(citizen())
    assert tokens.holder(token, now=expires - datetime.timedelta(seconds=1)) is not None
    assert tokens.holder(token, now=expires) is None


def test_logout_revokes_this_token_only(db):
    person = citizen()
    first, _ = tokens.issue(person)
    second, _ = tokens.issue(person)
    assert tokens.revoke(first) is True
    assert tokens.holder(first) is None and tokens.holder(second).id == person.id
    assert tokens.revoke(first) is False


def test_deactivating_an_officer_ends_his_tokens_for_good(db):
    officer = Officer.create(name="Kavita", email="kavita@x.in")
    token, expires = tokens.issue(officer)
    assert expires - utcnow() <= datetime.timedelta(hours=12)
    assert tokens.holder(token).id == officer.id
    officer.active = False
    officer.save()
    assert tokens.holder(token) is None
    officer.active = True
    officer.save()
    assert tokens.holder(token) is None
    assert tokens.holder(tokens.issue(officer)[0]).id == officer.id


def test_a_new_password_ends_an_officers_tokens(db):
    officer = Officer.create(name="Kavita", email="kavita@x.in")
    token, _ = tokens.issue(officer)
    officer.set_password("a new and long password")
    officer.save()
    assert tokens.holder(token) is None
