"""Logging in and out from the app: citizens by a code sent to their mobile, officers by e-mail and password."""
import datetime
import functools
from typing import Annotated

import redis
import strawberry
from flask import current_app, request

from models import Citizen, DomainError, accounts, login_codes, tokens

from . import login_sms
from .access import PUBLIC, SIGNED_IN
from .me import Me
from .problems import Problem
from .view import LANGUAGES


def _utc(moment):
    return moment.replace(tzinfo=datetime.timezone.utc)


@strawberry.type(description="The code is on its way by SMS.")
class LoginCodeSent:
    expires_at: datetime.datetime
    resend_after_seconds: int


@strawberry.type(description="A citizen's token: send it as `Authorization: Bearer <token>`.")
class CitizenSession:
    token: str
    expires_at: datetime.datetime
    me: Me


@strawberry.type
class OfficerProfile:
    name: str
    email: str
    language: str


@strawberry.type(description="An officer's token: send it as `Authorization: Bearer <token>`.")
class OfficerSession:
    token: str
    expires_at: datetime.datetime
    officer: OfficerProfile


LoginCodeResult = Annotated[LoginCodeSent | Problem, strawberry.union("LoginCodeResult")]
CitizenLoginResult = Annotated[CitizenSession | Problem, strawberry.union("CitizenLoginResult")]
OfficerLoginResult = Annotated[OfficerSession | Problem, strawberry.union("OfficerLoginResult")]


def _client_ip():
    return request.remote_addr or "unknown"


@functools.cache
def _redis_counts(url):
    # One client (and its connection pool) per process, not one per request.
    return login_codes.RedisCounts(redis.Redis.from_url(url))


def _throttle_counts():
    """Where the resend throttle counts: Redis when the deployment has one, else the database."""
    url = current_app.config["REDIS_URL"]
    return _redis_counts(url) if url else login_codes.DatabaseCounts()


def _new_citizens_language():
    """The language the app asks in (Accept-Language), else a new citizen's default, Hindi."""
    return request.accept_languages.best_match(LANGUAGES) or Citizen.language.default


def _code_language(number):
    """A known citizen's own language; for a new one, what he will be given at log-in."""
    citizen = Citizen.get_or_none(Citizen.mobile == number)
    return citizen.language if citizen is not None else _new_citizens_language()


@strawberry.type
class AuthMutation:
    @strawberry.mutation(metadata=PUBLIC, description=(
        "Send a 6-digit log-in code by SMS to an Indian mobile number (valid 5 minutes). "
        "Throttled per number and per client: a Problem `login_code_throttled` says how long to wait."))
    def request_login_code(self, mobile: str) -> LoginCodeResult:
        try:
            number, code, row = login_codes.issue(mobile, _client_ip(), current_app.config["SECRET_KEY"],
                                                  counts=_throttle_counts())
        except DomainError as error:
            return Problem.of(error)
        if not login_sms.send(number, code, _code_language(number)):
            return Problem.of(DomainError("login_code_not_sent"))
        return LoginCodeSent(expires_at=_utc(row.expires_at),
                             resend_after_seconds=int(login_codes.RESEND_AFTER.total_seconds()))

    @strawberry.mutation(metadata=PUBLIC, description=(
        "Log in with the mobile number and the code sent to it; a new number becomes a new citizen. "
        "Five wrong tries end the code."))
    def log_in(self, mobile: str, code: str) -> CitizenLoginResult:
        try:
            citizen = login_codes.verify(mobile, code, current_app.config["SECRET_KEY"],
                                         language=_new_citizens_language())
        except DomainError as error:
            return Problem.of(error)
        token, expires = tokens.issue(citizen)
        return CitizenSession(token=token, expires_at=_utc(expires), me=Me.from_model(citizen))

    @strawberry.mutation(metadata=PUBLIC, description=(
        "An officer logs in with his back-office e-mail address and password, and the one-time code "
        "(or a recovery code) when he has turned codes on. The same lockout as the back office's."))
    def officer_log_in(self, email: str, password: str, code: str | None = strawberry.UNSET) -> OfficerLoginResult:
        ip = _client_ip()
        try:
            officer = accounts.check_password_step(email, password, ip)
            if officer.totp_secret:
                if not code:
                    raise DomainError("login_code_required")
                accounts.check_code_step(officer, code, ip)
            elif current_app.config["APP_ENV"] == "production" and accounts.needs_totp(officer):
                raise DomainError("totp_enrolment_required")
        except DomainError as error:
            return Problem.of(error)
        accounts.logged_in(officer)
        token, expires = tokens.issue(officer)
        return OfficerSession(token=token, expires_at=_utc(expires), officer=OfficerProfile(
            name=officer.name, email=officer.email, language=officer.language))

    @strawberry.mutation(metadata=SIGNED_IN, description="End this token's session; true when it was live.")
    def log_out(self, info: strawberry.Info) -> bool:
        return tokens.revoke(info.context["token"])
