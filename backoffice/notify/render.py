"""A notification's words, from templates/mail/ and templates/sms/, in the recipient's language.

Each message is written whole in each language (NAME.en.txt, NAME.hi.txt)
rather than pieced together from catalogue strings: a letter reads better
translated as a letter, and an SMS must match, word for word, the text
registered for its DLT template id. A mail template sets `subject` at its
top; its HTML part is its text, laid out by mail/layout.html.
"""
import re
import tomllib
from functools import cache

from flask import current_app, render_template
from flask_babel import force_locale
from markupsafe import Markup, escape

from ..config import ROOT

DLT_REGISTRY = ROOT / "templates" / "sms" / "dlt.toml"
_LINK = re.compile(r"https?://\S+")


def _module(path, language, context):
    return current_app.jinja_env.get_template(path).make_module({"language": language, **context})


def email(template, language, context):
    """(subject, text, html) of mail/TEMPLATE.LANGUAGE.txt."""
    with force_locale(language):
        module = _module(f"mail/{template}.{language}.txt", language, context)
        text = str(module).strip() + "\n"
        subject = " ".join(str(module.subject).split())
    return subject, text, html(text, language, subject)


def html(text, language, subject):
    """The HTML part of a mail whose text is `text`: paragraphs, lines and links kept."""
    paragraphs = [[_linked(line) for line in block.splitlines()]
                  for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]
    return render_template("mail/layout.html", language=language, subject=subject, paragraphs=paragraphs)


def _linked(line):
    parts, last = [], 0
    for match in _LINK.finditer(line):
        url = match.group(0)
        parts += [escape(line[last:match.start()]), Markup('<a href="{0}">{0}</a>').format(url)]
        last = match.end()
    parts.append(escape(line[last:]))
    return Markup("").join(parts)


def sms(template, language, context):
    """(text, DLT template id or None) of sms/TEMPLATE.LANGUAGE.txt, on one line."""
    with force_locale(language):
        text = " ".join(str(_module(f"sms/{template}.{language}.txt", language, context)).split())
    return text, dlt_ids().get(template, {}).get(language) or None


@cache
def dlt_ids():
    """{template: {language: id}} from templates/sms/dlt.toml."""
    with DLT_REGISTRY.open("rb") as registry:
        return tomllib.load(registry)
