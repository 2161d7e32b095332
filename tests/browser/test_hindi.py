"""The language switch: an officer who picks हिन्दी reads every page of the journeys in Hindi, and keeps it.

Every piece of text a page shows in Hindi is read; a run of Latin letters in it fails the test unless it is
data (a person's or a place's name, shown beside its Hindi one, what people typed),
a code, an e-mail address, a file name, a tracking or ticket number, or one of the few abbreviations Hindi
writes in Latin letters too.
Text marked lang="en" (the language switch's "English") is English on purpose.
"""
import re

import pytest

from models import (
    Area, Citizen, Delivery, Department, Designation, District, HelpTicket, Officer, RequestEvent, Service,
    ServiceRequest, database,
)
from tests.backoffice.test_admin_helpdesk import new_ticket
from tests.browser.browser_support import log_in, log_out, login_of, press, screenshot

pytestmark = pytest.mark.browser

# Written in Latin letters in Hindi as well: the time zone, file types and their units, mobile messages.
ABBREVIATIONS = {"IST", "PDF", "CSV", "JPEG", "PNG", "KB", "SMS", "ID"}
LATIN = re.compile(r"[A-Za-z][A-Za-z'’.]*")
# Tracking and ticket numbers, services' codes (HR-2026-ABCD-EFG0, JS-000001, REV-SC), fields' keys (patient_name).
CODE = re.compile(r"\b[A-Z0-9]+(?:[-_][A-Z0-9]+)+\b|\b[a-z0-9]+(?:_[a-z0-9]+)+\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
FILE_NAME = re.compile(r"[\w.-]+\.(?:pdf|png|jpe?g|csv|zip)\b", re.I)

# Every piece of text a reader sees on the page, with the language it is marked as: text nodes that are
# drawn, the buttons' and inputs' words, the page's title.
VISIBLE_TEXT = """() => {
    const pieces = [[document.title, document.documentElement.lang]];
    const language = element => (element.closest('[lang]') || document.documentElement).lang;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const element = node.parentElement;
        if (!node.textContent.trim() || ['SCRIPT', 'STYLE', 'TEXTAREA'].includes(element.tagName)) continue;
        // A list's choices are read when it opens; anything else only when it is drawn.
        if (element.tagName !== 'OPTION' && !element.checkVisibility()) continue;
        pieces.push([node.textContent, language(element)]);
    }
    for (const input of document.querySelectorAll('input[type=submit], input[type=button], [placeholder], [aria-label]')) {
        if (!input.checkVisibility()) continue;
        for (const text of [input.value && input.type.match(/submit|button/) ? input.value : '',
                            input.placeholder || '', input.getAttribute('aria-label') || '']) {
            if (text.trim()) pieces.push([text, language(input)]);
        }
    }
    return pieces;
}"""


# The steps whose notes people type (the demo's in English), unlike the notes the system writes.
TYPED = ("raise_query", "answer_query", "reject", "deliver")


def data_phrases():
    """The names the database holds in English only or beside their Hindi, the catalogue's codes (the
    services' categories among them), and what people typed (notes, tickets' subjects): shown as they are."""
    with database.connection_context():
        names = [*Officer.select(Officer.name).tuples(), *Citizen.select(Citizen.name).tuples(),
                 *Designation.select(Designation.name).tuples(), *Service.select(Service.category).tuples(),
                 *RequestEvent.select(RequestEvent.note).where(RequestEvent.kind.in_(TYPED)).distinct().tuples(),
                 *Delivery.select(Delivery.note).distinct().tuples(), *HelpTicket.select(HelpTicket.subject).tuples()]
        for model in (District, Area, Department, Service):
            names.extend(model.select(model.code).tuples())
        # Places are named in both languages at once ("Ambala / अंबाला"); a service in the reader's.
        for model in (District, Area, Department):
            names.extend(model.select(model.name_en).tuples())
    return sorted({name for (name,) in names if name}, key=len, reverse=True)


def english_on(page, phrases):
    """The runs of Latin letters the page shows in Hindi that no rule allows, each with its context."""
    assert page.evaluate("document.documentElement.lang") == "hi", page.url
    found = []
    for text, language in page.evaluate(VISIBLE_TEXT):
        if language != "hi":
            continue
        for pattern in (EMAIL, FILE_NAME, phrases, CODE):
            text = pattern.sub(" ", text)
        found += [f"{word!r} in {text.strip()[:80]!r}" for word in LATIN.findall(text)
                  if word.strip(".") not in ABBREVIATIONS]
    return found


def check(page, url, phrases, seen, button=None):
    """Read the page at `url` (after pressing `button`, if given) for English."""
    page.goto(url)
    if button:
        press(page, button)
    seen[f"{url} {button or ''}"] = english_on(page, phrases)


def test_the_language_switch_turns_every_label_of_the_journeys_into_hindi(demo_app, page):
    phrases = re.compile(r"(?<!\w)(?:%s)(?!\w)" % "|".join(re.escape(name) for name in data_phrases()))
    ticket = new_ticket("राशन कार्ड कब मिलेगा?", "मेरा राशन कार्ड अभी तक नहीं मिला।", email="asha@example.in")
    with database.connection_context():
        service = Service.get(Service.code == "REV-VILLAGE-COPY-S")
        # One whose history has it all: filed, routed, a query answered (the clock paused and resumed), delivered.
        queried = RequestEvent.select(RequestEvent.request).where(RequestEvent.kind == "clock_resumed")
        request = ServiceRequest.select().where(ServiceRequest.id.in_(queried),
                                                ServiceRequest.status == "delivered").first()
        field_officer = request.assigned_officer.email
    seen = {}

    # The state administrator, who works in English, switches to Hindi on the home page.
    state = login_of(demo_app, "state_admin")
    with database.connection_context():
        Officer.update(language="en").where(Officer.email == state).execute()
    log_in(page, state)
    assert page.evaluate("document.documentElement.lang") == "en"
    press(page, "a[lang=hi]")
    screenshot(page, "home-hi", whole=False)
    for url in ("/admin/", "/admin/service/", f"/admin/service/edit/?id={service.id}",
                f"/admin/service/form/?id={service.id}", "/admin/service/new/", "/admin/request/",
                f"/admin/request/details/?id={request.id}"):
        check(page, url, phrases, seen)
    check(page, f"/admin/service/form/?id={service.id}", phrases, seen, button="button[value=preview]")
    log_out(page)
    check(page, "/login", phrases, seen)

    # Remembered in his profile: the next log-in is in Hindi, in another browser too.
    with database.connection_context():
        assert Officer.get(Officer.email == state).language == "hi"
    page.context.clear_cookies()
    log_in(page, state)
    assert page.evaluate("document.documentElement.lang") == "hi"
    log_out(page)

    # The other journeys' pages, each officer in Hindi.
    for email, urls in (
        (login_of(demo_app, "district_admin"), ["/admin/"]),
        (field_officer, ["/admin/", "/admin/request/", f"/admin/request/details/?id={request.id}"]),
        ("counter.amb@demo.jansahayak.invalid", ["/admin/", "/admin/counter/"]),
        (login_of(demo_app, "helpdesk_agent"), ["/admin/", "/admin/ticket/", f"/admin/ticket/details/?id={ticket.id}",
                                                 "/admin/canned_response/", "/admin/canned_response/new/"]),
    ):
        log_in(page, email)
        for url in urls:
            check(page, url + ("&" if "?" in url else "?") + "lang=hi", phrases, seen)
        log_out(page)

    english = {url: words for url, words in seen.items() if words}
    assert not english, "\n".join(f"{url}:\n  " + "\n  ".join(words) for url, words in english.items())
