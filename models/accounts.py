"""Officers' log-in: the lockout after failed attempts, one-time codes (TOTP),
recovery codes and password changes.

Failed attempts live in the database, so every worker and machine counts the
same ones. A lock ends by time alone, and attempts made while locked are not
counted, so nobody can keep an account (or an administrator) locked for good.
"""
import datetime
import hashlib
import hmac
import re
import secrets
import time
from functools import cache

import pyotp
from peewee import CharField, DateTimeField, ForeignKeyField
from werkzeug.security import check_password_hash, generate_password_hash

from .db import BaseModel, database
from .errors import DomainError
from .passwords import MAX_LENGTH, validate_password
from .people import Officer, RoleGrant
from .timeutil import utcnow
from .tracking import ALPHABET

ACCOUNT_FAILURES = 5  # failures per e-mail address (known or not) ...
IP_FAILURES = 20  # ... or per client address ...
WINDOW = datetime.timedelta(minutes=15)  # ... within this long lock it
LOCK = datetime.timedelta(minutes=15)  # for this long after the last failure
# Old attempts are kept this long for whoever looks into an incident.
KEEP_ATTEMPTS = datetime.timedelta(days=1)

TOTP_ISSUER = "Jansahayak"
TOTP_REQUIRED_ROLES = ("state_admin", "department_admin")
RECOVERY_CODES = 10
# 16 characters of Crockford's base32: 80 random bits, far beyond guessing.
RECOVERY_CODE_LENGTH = 16
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


class LoginAttempt(BaseModel):
    """A failed log-in (wrong password or wrong code)."""
    email = CharField(max_length=254, index=True)  # as typed, normalized
    ip = CharField(max_length=45, index=True)
    at = DateTimeField(default=utcnow, index=True)

    class Meta:
        table_name = "login_attempt"


class RecoveryCode(BaseModel):
    """A single-use code that stands in for a one-time code when the phone is lost."""
    officer = ForeignKeyField(Officer, backref="recovery_codes", on_delete="CASCADE")
    # SHA-256 and not a slow hash: the codes are random with 80 bits, so a slow
    # hash would add nothing, and this lets a code be found by its hash.
    code_hash = CharField(max_length=64, unique=True)
    used_at = DateTimeField(null=True)

    class Meta:
        table_name = "recovery_code"


def normalize_email(email):
    return (email or "").strip().lower()


# --- lockout -----------------------------------------------------------------

def locked_until(email, ip, now=None):
    """When the lock on this e-mail address or client address ends; None if there is none."""
    now = now or utcnow()
    ends = [end for end in (_lock_end(LoginAttempt.email == normalize_email(email), ACCOUNT_FAILURES, now),
                            _lock_end(LoginAttempt.ip == ip, IP_FAILURES, now)) if end]
    return max(ends, default=None)


def _lock_end(which, limit, now):
    latest = [a.at for a in LoginAttempt.select(LoginAttempt.at).where(which)
              .order_by(LoginAttempt.at.desc()).limit(limit)]
    if len(latest) < limit or latest[0] <= now - LOCK or latest[-1] <= latest[0] - WINDOW:
        return None
    return latest[0] + LOCK


def _refuse_if_locked(email, ip):
    until = locked_until(email, ip)
    if until:
        raise DomainError("login_locked", until=until)


def _record_failure(email, ip):
    now = utcnow()
    LoginAttempt.create(email=normalize_email(email), ip=ip, at=now)
    LoginAttempt.delete().where(LoginAttempt.at < now - KEEP_ATTEMPTS).execute()


# --- the two steps of a log-in --------------------------------------------------

@cache
def _decoy_hash():
    return generate_password_hash(secrets.token_hex(16), method="scrypt")


def check_password_step(email, password, ip):
    """The active officer with this e-mail address and password.

    Raises DomainError login_locked (checked first, so a locked account answers
    the same whether the password is right or not) or login_failed.
    """
    _refuse_if_locked(email, ip)
    if len(password) > MAX_LENGTH:  # refused before hashing: no password is that long
        _record_failure(email, ip)
        raise DomainError("login_failed")
    officer = Officer.get_or_none(Officer.email == normalize_email(email))
    if officer is None:
        # As slow as a real check, so the time taken does not tell which e-mail addresses exist.
        check_password_hash(_decoy_hash(), password)
    if officer is None or not officer.check_password(password) or not officer.active:
        _record_failure(email, ip)
        raise DomainError("login_failed")
    return officer


def check_code_step(officer, code, ip):
    """Accept a one-time code or an unused recovery code; raises login_locked or code_wrong."""
    _refuse_if_locked(officer.email, ip)
    if not (_use_totp_code(officer, code) or _use_recovery_code(officer, code)):
        _record_failure(officer.email, ip)
        raise DomainError("code_wrong")


def logged_in(officer):
    """A log-in completed: forget the account's failures, note the time."""
    LoginAttempt.delete().where(LoginAttempt.email == officer.email).execute()
    officer.last_login_at = utcnow()
    officer.save(only=[Officer.last_login_at])


# --- one-time codes (TOTP) -----------------------------------------------------

def needs_totp(officer):
    """Whether officer's roles call for a second factor (enforced in production)."""
    return RoleGrant.select().where(
        (RoleGrant.officer == officer) & RoleGrant.role.in_(TOTP_REQUIRED_ROLES)).exists()


def new_totp_secret():
    return pyotp.random_base32()


def totp_uri(officer, secret):
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=officer.email, issuer_name=TOTP_ISSUER)


def enrol_totp(officer, secret, code):
    """Turn on one-time codes once `code` proves the app holds `secret`; returns new recovery codes."""
    step = _matching_step(secret, code)
    if step is None:
        raise DomainError("code_wrong")
    with database.atomic():
        officer.totp_secret = secret
        officer.totp_last_step = step
        officer.save(only=[Officer.totp_secret, Officer.totp_last_step])
        return _replace_recovery_codes(officer)


def turn_off_totp(officer, password):
    _check_current_password(officer, password)
    with database.atomic():
        officer.totp_secret = None
        officer.totp_last_step = None
        officer.save(only=[Officer.totp_secret, Officer.totp_last_step])
        RecoveryCode.delete().where(RecoveryCode.officer == officer).execute()


def _matching_step(secret, code):
    """The time step `code` belongs to: now or one step either side, for a phone's clock drift."""
    code = re.sub(r"\s", "", code or "")
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(time.time())
    for step in (now - 1, now, now + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _use_totp_code(officer, code):
    if not officer.totp_secret:
        return False
    step = _matching_step(officer.totp_secret, code)
    if step is None:
        return False
    # Succeeds once per step, even for two requests at the same moment, so a
    # code seen over someone's shoulder is of no use once it has been used.
    return Officer.update(totp_last_step=step).where(
        (Officer.id == officer.id)
        & (Officer.totp_last_step.is_null() | (Officer.totp_last_step < step))).execute() == 1


# --- recovery codes -------------------------------------------------------------

def new_recovery_codes(officer, password):
    """Replace the officer's recovery codes (say, the old ones were lost); returns the new ones."""
    _check_current_password(officer, password)
    with database.atomic():
        return _replace_recovery_codes(officer)


def unused_recovery_codes(officer):
    return RecoveryCode.select().where(
        (RecoveryCode.officer == officer) & RecoveryCode.used_at.is_null()).count()


def _replace_recovery_codes(officer):
    RecoveryCode.delete().where(RecoveryCode.officer == officer).execute()
    codes = ["".join(secrets.choice(ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
             for _ in range(RECOVERY_CODES)]
    RecoveryCode.insert_many([{"officer": officer, "code_hash": _hash(code)} for code in codes]).execute()
    return ["-".join(code[i:i + 4] for i in range(0, RECOVERY_CODE_LENGTH, 4)) for code in codes]


def _use_recovery_code(officer, text):
    # Read the way Crockford intended: case, dashes and spaces do not matter,
    # and O, I or L typed from paper read as 0 or 1.
    code = re.sub(r"[\s\-]", "", text or "").upper().translate(_READ_AS)
    if len(code) != RECOVERY_CODE_LENGTH:
        return False
    return RecoveryCode.update(used_at=utcnow()).where(
        (RecoveryCode.officer == officer) & (RecoveryCode.code_hash == _hash(code))
        & RecoveryCode.used_at.is_null()).execute() == 1


def _hash(code):
    return hashlib.sha256(code.encode()).hexdigest()


# --- passwords ----------------------------------------------------------------------

def change_password(officer, current, new):
    """Set a new password; this ends the officer's sessions (the caller renews its own)."""
    _check_current_password(officer, current)
    validate_password(new, officer)
    officer.set_password(new)
    officer.save(only=[Officer.password_hash, Officer.session_version])


def _check_current_password(officer, password):
    if not officer.check_password(password or ""):
        raise DomainError("password_current_wrong")
