"""English and Hindi for every text a person reads.

The catalogues are in translations/ (docs/translations.md); this module picks
the language of each request.
"""
from babel.numbers import format_decimal
from flask import has_request_context, request, session
from flask_admin.form import BaseForm
from flask_babel import Babel, Domain, get_locale
from flask_login import current_user

from models import Officer

LANGUAGES = ("en", "hi")

# The language picked with ?lang= is remembered in the session with who picked
# it: the officer's id, or None on the log-in page.
CHOSEN = "lang"
CHOSEN_BY = "lang_by"


def _officer_id():
    return current_user.id if current_user and current_user.is_authenticated else None


def select_locale():
    """The reader's language.

    1. ?lang=en or ?lang=hi, remembered for the rest of the session and, when
       an officer picks it, in his profile (Officer.language) for the next one;
    2. for an officer, his own language (Officer.language), unless he himself
       picked one with ?lang= in this browser: a choice made on the log-in page
       or by the officer before him at a shared computer does not override it;
    3. the browser's Accept-Language, else English.
    """
    if not has_request_context():
        return None  # a CLI command or a mail sent outside a request: the default, English
    officer = _officer_id()
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        session[CHOSEN], session[CHOSEN_BY] = chosen, officer
        if officer is not None and current_user.language != chosen:
            _remember(current_user, chosen)
        return chosen
    remembered = session.get(CHOSEN)
    if remembered in LANGUAGES and (officer is None or session.get(CHOSEN_BY) == officer):
        return remembered
    if officer is not None and current_user.language in LANGUAGES:
        return current_user.language
    return request.accept_languages.best_match(LANGUAGES) or "en"


def _remember(officer, language):
    """The officer's own language becomes `language`: the next log-in, on any computer, and his mail use it."""
    Officer.update(language=language).where(Officer.id == officer.id).execute()
    officer.language = language


def indian_number(value):
    """A number grouped as India writes it, 12,34,567, in English and in Hindi alike."""
    return format_decimal(value, locale="hi_IN" if str(get_locale()) == "hi" else "en_IN")


class FormTranslations:
    """WTForms' own errors ("This field is required.") in the reader's language.

    Neither WTForms nor Flask-Admin ships Hindi for them; ours is the "wtforms"
    domain in translations/ (translations/hi/LC_MESSAGES/wtforms.mo).
    """

    def __init__(self, directories):
        self.domain = Domain(directories, domain="wtforms")

    def gettext(self, string):
        return self.domain.get_translations().ugettext(string)

    def ngettext(self, singular, plural, n):
        return self.domain.get_translations().ungettext(singular, plural, n)


def init_app(app):
    Babel(app, locale_selector=select_locale)
    # Every form here, the admin's and the log-in's, derives from Flask-Admin's
    # BaseForm, whose Meta.get_translations hands WTForms this object.
    BaseForm.Meta._translations = FormTranslations(app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";"))

    app.add_template_filter(indian_number, "indian")

    @app.context_processor
    def _languages():
        return {"current_language": str(get_locale()), "languages": LANGUAGES}
