"""What the app asks first: the versions it must and may run, and a maintenance message."""
import pytest

from backoffice import config
from tests.backoffice.api_support import ok

APP_CONFIG = "{ appConfig { minimumVersion latestVersion maintenanceMessage } }"


def test_defaults_ask_nothing_of_the_app(client):
    assert ok(client, APP_CONFIG) == {"appConfig": {
        "minimumVersion": "1.0.0", "latestVersion": "1.0.0", "maintenanceMessage": None}}


def test_settings_force_an_upgrade_and_announce_maintenance_in_the_readers_language(app, client):
    app.config.update(APP_MIN_VERSION="2.1.0", APP_LATEST_VERSION="2.3.0",
                      APP_MAINTENANCE_MESSAGE="Down until 14:00 IST.",
                      APP_MAINTENANCE_MESSAGE_HI="14:00 बजे तक बंद।")
    assert ok(client, APP_CONFIG)["appConfig"] == {
        "minimumVersion": "2.1.0", "latestVersion": "2.3.0", "maintenanceMessage": "Down until 14:00 IST."}
    assert ok(client, APP_CONFIG, language="hi")["appConfig"]["maintenanceMessage"] == "14:00 बजे तक बंद।"
    app.config["APP_MAINTENANCE_MESSAGE_HI"] = ""
    assert ok(client, APP_CONFIG, language="hi")["appConfig"]["maintenanceMessage"] == "Down until 14:00 IST."


def test_the_settings_are_read_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("APP_MIN_VERSION", "1.4")
    monkeypatch.setenv("APP_LATEST_VERSION", "1.10.2")
    monkeypatch.setenv("APP_MAINTENANCE_MESSAGE", "  Back soon.  ")
    settings = config.load()
    assert (settings["APP_MIN_VERSION"], settings["APP_LATEST_VERSION"]) == ("1.4", "1.10.2")
    assert settings["APP_MAINTENANCE_MESSAGE"] == "Back soon."


@pytest.mark.parametrize("overrides, named", [
    ({"APP_MIN_VERSION": "two"}, "APP_MIN_VERSION"),
    ({"APP_LATEST_VERSION": "1.0-beta"}, "APP_LATEST_VERSION"),
    ({"APP_MIN_VERSION": "1.10.0", "APP_LATEST_VERSION": "1.9.0"}, "newer than"),
    ({"GRAPHQL_MAX_BODY_BYTES": "10"}, "GRAPHQL_MAX_BODY_BYTES"),
])
def test_a_bad_setting_stops_the_start(monkeypatch, tmp_path, overrides, named):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    with pytest.raises(config.ConfigError, match=named):
        config.load(overrides)
