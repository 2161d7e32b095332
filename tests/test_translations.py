"""The Hindi catalogues in translations/: complete, compiled, and used by the pages.

The catalogue checks read files only (no database). The last tests render pages
through the app fixtures of tests/conftest.py. docs/translations.md says how to
fix what these report.
"""
import collections
import io
import re
from importlib.metadata import version
from pathlib import Path

import pytest
import wtforms
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from tests.conftest import csrf_token

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
LOCALES = ("hi",)
# messages: our own words; admin: Flask-Admin's (Create, Save, Search ...); wtforms: form errors.
# Flask-Admin and WTForms ship no Hindi.
DOMAINS = ("messages", "admin", "wtforms")

UPDATE = "Run `bash scripts/translations update`, translate them in {po}, then `bash scripts/translations compile`."
COMPILE = "Run `bash scripts/translations compile` and commit the .mo files with the .po files."


def po_path(locale, domain):
    return TRANSLATIONS / locale / "LC_MESSAGES" / f"{domain}.po"


def read_catalog(path):
    with open(path, "rb") as f:
        return read_po(f)


def extracted():
    """What `bash scripts/translations extract` finds: {(msgid, context): ["file:line", ...]}."""
    with open(ROOT / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f, "babel.cfg")
    found = collections.defaultdict(list)
    for filename, lineno, message, _comments, context in extract_from_dir(ROOT, method_map, options_map):
        msgid = message[0] if isinstance(message, (tuple, list)) else message
        found[msgid, context].append(f"{filename}:{lineno}")
    return found


def untranslated(message):
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    return not all(strings)


def entries(catalog):
    return [m for m in catalog if m.id]


def described(items):
    return "\n".join(f"  {item}" for item in items)


def test_extraction_finds_the_lazy_strings_too():
    # `_l` (lazy_gettext) is declared in babel.cfg; without it every column label would go unnoticed.
    found = extracted()
    assert ("Time limit", None) in found, "babel.cfg lost its keywords: _l(...) strings are not extracted"
    assert ("Log in", None) in found, "babel.cfg no longer extracts the templates"
    assert len(found) > 150


@pytest.mark.parametrize("locale", LOCALES)
def test_every_string_in_the_code_has_a_translation(locale):
    po = po_path(locale, "messages")
    catalog = read_catalog(po)
    missing = []
    for (msgid, context), places in sorted(extracted().items()):
        message = catalog.get(msgid, context=context)
        if message is None or untranslated(message):
            missing.append(f"{msgid!r}  ({', '.join(places[:3])})")
    assert not missing, (
        f"{len(missing)} string(s) in the code have no {locale} translation:\n{described(missing)}\n"
        + UPDATE.format(po=po.relative_to(ROOT)))


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("domain", ["admin", "wtforms"])
def test_every_library_string_has_a_translation(locale, domain):
    template = read_catalog(TRANSLATIONS / f"{domain}.pot")
    po = po_path(locale, domain)
    catalog = read_catalog(po)
    missing = [repr(m.id) for m in entries(template)
               if (found := catalog.get(m.id, context=m.context)) is None or untranslated(found)]
    assert not missing, (
        f"{len(missing)} string(s) of the {domain} domain have no {locale} translation:\n{described(missing)}\n"
        + UPDATE.format(po=po.relative_to(ROOT)))


LIBRARY_POTS = ("Run `bash scripts/translations library-pots`, then `update`, translate the new "
                "strings and `compile`.")


def test_library_templates_match_the_installed_libraries():
    template = read_catalog(TRANSLATIONS / "admin.pot")
    made_from, installed = f"{template.project} {template.version}", f"Flask-Admin {version('Flask-Admin')}"
    assert made_from == installed, (
        f"translations/admin.pot was made from {made_from}, but {installed} is installed. {LIBRARY_POTS}")
    shipped = Path(wtforms.__file__).parent / "locale" / "wtforms.pot"
    assert (TRANSLATIONS / "wtforms.pot").read_bytes() == shipped.read_bytes(), (
        f"translations/wtforms.pot is not the one WTForms {version('WTForms')} ships. {LIBRARY_POTS}")


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_plural_forms(locale, domain):
    catalog = read_catalog(po_path(locale, domain))
    assert catalog.plural_forms == "nplurals=2; plural=(n != 1);"
    wrong = [m.id for m in entries(catalog) if m.pluralizable and len(m.string) != catalog.num_plurals]
    assert not wrong, f"plural entries without {catalog.num_plurals} forms: {wrong}"


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_no_fuzzy_entries(locale, domain):
    po = po_path(locale, domain)
    catalog = read_catalog(po)
    assert not catalog.fuzzy, f"{po.relative_to(ROOT)}: the header is marked fuzzy; `pybabel compile` would skip the file"
    fuzzy = [repr(m.id) for m in entries(catalog) if m.fuzzy]
    assert not fuzzy, (
        f"{po.relative_to(ROOT)} has {len(fuzzy)} fuzzy entr(ies), guesses by `update` from a similar "
        f"old string, left out of the .mo:\n{described(fuzzy)}\n"
        "Correct each translation and delete its '#, fuzzy' line, then `bash scripts/translations compile`.")


# %(name)s, %(num)d, %s ... as Python's % operator reads them; %% is a literal percent sign.
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[#0\- +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def placeholders(text):
    return sorted(p for p in PLACEHOLDER.findall(text) if p != "%%")


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_placeholders_match(locale, domain):
    catalog = read_catalog(po_path(locale, domain))
    wrong = []
    for m in entries(catalog):
        if m.pluralizable:
            # Form 0 is said of one (n == 1), the others of many.
            pairs = [(m.id[0] if i == 0 else m.id[1], s) for i, s in enumerate(m.string)]
        else:
            pairs = [(m.id, m.string)]
        for msgid, msgstr in pairs:
            if msgstr and placeholders(msgid) != placeholders(msgstr):
                wrong.append(f"{msgid!r} has {placeholders(msgid)}, its translation {placeholders(msgstr)}")
    assert not wrong, ("translations must keep every placeholder of the English exactly "
                       "(the name and the letter after it):\n" + described(wrong))


def compiled(catalog):
    """(id, context) -> translation, as the app reads them from a .mo file."""
    def key(value):
        return tuple(value) if isinstance(value, list) else value
    return {(key(m.id), m.context): key(m.string) for m in catalog if m.id}, catalog.plural_forms


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_mo_files_are_compiled_from_the_po_files(locale, domain):
    po = po_path(locale, domain)
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo.relative_to(ROOT)} is missing. {COMPILE}"
    fresh = io.BytesIO()
    write_mo(fresh, read_catalog(po))  # what `pybabel compile` writes
    fresh.seek(0)
    with open(mo, "rb") as f:
        committed = read_mo(f)
    (ours, our_plural), (wanted, wanted_plural) = compiled(committed), compiled(read_mo(fresh))
    stale = sorted(repr(msgid) for msgid, context in ours.keys() | wanted.keys()
                   if ours.get((msgid, context)) != wanted.get((msgid, context)))
    if our_plural != wanted_plural:
        stale.insert(0, "the Plural-Forms header")
    assert not stale, (f"{mo.relative_to(ROOT)} is older than its .po; they differ in:\n"
                       f"{described(stale[:10])}\n{COMPILE}")


# In the app: the pages a Hindi reader sees.

def hindi(msgid, domain="messages"):
    message = read_catalog(po_path("hi", domain)).get(msgid)
    assert message is not None and message.string and message.string != msgid, f"no Hindi for {msgid!r}"
    return message.string


def test_log_in_page_in_hindi(client):
    page = client.get("/login?lang=hi").get_data(as_text=True)
    assert '<html lang="hi">' in page
    assert hindi("Log in") in page
    assert hindi("Password") in page
    assert ">Log in<" not in page


def test_admin_list_in_hindi(admin_client, catalogue):
    page = admin_client.get("/admin/service/?lang=hi").get_data(as_text=True)
    assert '<html lang="hi">' in page
    for label in ("Name (English)", "Time limit", "Department", "Services"):
        assert hindi(label) in page, label
    assert hindi("working days") in page  # a time limit cell
    assert hindi("Published") in page  # a status cell
    assert "Name (English)" not in page


def test_flask_admin_words_in_hindi(admin_client, catalogue):
    # Passes once backoffice/admin/__init__.py gives Admin(...) our catalogue of
    # Flask-Admin's words: translations_path=app.config["BABEL_TRANSLATION_DIRECTORIES"].
    page = admin_client.get("/admin/service/?lang=hi").get_data(as_text=True)
    words = [w for w in ("Create", "Search", "Export", "Add Filter", "With selected")
             if hindi(w, "admin") not in page]
    assert not words, (
        f"Flask-Admin's own words are in English on the Hindi page ({', '.join(words)}): "
        "Admin(...) in backoffice/admin/__init__.py needs "
        "translations_path=app.config[\"BABEL_TRANSLATION_DIRECTORIES\"] "
        "(translations/hi/LC_MESSAGES/admin.mo)")


def test_form_errors_in_hindi(client):
    # WTForms' own words, from translations/hi/LC_MESSAGES/wtforms.mo (backoffice/i18n.py).
    token = csrf_token(client, "/login?lang=hi")
    page = client.post("/login", data={"email": "", "password": "", "csrf_token": token}).get_data(as_text=True)
    assert f'{hindi("E-mail")}: {hindi("This field is required.", "wtforms")}' in page
