"""Bearer tokens for the mobile app: what a log-in hands out and every API request shows.

A token is 256 random bits; only its SHA-256 is stored (random enough that
a slow hash would add nothing), so the table alone opens no account. It ends
at its expiry, at logout (revoked), and for an officer also when his session
version moves: deactivation and a new password end his tokens as they end
his admin sessions, and reactivating him does not bring them back.
"""
import datetime
import hashlib
import secrets

from peewee import JOIN, Check, CharField, DateTimeField, ForeignKeyField, IntegerField

from .db import BaseModel
from .people import Citizen, Officer
from .timeutil import utcnow

# A citizen stays logged in on his own phone for a month; an officer's token
# lasts a working day, like his admin session would.
LIFETIME = {"citizen": datetime.timedelta(days=30), "officer": datetime.timedelta(hours=12)}


class ApiToken(BaseModel):
    token_hash = CharField(max_length=64, unique=True)
    citizen = ForeignKeyField(Citizen, null=True, backref="+", on_delete="CASCADE")
    officer = ForeignKeyField(Officer, null=True, backref="+", on_delete="CASCADE")
    # The officer's session version when it was issued (see the module's docstring).
    officer_version = IntegerField(null=True)
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    revoked_at = DateTimeField(null=True)

    class Meta:
        table_name = "api_token"
        constraints = [Check("(citizen_id IS NULL) <> (officer_id IS NULL)")]


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def issue(person, now=None):
    """A new token for `person` (a Citizen or an Officer): (the token, when it expires)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    kind = "officer" if isinstance(person, Officer) else "citizen"
    expires = now + LIFETIME[kind]
    fields = ({"officer": person, "officer_version": person.session_version} if kind == "officer"
              else {"citizen": person})
    ApiToken.create(token_hash=_hash(token), created_at=now, expires_at=expires, **fields)
    return token, expires


def holder(token, now=None):
    """The Citizen or active Officer `token` stands for, or None when it is unknown, expired or revoked."""
    if not token:
        return None
    now = now or utcnow()
    row = (ApiToken.select(ApiToken, Citizen, Officer)
           .join_from(ApiToken, Citizen, JOIN.LEFT_OUTER)
           .join_from(ApiToken, Officer, JOIN.LEFT_OUTER)
           .where(ApiToken.token_hash == _hash(token), ApiToken.revoked_at.is_null(), ApiToken.expires_at > now)
           .first())
    if row is None:
        return None
    if row.citizen_id is not None:
        return row.citizen
    officer = row.officer
    return officer if officer.active and officer.session_version == row.officer_version else None


def revoke(token, now=None):
    """Log out: the token stops working at once. Returns whether it was a live token."""
    return bool(ApiToken.update(revoked_at=now or utcnow())
                .where(ApiToken.token_hash == _hash(token or ""), ApiToken.revoked_at.is_null())
                .execute())
