"""Citizens' log-in by mobile number: a one-time code sent by SMS.

A code is 6 random digits, valid for CODE_LIFETIME, tried at most MAX_TRIES
times. Only an HMAC of it is stored, keyed with the app's secret, so that the
table alone (a backup, a read-only leak) does not let anyone try the million
possible codes offline. Sending is throttled per number and per client
address, with counts that every worker shares: the rows of this table
(DatabaseCounts), or Redis when the deployment has one (RedisCounts).
"""
import datetime
import hashlib
import hmac
import math
import re
import secrets

from peewee import CharField, DateTimeField, IntegerField

from .db import BaseModel, database, is_postgresql
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


def issue(mobile, ip, key, now=None, counts=None):
    """A new code for `mobile` (as typed); returns (the 10-digit number, the code, its row).

    The caller sends the code and shows it to nobody else. Raises
    mobile_invalid, or login_code_throttled with the seconds to wait.
    `counts` keeps the throttle's counts: DatabaseCounts() unless given.
    """
    now = now or utcnow()
    number = _number(mobile)
    counts = counts or DatabaseCounts()
    with counts.exclusive():
        wait = counts.take(number, ip, now)
        if wait:
            raise DomainError("login_code_throttled", seconds=wait)
        LoginCode.delete().where(LoginCode.created_at < now - KEEP).execute()
        code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
        salt = secrets.token_hex(8)
        row = LoginCode.create(mobile=number, ip=ip, salt=salt, code_hmac=_digest(key, salt, code),
                               created_at=now, expires_at=now + CODE_LIFETIME)
    return number, code, row


def _seconds(wait):
    """A wait in whole seconds, rounded up; 0 when there is none."""
    return max(0, math.ceil(wait.total_seconds()))


class DatabaseCounts:
    """The codes' own rows are the counts. Checking and adding a code is one transaction that
    takes a lock first, so that two workers asking at the same moment cannot both slip under a limit."""

    def exclusive(self):
        return _Exclusive()

    def take(self, number, ip, now):
        """Seconds to wait before a code may go to `number` from `ip`; 0 when it may now
        (the caller's new row then counts it)."""
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
        return _seconds(max(waits, default=datetime.timedelta(0)))


# Any fixed number: the advisory lock PostgreSQL holds while a code is issued.
_ADVISORY_LOCK = 0x6A616E73


class _Exclusive:
    """A transaction that one worker at a time holds: a code's check and its row go together."""

    def __enter__(self):
        # SQLite: the write lock at BEGIN, so that the second worker waits before it counts.
        self._transaction = database.atomic() if is_postgresql() else database.atomic("IMMEDIATE")
        self._transaction.__enter__()
        if is_postgresql():
            database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_ADVISORY_LOCK,))
        return self

    def __exit__(self, *exc):
        return self._transaction.__exit__(*exc)


# Checks both limits and the resend wait, and counts the code only when all allow it, in one
# script that Redis runs alone, so that workers asking at once cannot both slip under a limit.
# KEYS: the number's, the address's. ARGV: now, window, resend (ms), the two limits, a member
# unique to this code. Returns the milliseconds to wait; 0 when the code was counted.
_REDIS_TAKE = """
local now, window, resend = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local wait = 0
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local limit = tonumber(ARGV[3 + i])
  if redis.call('ZCARD', key) >= limit then
    local oldest = redis.call('ZRANGE', key, -limit, -limit, 'WITHSCORES')
    wait = math.max(wait, tonumber(oldest[2]) + window - now)
  end
  if i == 1 then
    local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
    if newest[2] then wait = math.max(wait, tonumber(newest[2]) + resend - now) end
  end
end
if wait > 0 then return wait end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[6])
  redis.call('PEXPIRE', key, window)
end
return 0
"""


class RedisCounts:
    """The counts in Redis (REDIS_URL), shared by every machine; the codes stay in the database."""

    def __init__(self, client, prefix="jansahayak:login_code:"):
        self.prefix = prefix
        self._take = client.register_script(_REDIS_TAKE)

    def exclusive(self):
        return database.atomic()

    def take(self, number, ip, now):
        millis = int(now.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000)
        wait = self._take(keys=[f"{self.prefix}mobile:{number}", f"{self.prefix}ip:{ip}"], args=[
            millis, int(THROTTLE_WINDOW.total_seconds() * 1000), int(RESEND_AFTER.total_seconds() * 1000),
            PER_MOBILE, PER_IP, f"{millis}:{secrets.token_hex(4)}"])
        return _seconds(datetime.timedelta(milliseconds=int(wait)))


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
