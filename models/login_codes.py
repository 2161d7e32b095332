"""Citizens' log-in by mobile number: a one-time code sent by SMS.

A code is 6 random digits, valid for CODE_LIFETIME, tried at most MAX_TRIES
times. Only an HMAC of it is stored, keyed with the app's secret, so that the
table alone (a backup, a read-only leak) does not let anyone try the million
possible codes offline. Sending is throttled per number and per client
address; the counts are the rows of this table, so every worker sees the same.
"""
import datetime
import hashlib
import hmac
import re
import secrets

from peewee import CharField, DateTimeField, IntegerField

from .db import BaseModel, database
from .errors import DomainError
from .lifecycle import citizen_by_mobile, normalize_mobile
from .timeutil import utcnow

CODE_DIGITS = 6
CODE_LIFETIME = datetime.timedelta(minutes=5)
MAX_TRIES = 5
# A new code for a number no sooner than this after the last one ...
RESEND_AFTER = datetime.timedelta(seconds=60)
# ... and no more than these in THROTTLE_WINDOW, per number and per client address
# (a whole office behind one address logs in from it, so that limit is higher).
PER_MOBILE = 5
PER_IP = 20
THROTTLE_WINDOW = datetime.timedelta(hours=1)
# Old codes are kept this long: the throttle's counts, and whoever looks into abuse.
KEEP = datetime.timedelta(days=1)


class LoginCode(BaseModel):
    mobile = CharField(max_length=15, index=True)  # the 10 digits
    ip = CharField(max_length=45, index=True)
    salt = CharField(max_length=32)
    code_hmac = CharField(max_length=64)
    created_at = DateTimeField(default=utcnow, index=True)
    expires_at = DateTimeField()
    tries = IntegerField(default=0)
    used_at = DateTimeField(null=True)

    class Meta:
        table_name = "login_code"


def _digest(key, salt, code):
    return hmac.new(key.encode(), f"{salt}:{code}".encode(), hashlib.sha256).hexdigest()


def _number(mobile):
    number = normalize_mobile(mobile)
    if number is None:
        raise DomainError("mobile_invalid", mobile=mobile)
    return number


def issue(mobile, ip, key, now=None):
    """A new code for `mobile` (as typed); returns (the 10-digit number, the code, its row).

    The caller sends the code and shows it to nobody else. Raises
    mobile_invalid, or login_code_throttled with the seconds to wait.
    """
    now = now or utcnow()
    number = _number(mobile)
    with database.atomic():
        wait = _wait(number, ip, now)
        if wait:
            raise DomainError("login_code_throttled", seconds=wait)
        LoginCode.delete().where(LoginCode.created_at < now - KEEP).execute()
        code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
        salt = secrets.token_hex(8)
        row = LoginCode.create(mobile=number, ip=ip, salt=salt, code_hmac=_digest(key, salt, code),
                               created_at=now, expires_at=now + CODE_LIFETIME)
    return number, code, row


def _wait(number, ip, now):
    """Seconds until another code may be sent to `number` from `ip`; 0 when it may now."""
    since = now - THROTTLE_WINDOW
    waits = []
    for column, value, limit in ((LoginCode.mobile, number, PER_MOBILE), (LoginCode.ip, ip, PER_IP)):
        recent = [r.created_at for r in LoginCode.select(LoginCode.created_at)
                  .where(column == value, LoginCode.created_at > since)
                  .order_by(LoginCode.created_at.desc()).limit(limit)]
        if len(recent) >= limit:
            waits.append(recent[-1] + THROTTLE_WINDOW - now)
        if column is LoginCode.mobile and recent:
            waits.append(recent[0] + RESEND_AFTER - now)
    longest = max(waits, default=datetime.timedelta(0))
    return max(0, -(-int(longest.total_seconds() * 1000) // 1000))  # whole seconds, rounded up


def verify(mobile, code, key, now=None, language="hi"):
    """The citizen whose number `mobile` is, created when new (in `language`), once `code` is the number's current code.

    Only the newest code counts. A wrong code uses one of its MAX_TRIES tries;
    the code then dies. Raises login_code_wrong (wrong, or no tries left,
    or used) or login_code_expired, changing nothing else.
    """
    now = now or utcnow()
    number = _number(mobile)
    code = re.sub(r"\s", "", code or "")
    row = (LoginCode.select().where(LoginCode.mobile == number)
           .order_by(LoginCode.created_at.desc(), LoginCode.id.desc()).first())
    if row is None or row.used_at is not None:
        raise DomainError("login_code_wrong")
    if row.expires_at <= now:
        raise DomainError("login_code_expired")
    # The try is counted (and committed) before the code is compared, in one
    # conditional UPDATE, so that attempts made at the same moment cannot add up to more.
    counted = (LoginCode.update(tries=LoginCode.tries + 1)
               .where(LoginCode.id == row.id, LoginCode.tries < MAX_TRIES, LoginCode.used_at.is_null())
               .execute())
    if not counted or not hmac.compare_digest(row.code_hmac, _digest(key, row.salt, code)):
        raise DomainError("login_code_wrong")
    with database.atomic():
        # Conditional too: of two log-ins with the same code at once, one gets through.
        if not LoginCode.update(used_at=now).where(LoginCode.id == row.id, LoginCode.used_at.is_null()).execute():
            raise DomainError("login_code_wrong")
        return citizen_by_mobile(number, language=language)
