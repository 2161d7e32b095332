"""Logging in from the app over HTTP: citizens by SMS code, officers by password (and TOTP); bearer tokens only."""
import datetime

import pytest
import redis

from models import ApiToken, Citizen, DevelopmentSms, LoginAttempt, LoginCode, Officer, Outbox, database
from tests.backoffice.api_support import (
    ME, OFFICER_LOG_IN, ask_code, call, citizen_token, error_code, log_in, officer_token, ok, sent_code,
)
from tests.backoffice.auth_support import code_at
from tests.conftest import PASSWORD, make_officer
from tests.rows import snapshot

MOBILE = "9812300001"
LOG_OUT = "mutation { logOut }"


def state(skip=()):
    with database.connection_context():
        return {name: rows for name, rows in snapshot().items() if name not in skip}


def shift(model, column, **delta):
    """Move a timestamp of every row into the past, instead of waiting."""
    with database.connection_context():
        for row in model.select():
            model.update({column: getattr(row, column.name) - datetime.timedelta(**delta)}).where(
                model.id == row.id).execute()


def test_a_citizen_logs_in_with_the_code_sent_by_sms(client):
    sent = ask_code(client, "+91 98123-00001")
    assert sent["__typename"] == "LoginCodeSent" and sent["resendAfterSeconds"] == 60
    code = sent_code(MOBILE)
    session = log_in(client, "98123 00001", code)
    assert session["__typename"] == "CitizenSession"
    assert session["me"] == {"mobile": MOBILE, "language": "HI"}
    assert ok(client, ME, session["token"]) == {"me": {"name": "", "mobile": MOBILE, "language": "HI"}}
    with database.connection_context():
        # The outbox keeps a record of the SMS, but never the code itself.
        [record] = Outbox.select().where(Outbox.template == "login_code")
        assert (record.status, record.address) == ("sent", MOBILE)
        assert code not in record.body_text and "••••••" in record.body_text
        assert not ApiToken.select().where(ApiToken.token_hash == session["token"]).exists()
        assert Citizen.get().mobile == MOBILE


def test_the_code_comes_in_the_citizens_language(client):
    ask_code(client, MOBILE, language="hi")
    with database.connection_context():
        assert "जनसहायक" in DevelopmentSms.get().text
        Citizen.create(mobile="9812300002", language="hi")
    ask_code(client, "9812300002", language="en")
    with database.connection_context():
        assert "जनसहायक" in DevelopmentSms.select().order_by(DevelopmentSms.id.desc()).first().text


def test_a_wrong_code_is_refused_changing_nothing_but_its_count_of_tries(client):
    ask_code(client, MOBILE)
    code = sent_code(MOBILE)
    before = state(skip={"LoginCode"})
    refusal = log_in(client, MOBILE, f"{(int(code) + 1) % 10**6:06d}", language="hi")
    assert refusal == {"__typename": "Problem", "code": "login_code_wrong",
                       "message": "गलत कोड। एसएमएस देखें, या नया कोड मंगाएं।"}
    assert state(skip={"LoginCode"}) == before
    with database.connection_context():
        assert LoginCode.get().tries == 1


def test_the_sixth_try_is_refused_even_with_the_right_code(client):
    ask_code(client, MOBILE)
    code = sent_code(MOBILE)
    for _ in range(5):
        assert log_in(client, MOBILE, "000000" if code != "000000" else "111111")["code"] == "login_code_wrong"
    before = state()
    assert log_in(client, MOBILE, code)["code"] == "login_code_wrong"
    assert state() == before


def test_an_expired_code_is_refused_and_nothing_changes(client):
    ask_code(client, MOBILE)
    shift(LoginCode, LoginCode.expires_at, minutes=5)
    before = state()
    refusal = log_in(client, MOBILE, sent_code(MOBILE))
    assert refusal["code"] == "login_code_expired" and refusal["message"] == "This code has expired: ask for a new one."
    assert state() == before


def test_asking_again_at_once_is_throttled_and_sends_nothing(client):
    ask_code(client, MOBILE)
    before = state()
    refusal = ask_code(client, MOBILE, language="hi")
    assert refusal["code"] == "login_code_throttled" and "सेकंड" in refusal["message"]
    assert state() == before
    shift(LoginCode, LoginCode.created_at, seconds=61)
    assert ask_code(client, MOBILE)["__typename"] == "LoginCodeSent"


def test_with_redis_the_throttle_counts_there(app, client, redis_server):
    counts = redis.Redis.from_url(redis_server)
    for key in counts.scan_iter("jansahayak:login_code:*"):
        counts.delete(key)
    app.config["REDIS_URL"] = redis_server
    assert ask_code(client, MOBILE)["__typename"] == "LoginCodeSent"
    assert counts.exists(f"jansahayak:login_code:mobile:{MOBILE}")
    # The database holds the code, not the count: an empty table would not stop a second one.
    with database.connection_context():
        LoginCode.delete().execute()
    assert ask_code(client, MOBILE)["code"] == "login_code_throttled"
    for key in counts.scan_iter("jansahayak:login_code:*"):
        counts.delete(key)


def test_a_gateway_that_cannot_take_the_sms_says_so_and_nothing_is_retried_later(app, client):
    app.config.update(SMS_BACKEND="http", SMS_GATEWAY_URL="http://127.0.0.1:9/sms")
    refusal = ask_code(client, MOBILE)
    assert refusal["code"] == "login_code_not_sent"
    with database.connection_context():
        assert Outbox.get().status == "failed"


def test_no_token_or_a_bad_one_is_refused(client):
    for token in (None, "not-a-token"):
        body = call(client, ME, token)
        assert body["data"] is None and error_code(body) == "UNAUTHENTICATED"
    assert "log in" in call(client, ME)["errors"][0]["message"]


def test_an_expired_token_is_refused_and_changes_nothing(client):
    token = citizen_token(client)
    shift(ApiToken, ApiToken.expires_at, days=31)
    before = state()
    for operation in (ME, LOG_OUT, 'mutation { setLanguage(language: HI) { language } }'):
        assert error_code(call(client, operation, token)) == "UNAUTHENTICATED"
    assert state() == before


def test_logout_revokes_the_token(client):
    token = citizen_token(client)
    other = citizen_token(client, "9812300002")
    assert ok(client, LOG_OUT, token) == {"logOut": True}
    before = state()
    assert error_code(call(client, ME, token)) == "UNAUTHENTICATED"
    assert error_code(call(client, LOG_OUT, token)) == "UNAUTHENTICATED"
    assert state() == before
    assert ok(client, ME, other)["me"]["mobile"] == "9812300002"


def test_the_admin_session_cookie_opens_nothing_here(admin_client):
    # Logged in to the back office in this browser: the endpoint still wants a token.
    assert error_code(call(admin_client, LOG_OUT)) == "UNAUTHENTICATED"
    assert error_code(call(admin_client, ME)) == "UNAUTHENTICATED"


def test_an_officer_logs_in_with_his_password(client):
    officer = make_officer("kavita@example.gov.in")
    token = officer_token(client, "Kavita@Example.gov.in", PASSWORD)
    assert ok(client, LOG_OUT, token) == {"logOut": True}
    # An officer's token is not a citizen's.
    assert error_code(call(client, ME, officer_token(client, officer.email, PASSWORD))) == "UNAUTHENTICATED"


def test_a_wrong_password_is_refused_and_counted_as_in_the_back_office(client):
    make_officer("kavita@example.gov.in")
    before = state(skip={"LoginAttempt"})
    refusal = ok(client, OFFICER_LOG_IN, email="kavita@example.gov.in", password="wrong")["officerLogIn"]
    assert refusal == {"__typename": "Problem", "code": "login_failed", "message": "Wrong e-mail address or password."}
    assert state(skip={"LoginAttempt"}) == before
    with database.connection_context():
        assert LoginAttempt.select().count() == 1


def test_an_officer_with_one_time_codes_needs_one(client):
    officer = make_officer("kavita@example.gov.in")
    with database.connection_context():
        Officer.update(totp_secret="JBSWY3DPEHPK3PXPJBSWY3DP").where(Officer.id == officer.id).execute()
    before = state()
    refusal = ok(client, OFFICER_LOG_IN, email=officer.email, password=PASSWORD)["officerLogIn"]
    assert refusal["code"] == "login_code_required"
    assert state() == before
    assert officer_token(client, officer.email, PASSWORD, code=code_at("JBSWY3DPEHPK3PXPJBSWY3DP"))


def test_in_production_an_administrator_without_codes_is_sent_to_set_them_up(app, client):
    make_officer("state@example.gov.in", "state_admin")
    app.config["APP_ENV"] = "production"
    refusal = ok(client, OFFICER_LOG_IN, email="state@example.gov.in", password=PASSWORD)["officerLogIn"]
    assert refusal["code"] == "totp_enrolment_required"


def test_deactivating_an_officer_ends_his_app_session(client):
    officer = make_officer("kavita@example.gov.in")
    token = officer_token(client, officer.email, PASSWORD)
    with database.connection_context():
        officer = Officer.get_by_id(officer.id)
        officer.active = False
        officer.save()
    assert error_code(call(client, LOG_OUT, token)) == "UNAUTHENTICATED"
    assert ok(client, OFFICER_LOG_IN, email=officer.email, password=PASSWORD)["officerLogIn"]["code"] == "login_failed"


@pytest.mark.parametrize("header", ["Basic abc", "Bearer", "Token abc"])
def test_only_a_bearer_token_counts(client, header):
    response = client.post("/graphql", json={"query": ME}, headers={"Authorization": header})
    assert error_code(response.get_json()) == "UNAUTHENTICATED"
