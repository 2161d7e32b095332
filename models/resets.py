"""Links that let an officer set his password: 'forgot password' and the welcome mail.

A link carries a random token; only its SHA-256 is stored, so the table
alone opens no account. A link works once, until it expires, and only while
nothing has happened to the account since it was made: a later log-in, a
password change or a deactivation (which raise the officer's session
version) each make it useless.
"""
import datetime
import hashlib
import secrets

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from .db import BaseModel, choices, database
from .errors import DomainError
from .passwords import validate_password
from .people import Officer
from .timeutil import utcnow

PURPOSES = ("reset", "welcome")
LIFETIME = {
    "reset": datetime.timedelta(hours=1),
    # A new officer may not read his mail on the day he is created.
    "welcome": datetime.timedelta(hours=72),
}
# Reset mails one account may be sent in THROTTLE_WINDOW; more requests are
# answered as usual and send nothing, so nobody can flood an officer's inbox.
THROTTLE = 3
THROTTLE_WINDOW = datetime.timedelta(hours=1)


class PasswordLink(BaseModel):
    officer = ForeignKeyField(Officer, backref="+", on_delete="CASCADE")
    token_hash = CharField(max_length=64, unique=True)
    purpose = CharField(max_length=8, choices=choices(PURPOSES))
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)
    # The officer's session version when the link was made (see the module's docstring).
    session_version = IntegerField()

    class Meta:
        table_name = "password_link"


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def may_send_reset(officer, now=None):
    now = now or utcnow()
    recent = PasswordLink.select().where(
        (PasswordLink.officer == officer) & (PasswordLink.purpose == "reset")
        & (PasswordLink.created_at > now - THROTTLE_WINDOW)).count()
    return recent < THROTTLE


def issue(officer, purpose, now=None):
    """A new link's token (to put in a URL); the caller sends it, nobody else ever sees it."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    PasswordLink.create(officer=officer, token_hash=_hash(token), purpose=purpose, created_at=now,
                        expires_at=now + LIFETIME[purpose], session_version=officer.session_version)
    return token


def find(token, now=None):
    """The link for `token` if it may still be used; raises DomainError password_link_invalid.

    Expired, used, superseded or unknown: one answer, since the officer's
    next step is the same (ask for a new link).
    """
    now = now or utcnow()
    link = (PasswordLink.select(PasswordLink, Officer).join(Officer)
            .where(PasswordLink.token_hash == _hash(token or "")).first())
    if (link is None or link.used_at is not None or link.expires_at <= now
            or not link.officer.active or link.officer.session_version != link.session_version
            or (link.officer.last_login_at is not None and link.officer.last_login_at >= link.created_at)):
        raise DomainError("password_link_invalid")
    return link


def set_password(token, password, now=None):
    """Use the link for `token` to set `password`; returns the officer.

    Raises password_link_invalid, or the password policy's errors (the link
    then stays usable, for a better password).
    """
    now = now or utcnow()
    with database.atomic():
        link = find(token, now)
        officer = link.officer
        validate_password(password, officer)
        # Conditional, so that two submissions of one link at once set one password.
        if not PasswordLink.update(used_at=now).where(
                (PasswordLink.id == link.id) & PasswordLink.used_at.is_null()).execute():
            raise DomainError("password_link_invalid")
        # This also ends every other link and session of the officer (see Officer.set_password).
        officer.set_password(password)
        officer.save(only=[Officer.password_hash, Officer.session_version])
    return officer
