"""English and Hindi for every text a person reads."""
from flask import request, session
from flask_babel import Babel
from flask_login import current_user

LANGUAGES = ("en", "hi")


def select_locale():
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    if current_user and current_user.is_authenticated:
        return current_user.language
    return request.accept_languages.best_match(LANGUAGES) or "en"


def init_app(app):
    Babel(app, locale_selector=select_locale)

    @app.context_processor
    def _languages():
        from flask_babel import get_locale
        return {"current_language": str(get_locale()), "languages": LANGUAGES}
