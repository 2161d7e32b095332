import datetime
import time

import pyotp
import pytest

from models import DomainError, LoginAttempt, Officer, RecoveryCode, RoleGrant, accounts
from models.passwords import MIN_LENGTH, common_passwords, validate_password
from models.timeutil import utcnow

PASSWORD = "correct horse battery staple"
IP = "203.0.113.7"


def unsaved_officer():
    return Officer(name="Ramesh Kumar", email="ramesh.kumar99@hry.gov.in")


def make_officer(email="ramesh.kumar99@hry.gov.in", role=None):
    officer = Officer(name="Ramesh Kumar", email=email)
    officer.set_password(PASSWORD)
    officer.save()
    if role:
        RoleGrant.create(officer=officer, role=role)
    return officer


def refusal(call, *args):
    with pytest.raises(DomainError) as caught:
        call(*args)
    return caught.value


def shift_attempts(minutes):
    """Move every failed attempt into the past, instead of waiting."""
    for attempt in LoginAttempt.select():
        attempt.at -= datetime.timedelta(minutes=minutes)
        attempt.save()


# --- password policy ------------------------------------------------------------

@pytest.mark.parametrize("password, code", [
    ("Sh0rt!pw", "password_too_short"),
    ("x7#Kq" * 205, "password_too_long"),
    ("ramesh.kumar99@hry.gov.in", "password_like_account"),
    ("RAMESH.KUMAR99 and more", "password_like_account"),
    ("ramesh@20242024", "password_like_account"),
    ("my name is kumar, ok", "password_like_account"),
    ("1234567890", "password_too_common"),
    ("qwertyuiop", "password_too_common"),
    ("QwertyUiop", "password_too_common"),
    ("Password@123", "password_too_common"),
    ("iloveyou#2024", "password_too_common"),
    ("Haryana@12345", "password_too_common"),
    ("jaishreeram123", "password_too_common"),
])
def test_weak_passwords_are_refused_with_their_code(password, code):
    assert refusal(validate_password, password, unsaved_officer()).code == code


def test_too_short_says_the_minimum():
    error = refusal(validate_password, "a" * (MIN_LENGTH - 1), unsaved_officer())
    assert error.params == {"min_length": MIN_LENGTH}


@pytest.mark.parametrize("password", [PASSWORD, "Tr0ub4dor&3 plus", "bhindi-ki-sabzi-77", "x" * MIN_LENGTH + "Qz"])
def test_good_passwords_pass(password):
    validate_password(password, unsaved_officer())


def test_an_officer_without_name_or_email_yet_can_be_checked():
    validate_password(PASSWORD, Officer())


def test_the_lists_are_loaded():
    common = common_passwords()
    assert {"123456", "password", "qwerty123", "haryana", "jaihind"} <= common
    assert len(common) > 10_000


# --- failed log-ins and the lockout ------------------------------------------------------

def test_five_failures_lock_the_account_for_fifteen_minutes(db):
    officer = make_officer()
    for _ in range(accounts.ACCOUNT_FAILURES - 1):
        assert refusal(accounts.check_password_step, officer.email, "wrong", IP).code == "login_failed"
    assert accounts.locked_until(officer.email, IP) is None
    assert refusal(accounts.check_password_step, officer.email, "wrong", IP).code == "login_failed"
    last = LoginAttempt.select().order_by(LoginAttempt.at.desc()).first().at
    assert accounts.locked_until(officer.email, IP) == last + accounts.LOCK

    # The right password is refused the same way while locked, and attempts
    # made while locked are not counted (they could keep it locked for ever).
    error = refusal(accounts.check_password_step, officer.email, PASSWORD, IP)
    assert error.code == "login_locked" and error.params == {"until": last + accounts.LOCK}
    refusal(accounts.check_password_step, officer.email, "wrong", IP)
    assert LoginAttempt.select().count() == accounts.ACCOUNT_FAILURES


def test_the_lock_ends_by_time(db):
    officer = make_officer()
    for _ in range(accounts.ACCOUNT_FAILURES):
        refusal(accounts.check_password_step, officer.email, "wrong", IP)
    shift_attempts(16)
    assert accounts.locked_until(officer.email, IP) is None
    assert accounts.check_password_step(officer.email, PASSWORD, IP) == officer


def test_failures_spread_over_more_than_the_window_do_not_lock(db):
    now = utcnow()
    for minutes in range(0, 5 * 4, 4):  # 0, 4, 8, 12, 16 minutes ago
        LoginAttempt.create(email="a@hry.gov.in", ip=IP, at=now - datetime.timedelta(minutes=minutes))
    assert accounts.locked_until("a@hry.gov.in", "198.51.100.1") is None


def test_the_email_is_counted_as_typed_known_or_not(db):
    for _ in range(accounts.ACCOUNT_FAILURES):
        refusal(accounts.check_password_step, " Nobody@HRY.gov.in ", "wrong", IP)
    assert accounts.locked_until("nobody@hry.gov.in", "198.51.100.1")


def test_twenty_failures_from_one_address_lock_it(db):
    officer = make_officer()
    for n in range(accounts.IP_FAILURES):
        refusal(accounts.check_password_step, f"guess{n}@hry.gov.in", "wrong", IP)
    assert refusal(accounts.check_password_step, officer.email, PASSWORD, IP).code == "login_locked"
    assert accounts.check_password_step(officer.email, PASSWORD, "198.51.100.1") == officer


def test_a_completed_login_clears_the_accounts_failures_only(db):
    officer = make_officer()
    for _ in range(accounts.ACCOUNT_FAILURES - 1):
        refusal(accounts.check_password_step, officer.email, "wrong", IP)
    refusal(accounts.check_password_step, "someone.else@hry.gov.in", "wrong", IP)
    accounts.logged_in(officer)
    assert [a.email for a in LoginAttempt.select()] == ["someone.else@hry.gov.in"]
    assert Officer.get_by_id(officer.id).last_login_at is not None


def test_attempts_older_than_a_day_are_pruned(db):
    LoginAttempt.create(email="old@hry.gov.in", ip=IP, at=utcnow() - datetime.timedelta(days=2))
    refusal(accounts.check_password_step, "new@hry.gov.in", "wrong", IP)
    assert [a.email for a in LoginAttempt.select()] == ["new@hry.gov.in"]


def test_a_deactivated_officer_is_refused_even_with_the_right_password(db):
    officer = make_officer()
    officer.active = False
    officer.save()
    assert refusal(accounts.check_password_step, officer.email, PASSWORD, IP).code == "login_failed"


# --- one-time codes and recovery codes ---------------------------------------------

def code_at(secret, offset_steps=0):
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)


def enrolled(officer):
    secret = accounts.new_totp_secret()
    codes = accounts.enrol_totp(officer, secret, code_at(secret))
    return secret, codes


def test_enrolment_needs_a_right_code(db):
    officer = make_officer()
    secret = accounts.new_totp_secret()
    assert refusal(accounts.enrol_totp, officer, secret, code_at(secret, 5)).code == "code_wrong"
    assert refusal(accounts.enrol_totp, officer, secret, "not a code").code == "code_wrong"
    assert Officer.get_by_id(officer.id).totp_secret is None


def test_enrolment_stores_the_secret_and_ten_hashed_recovery_codes(db):
    officer = make_officer()
    secret, codes = enrolled(officer)
    assert Officer.get_by_id(officer.id).totp_secret == secret
    assert len(codes) == accounts.RECOVERY_CODES == len(set(codes))
    assert all(len(code) == 19 and code.count("-") == 3 for code in codes)
    stored = {row.code_hash for row in RecoveryCode.select()}
    assert len(stored) == accounts.RECOVERY_CODES and not stored & {c.replace("-", "") for c in codes}
    assert "otpauth://totp/" in accounts.totp_uri(officer, secret) and secret in accounts.totp_uri(officer, secret)


def test_a_code_works_once_and_an_older_one_not_at_all(db):
    officer = make_officer()
    secret, _ = enrolled(officer)
    # The code that confirmed the enrolment is used up.
    assert refusal(accounts.check_code_step, officer, code_at(secret), IP).code == "code_wrong"
    accounts.check_code_step(officer, code_at(secret, 1), IP)
    assert refusal(accounts.check_code_step, officer, code_at(secret, 1), IP).code == "code_wrong"
    assert refusal(accounts.check_code_step, officer, code_at(secret), IP).code == "code_wrong"


def test_a_code_from_too_far_off_is_refused(db):
    officer = make_officer()
    secret, _ = enrolled(officer)
    assert refusal(accounts.check_code_step, officer, code_at(secret, 3), IP).code == "code_wrong"


def test_a_recovery_code_works_once_however_it_is_typed(db):
    officer = make_officer()
    _, codes = enrolled(officer)
    typed = codes[0].replace("-", " ").lower()
    accounts.check_code_step(officer, typed, IP)
    assert refusal(accounts.check_code_step, officer, codes[0], IP).code == "code_wrong"
    assert accounts.unused_recovery_codes(officer) == accounts.RECOVERY_CODES - 1


def test_another_officers_recovery_code_is_refused(db):
    officer, other = make_officer(), make_officer("other@hry.gov.in")
    enrolled(officer)
    _, others = enrolled(other)
    assert refusal(accounts.check_code_step, officer, others[0], IP).code == "code_wrong"


def test_wrong_codes_count_towards_the_lockout(db):
    officer = make_officer()
    secret, _ = enrolled(officer)
    for _ in range(accounts.ACCOUNT_FAILURES):
        refusal(accounts.check_code_step, officer, "12345", IP)
    assert refusal(accounts.check_code_step, officer, code_at(secret, 1), IP).code == "login_locked"


def test_new_recovery_codes_need_the_password_and_replace_the_old(db):
    officer = make_officer()
    _, old = enrolled(officer)
    assert refusal(accounts.new_recovery_codes, officer, "wrong").code == "password_current_wrong"
    new = accounts.new_recovery_codes(officer, PASSWORD)
    assert refusal(accounts.check_code_step, officer, old[0], IP).code == "code_wrong"
    accounts.check_code_step(officer, new[0], IP)


def test_turning_off_needs_the_password_and_removes_everything(db):
    officer = make_officer()
    enrolled(officer)
    assert refusal(accounts.turn_off_totp, officer, "wrong").code == "password_current_wrong"
    assert Officer.get_by_id(officer.id).totp_secret
    accounts.turn_off_totp(officer, PASSWORD)
    assert Officer.get_by_id(officer.id).totp_secret is None
    assert RecoveryCode.select().count() == 0


def test_state_and_department_administrators_need_one_time_codes(db):
    assert accounts.needs_totp(make_officer("s@hry.gov.in", "state_admin"))
    assert accounts.needs_totp(make_officer("d@hry.gov.in", "department_admin"))
    assert not accounts.needs_totp(make_officer("x@hry.gov.in", "district_admin"))
    assert not accounts.needs_totp(make_officer("n@hry.gov.in"))


# --- passwords and session versions -------------------------------------------------

def test_a_password_change_checks_the_current_one_and_the_policy(db):
    officer = make_officer()
    assert refusal(accounts.change_password, officer, "wrong", "a brand new passphrase").code == "password_current_wrong"
    assert refusal(accounts.change_password, officer, PASSWORD, "Password@123").code == "password_too_common"
    version = Officer.get_by_id(officer.id).session_version
    accounts.change_password(officer, PASSWORD, "a brand new passphrase")
    stored = Officer.get_by_id(officer.id)
    assert stored.check_password("a brand new passphrase") and not stored.check_password(PASSWORD)
    assert stored.session_version == version + 1
    assert stored.get_id() == f"{officer.id}:{version + 1}"


def test_deactivation_raises_the_session_version_and_other_saves_do_not(db):
    officer = make_officer()
    version = officer.session_version
    officer.name = "Ramesh K."
    officer.save()
    assert Officer.get_by_id(officer.id).session_version == version
    officer = Officer.get_by_id(officer.id)
    officer.active = False
    officer.save()
    assert Officer.get_by_id(officer.id).session_version == version + 1
    officer.active = True
    officer.save()
    assert Officer.get_by_id(officer.id).session_version == version + 1
