"""`flask --app wsgi demo load [--requests N] [--seed S] [--today D] [--if-empty]` and `demo remove`."""
import re

from models import Area, Officer, Service, ServiceRequest, database, demo

STRONG = "kesari mango rickshaw"


def run(app, *args):
    return app.test_cli_runner().invoke(args=["demo", *args])


def officer(email):
    with database.connection_context():
        return Officer.get(Officer.email == email)


def count(model):
    with database.connection_context():
        return model.select().count()


def test_load_prints_one_login_of_each_kind_and_a_generated_password_once(app, catalogue, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    result = run(app, "load", "--requests", "40", "--today", "2025-06-02")
    assert result.exit_code == 0, result.output
    assert "the 120 days before 2025-06-02" in result.output and "40 requests" in result.output
    assert "REV-COVID-HELPME 24 hours" in result.output
    password = re.search(r"one password for all \(shown once\): (\S+)", result.output).group(1)
    for email in ("state-admin", "commission-member", "helpdesk-1", "department-admin.rev", "district-admin.amb",
                  "counter.amb", "patwari.amb-1", "adc-cum-dcrio.amb", "chief-town-planner.hr"):
        assert f"{email}@{demo.EMAIL_DOMAIN}" in result.output
    # One line per kind, not one per officer.
    assert len(result.output.splitlines()) < 20
    assert officer(f"state-admin@{demo.EMAIL_DOMAIN}").check_password(password)
    assert officer(f"patwari.amb-1@{demo.EMAIL_DOMAIN}").check_password(password)
    assert count(ServiceRequest) == 40


def test_demo_password_from_the_environment_is_not_printed(app, catalogue, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", STRONG)
    result = run(app, "load", "--requests", "5")
    assert result.exit_code == 0, result.output
    assert "the one in DEMO_PASSWORD" in result.output and STRONG not in result.output
    assert officer(f"counter.hsr@{demo.EMAIL_DOMAIN}").check_password(STRONG)


def test_a_weak_demo_password_is_refused_and_nothing_is_made(app, catalogue, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "haryana123")
    result = run(app, "load", "--requests", "5")
    assert result.exit_code == 1
    assert "DEMO_PASSWORD:" in result.output
    assert count(Officer) == count(Area) == count(ServiceRequest) == 0
    with database.connection_context():
        assert not Service.select().where(Service.tat_is_demo == True).exists()  # noqa: E712


def test_if_empty_loads_only_where_there_are_no_requests_and_a_second_load_is_refused(app, catalogue, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", STRONG)
    assert run(app, "load", "--requests", "5", "--if-empty").exit_code == 0
    result = run(app, "load", "--requests", "5", "--if-empty")
    assert result.exit_code == 0 and "no demo loaded (--if-empty)" in result.output
    result = run(app, "load", "--requests", "5")
    assert result.exit_code == 1 and "run `flask --app wsgi demo remove` first" in result.output
    assert count(ServiceRequest) == 5


def test_remove_takes_the_demo_away(app, catalogue, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", STRONG)
    assert run(app, "load", "--requests", "7").exit_code == 0
    result = run(app, "remove")
    assert result.exit_code == 0, result.output
    assert "demo removed: 7 requests" in result.output and "6 illustrative time limits taken back" in result.output
    assert count(Officer) == count(Area) == count(ServiceRequest) == 0


def test_the_demo_state_administrator_does_not_stand_in_for_the_first_one(app, catalogue, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", STRONG)
    monkeypatch.setenv("ADMIN_PASSWORD", STRONG)
    assert run(app, "load", "--requests", "0").exit_code == 0
    result = app.test_cli_runner().invoke(args=["admin", "ensure"])
    assert result.exit_code == 0 and "created state administrator admin@example.gov.in" in result.output
    assert run(app, "remove").exit_code == 0
    assert officer("admin@example.gov.in").active


def test_load_without_a_catalogue_says_what_to_do(app, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", STRONG)
    result = run(app, "load")
    assert result.exit_code == 1
    assert "run `flask --app wsgi catalogue load` first" in result.output
