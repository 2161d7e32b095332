"""The Flask side of service forms: every refusal of the forms and the catalogue import has words, a
citizen reads his field's label in his own language (backoffice/messages.py), and the grace period is a
setting (FORM_GRACE_DAYS)."""
import datetime
import re
from pathlib import Path

import pytest
from flask_babel import force_locale

from backoffice import create_app
from backoffice.config import ConfigError
from backoffice.messages import MESSAGES, describe
from models import DomainError, forms
from models.form_fields import FieldError
from models.forms import FormVersion

ROOT = Path(__file__).resolve().parent.parent.parent
SOURCES = ["models/form_fields.py", "models/form_patterns.py", "models/forms.py", "models/catalogue_json.py",
           "models/catalogue_file.py"]
# A code is a string literal of these prefixes, but a keyword's value (a table's or an index's name) or a key.
CODE = re.compile(r'(?<!=)(?<!= )"((?:form|catalogue|service)_[a-z_]+)"(?!:)')


def test_every_code_has_a_message():
    codes = {code for source in SOURCES for code in CODE.findall((ROOT / source).read_text(encoding="utf-8"))}
    assert len(codes) > 60
    assert sorted(codes - set(MESSAGES)) == []


def test_an_answers_error_names_the_field_in_the_readers_language(app):
    error = FieldError("form_field_required", field="name", key="name", label_en="Patient's name",
                       label_hi="रोगी का नाम")
    with app.app_context():
        with force_locale("en"):
            assert describe(error) == "Patient's name: please answer this."
        with force_locale("hi"):
            assert "रोगी का नाम" in describe(error)


def test_a_pattern_refusal_is_the_administrators_message_in_the_readers_language(app):
    error = FieldError("form_answer_pattern", field="pan", key="pan", label_en="PAN", label_hi="पैन",
                       message_en="Write it like ABCDE1234F.", message_hi="ABCDE1234F की तरह लिखें।")
    with app.app_context():
        with force_locale("en"):
            assert describe(error) == "PAN: Write it like ABCDE1234F."
        with force_locale("hi"):
            assert "ABCDE1234F की तरह लिखें।" in describe(error) and "पैन" in describe(error)


def test_a_stale_form_asks_the_citizen_to_refresh(app):
    error = DomainError("form_version_stale", code="X", number=1, service_en="Oxygen refill",
                        service_hi="ऑक्सीजन रिफिल")
    with app.app_context(), force_locale("en"):
        assert describe(error) == ("The form of Oxygen refill has changed since it was opened. "
                                   "Please refresh it and fill it in again.")


def test_the_grace_period_is_a_setting(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    settings = {"APP_ENV": "test", "DATABASE_URL": db_url, "SECRET_KEY": "s"}
    superseded = datetime.datetime(2021, 5, 1, 10, 0)
    old = FormVersion(number=1, superseded_at=superseded)
    try:
        assert create_app({**settings, "FORM_GRACE_DAYS": 3}).config["FORM_GRACE_DAYS"] == 3
        assert forms.accepts(old, superseded + datetime.timedelta(days=3))
        assert not forms.accepts(old, superseded + datetime.timedelta(days=3, seconds=1))
        for wrong in ("-1", "a week"):
            with pytest.raises(ConfigError, match="FORM_GRACE_DAYS"):
                create_app({**settings, "FORM_GRACE_DAYS": wrong})
        assert create_app(settings).config["FORM_GRACE_DAYS"] == forms.GRACE_DAYS
        assert not forms.accepts(old, superseded + datetime.timedelta(days=7, seconds=1))
    finally:
        forms.use_grace_days(forms.GRACE_DAYS)
