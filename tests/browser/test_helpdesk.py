"""A help-desk agent keeps a canned response and answers a citizen's ticket with it, in the citizen's Hindi."""
import pytest

from models import CannedResponse, Outbox, TicketMessage, database
from tests.backoffice.test_admin_helpdesk import new_ticket
from tests.browser.browser_support import log_in, login_of, press, screenshot

pytestmark = pytest.mark.browser

ANSWER_HI = "आपका राशन कार्ड छप गया है। इसे अपने नज़दीकी सरल केंद्र से लें।"


def test_an_agent_answers_a_ticket_with_a_canned_response(demo_app, page):
    ticket = new_ticket("राशन कार्ड कब मिलेगा?", "मेरा राशन कार्ड अभी तक नहीं मिला।", email="asha@example.in")
    log_in(page, login_of(demo_app, "helpdesk_agent"))

    # The canned response, written once in both languages.
    page.goto("/admin/canned_response/new/?lang=en")
    page.fill("#title", "Ration card printed")
    page.fill("#body_en", "Your ration card is printed. Collect it from your nearest Saral centre.")
    page.fill("#body_hi", ANSWER_HI)
    press(page, "input[type=submit][value='Save']")
    with database.connection_context():
        assert CannedResponse.get(CannedResponse.title == "Ration card printed").body_hi == ANSWER_HI

    # The ticket from the inbox; the canned response in Hindi into the reply box; sent.
    page.goto("/admin/ticket/?lang=en")
    press(page, f"tr:has-text('{ticket.number}') a[title='View Record']")
    press(page, "span:has-text('Ration card printed') a[lang=hi]")
    assert page.input_value("#reply-text") == ANSWER_HI
    screenshot(page, "helpdesk-ticket-canned-answer")
    press(page, "button:text('Send the answer')")
    with database.connection_context():
        sent = TicketMessage.get(TicketMessage.ticket == ticket.id, TicketMessage.kind == "outbound")
        assert sent.body_text.strip() == ANSWER_HI
        assert Outbox.select().where(Outbox.channel == "email", Outbox.address == "asha@example.in").count() == 1
    assert ANSWER_HI in page.inner_text("body")
