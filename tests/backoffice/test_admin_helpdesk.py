"""The help desk's screens (backoffice/admin/helpdesk.py): inbox, ticket, reply, notes, merge, look-up, logs."""
import datetime
import re

import pytest

from backoffice.helpdesk import parse
from models import (
    AuditEntry, BouncedAddress, CannedResponse, Citizen, HelpTicket, Outbox, TicketMessage, database, helpdesk,
    notifications, scope,
)
from models.timeutil import utcnow
from tests.backoffice.admin_support import errors, submit
from tests.backoffice.helpdesk_support import (
    act, act_as_of, agent, corpus, ingest, ticket_page, request_numbered, _FORM_TOKEN, _VERSION,
)
from tests.conftest import login, make_officer
from tests.rows import snapshot

NUMBER = re.compile(r"JS-\d{6}")


@pytest.fixture
def agent_client(client):
    response = login(client, agent().email)
    assert response.status_code == 302
    return client


def text(page):
    return page.get_data(as_text=True)


def fresh(ticket):
    with database.connection_context():
        return HelpTicket.get_by_id(ticket.id)


def new_ticket(subject="Pension", text="When?", email="asha@example.in", **fields):
    with database.connection_context():
        citizen = Citizen.get_or_none(Citizen.email == email) or Citizen.create(
            name="आशा देवी", email=email, mobile=fields.pop("mobile", None), language="hi")
        ticket = helpdesk.open_ticket(citizen, subject, text, channel="email")
        if fields:
            HelpTicket.update(**fields).where(HelpTicket.id == ticket.id).execute()
        return HelpTicket.get_by_id(ticket.id)


def numbers(page):
    return set(NUMBER.findall(text(page)))


def everything():
    with database.connection_context():
        return snapshot()


# --- the inbox -------------------------------------------------------------------------------

def test_the_inbox_lists_mine_unassigned_waiting_and_overdue_with_the_targets(app, agent_client):
    me = agent()
    long_ago = utcnow() - datetime.timedelta(days=30)
    mine = new_ticket("Mine", assigned_agent=me.id, first_response_due=long_ago)
    unassigned = new_ticket("Nobody's")
    waiting = new_ticket("Waiting", status="waiting_on_requester", assigned_agent=me.id)
    done = new_ticket("Done", status="resolved", assigned_agent=me.id)
    inbox = agent_client.get("/admin/ticket/")
    assert numbers(inbox) >= {t.number for t in (mine, unassigned, waiting, done)}
    assert "first response overdue since" in text(inbox) and "first response by" in text(inbox)
    links = dict(re.findall(r'href="([^"]+)" class="btn btn-sm btn-outline-secondary mr-1">([^<]+)<', text(inbox)))
    lists = {label: numbers(agent_client.get(url.replace("&amp;", "&"))) for url, label in links.items()}
    assert lists["Mine"] == {mine.number, waiting.number}
    assert lists["Unassigned"] == {unassigned.number}
    assert lists["Waiting on requester"] == {waiting.number}
    assert lists["Overdue"] == {mine.number}


# --- the ticket screen -----------------------------------------------------------------------

def test_a_hindi_mail_shows_its_thread_sanitised_and_its_request_at_a_glance(app, agent_client):
    request = request_numbered("HR-2020-AB12-CD34")
    linked = ingest(app, corpus("hindi/01-subject-split-mid-character.eml")).ticket
    html = ingest(app, corpus("hindi/05-html-only-with-script.eml")).ticket
    page = text(ticket_page(agent_client, linked.id))
    assert "मेरा राशन कार्ड अभी तक नहीं मिला" in page and "HR-2020-AB12-CD34" in page
    assert f'/admin/request/details/?id={request.id}&amp;search=HR-2020-AB12-CD34' in page
    page = text(ticket_page(agent_client, html.id))
    thread = page[page.index("<h3 class=\"h5 mt-4\">Thread"):page.index('<h3 class="h5 mt-4" id="reply">')]
    assert "मेरी पेंशन तीन महीने से नहीं आई।" in re.sub(r"<[^>]+>", "", thread)  # as the agent reads it
    for dangerous in ("<script", "onerror", "javascript:", "<img", "document.cookie"):
        assert dangerous not in thread.lower(), dangerous


def test_an_attachment_is_a_download_for_agents_alone_and_each_download_is_audited(app, client):
    request_numbered("HR-2020-AB12-CD34")
    received = ingest(app, corpus("hindi/06-attachment-rfc2231-hindi-filename.eml"))
    with database.connection_context():
        HelpTicket.update(request=HelpTicket.select().first().id).execute()  # in no one's scope but the agents'
        [attachment] = received.message.attachments
    login(client, agent().email)
    page = text(ticket_page(client, received.ticket.id))
    assert f"/admin/ticket/attachment/?id={attachment.id}" in page and "आधार कार्ड प्रति.pdf" in page
    got = client.get(f"/admin/ticket/attachment/?id={attachment.id}")
    assert got.status_code == 200 and got.data == b"%PDF-1.4 minimal test file"
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E0%A4%86%E0%A4%A7" in got.headers["Content-Disposition"]
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    with database.connection_context():
        [entry] = AuditEntry.select().where(AuditEntry.model_name == "ticket_attachment")
        assert (entry.officer_id, entry.action, entry.note) == (agent().id, "view", "ticket attachment")


def test_an_administrator_reads_his_tickets_and_can_change_nothing(app, client):
    request = request_numbered("HR-2020-AB12-CD34")
    ticket = ingest(app, corpus("hindi/01-subject-split-mid-character.eml")).ticket
    other = new_ticket("Elsewhere")
    attachment = ingest(app, corpus("hindi/06-attachment-rfc2231-hindi-filename.eml")).message
    administrator = make_officer("hisar@example.gov.in", "district_admin", district=request.district_id)
    login(client, administrator.email)
    page = ticket_page(client, ticket.id)
    assert page.status_code == 200 and "मेरा राशन कार्ड" in text(page)
    assert "/admin/ticket/reply/" not in text(page)  # no forms: he reads
    assert "ramesh.k@example.in" not in text(page)
    assert f"Ramesh Kumar &lt;{scope.mask('ramesh.k@example.in')}&gt;" in text(page)
    assert numbers(client.get("/admin/ticket/")) == {ticket.number}
    token = _FORM_TOKEN.search(text(page)).group(1)
    version = helpdesk.version(fresh(ticket))
    before = everything()
    refused = act_as_of(client, ticket.id, "reply", token, version, text="No.")
    assert "Only help-desk agents" in errors(refused)
    assert act_as_of(client, other.id, "reply", token, version, text="No.").status_code == 404
    assert errors(act_as_of(client, ticket.id, "merge", token, version, into=other.number))
    with database.connection_context():
        [file] = TicketMessage.get_by_id(attachment.id).attachments
    assert client.get(f"/admin/ticket/attachment/?id={file.id}").status_code == 404
    assert client.get(f"/admin/ticket/raw/?id={attachment.id}").status_code == 404
    assert client.get("/admin/system_mail/").status_code == 403
    assert client.get("/admin/bounced_address/").status_code == 403
    assert client.get("/admin/helpdesk/lookup/?mobile=9876500009").status_code == 403
    assert everything() == before


# --- an agent's actions ------------------------------------------------------------------------

def test_a_reply_from_the_ticket_screen_goes_by_email_through_the_outbox(app, agent_client):
    ticket = new_ticket(mobile="9876500001")
    with database.connection_context():
        TicketMessage.update(sender_address="asha@example.in").execute()
    assert "asha@example.in" not in text(ticket_page(agent_client, ticket.id))  # masked: not his ticket yet
    with database.connection_context():
        HelpTicket.update(assigned_agent=agent().id).where(HelpTicket.id == ticket.id).execute()
    assert "asha@example.in" in text(ticket_page(agent_client, ticket.id))
    page = act(agent_client, ticket.id, "reply", text="आपकी पेंशन इस महीने आएगी।")
    assert "The answer is on its way to asha@example.in by e-mail." in text(page)
    with database.connection_context():
        [row] = Outbox.select()
        assert (row.channel, row.address, row.template, row.automatic) == ("email", "asha@example.in", "", False)
        assert row.subject == f"Re: Pension [{ticket.number}]" and "इस महीने" in row.body_text
        answer = TicketMessage.get(TicketMessage.kind == "outbound")
        assert (answer.ticket_id, answer.message_id, answer.author_officer_id) == (ticket.id, row.message_id,
                                                                                   agent().id)
    assert fresh(ticket).status == "waiting_on_requester"


def test_canned_responses_fill_the_reply_box_in_either_language(app, agent_client):
    ticket = new_ticket()
    with database.connection_context():
        canned = CannedResponse.create(title="Pension delayed", body_en="It comes this month.",
                                       body_hi="इस महीने आएगी।")
    page = text(ticket_page(agent_client, ticket.id))
    assert "Pension delayed" in page and f"canned={canned.id}" in page
    hindi = text(ticket_page(agent_client, ticket.id, canned=canned.id, canned_language="hi"))
    english = text(ticket_page(agent_client, ticket.id, canned=canned.id, canned_language="en"))
    assert re.search(r'<textarea id="reply-text"[^>]*>इस महीने आएगी।</textarea>', hindi)
    assert re.search(r'<textarea id="reply-text"[^>]*>It comes this month.</textarea>', english)


def test_an_agent_keeps_canned_responses_in_both_languages(app, agent_client):
    page = submit(agent_client, "/admin/canned_response/new/",
                  {"title": "Card printed", "body_en": "Your card is printed.", "body_hi": "आपका कार्ड छप गया है।"})
    assert not errors(page)
    with database.connection_context():
        assert CannedResponse.get(CannedResponse.title == "Card printed").body("hi") == "आपका कार्ड छप गया है।"


def test_notes_status_priority_assignment_and_the_linked_request(app, agent_client):
    ticket = new_ticket()
    request = request_numbered("HR-2020-AB12-CD34")
    other = make_officer("second.agent@jansahayak.example", "helpdesk_agent")
    assert "Note added." in text(act(agent_client, ticket.id, "note", text="Called him; he will send the form."))
    assert "Status changed." in text(act(agent_client, ticket.id, "status", status="open"))
    assert "Priority changed" in text(act(agent_client, ticket.id, "priority", priority="urgent"))
    assert f"Assigned to {other.name}." in text(act(agent_client, ticket.id, "assign", agent=other.id))
    assert "Linked request changed." in text(act(agent_client, ticket.id, "link", tracking_number="hr 2020 ab12 cd34"))
    changed = fresh(ticket)
    assert (changed.status, changed.priority, changed.assigned_agent_id, changed.request_id) == (
        "open", "urgent", other.id, request.id)
    assert changed.first_response_due - changed.created_at == datetime.timedelta(hours=4)
    with database.connection_context():
        note = TicketMessage.get(TicketMessage.kind == "note")
        assert (note.body_text, note.author_officer_id) == ("Called him; he will send the form.", agent().id)
        assert Outbox.select().count() == 0  # a note is never sent
        assert AuditEntry.select().where(AuditEntry.model_name == "help_ticket").count() == 4


@pytest.mark.parametrize("action, data, message", [
    ("reply", {"text": "   "}, "Write the answer first."),
    ("note", {"text": ""}, "Write the note first."),
    ("note", {"text": "x" * 300_000}, "Keep it to 10000 characters; this is 300000."),
    ("reply", {"text": "x" * 10_001}, "Keep it to 10000 characters; this is 10001."),
    ("status", {"status": "new"}, "cannot be moved to"),
    ("priority", {"priority": "whenever"}, "Unknown priority"),
    ("assign", {"agent": "999999"}, "is not an active help-desk agent"),
    ("link", {"tracking_number": "HR-2020-ZZZZ-ZZZZ"}, "There is no request"),
    ("merge", {"into": "JS-999999"}, "There is no ticket JS-999999."),
])
def test_a_refused_action_changes_nothing(app, agent_client, action, data, message):
    ticket = new_ticket()
    before = everything()
    page = act(agent_client, ticket.id, action, **data)
    assert message in errors(page)
    assert everything() == before


def test_an_action_on_a_ticket_that_changed_since_it_was_read_is_refused(app, agent_client):
    ticket = new_ticket()
    page = text(ticket_page(agent_client, ticket.id))
    token, version = _FORM_TOKEN.search(page).group(1), _VERSION.search(page).group(1)
    # The requester writes again while the agent types.
    ingest(app, (f"From: asha@example.in\r\nTo: help@jansahayak.example\r\nSubject: Re: [{ticket.number}]\r\n"
                 f"Message-ID: <again@example.in>\r\n\r\nAlso my address changed.\r\n").encode())
    before = everything()
    refused = act_as_of(agent_client, ticket.id, "reply", token, version, text="It comes this month.")
    assert "changed while you were reading it" in errors(refused)
    assert everything() == before
    assert "Also my address changed." in text(refused)  # shown the ticket as it is now,
    assert re.search(r'<textarea id="reply-text"[^>]*>It comes this month.</textarea>', text(refused))  # his words kept


def test_a_duplicate_is_merged_into_another_ticket_and_its_mail_follows(app, agent_client):
    first = new_ticket("Pension", "When does it come?")
    duplicate = new_ticket("Pension again", "Still nothing", email="ravi@example.in")
    key = app.config["SECRET_KEY"]
    page = act(agent_client, duplicate.id, "merge", into=first.number.lower())
    assert f"Merged into {first.number}, and closed." in text(page)
    merged, kept = fresh(duplicate), fresh(first)
    assert (merged.status, merged.merged_into_id, merged.resolved_at is not None) == ("closed", first.id, True)
    with database.connection_context():
        assert [m.body_text for m in kept.messages.order_by(TicketMessage.id)] == ["When does it come?",
                                                                                  "Still nothing"]
        assert helpdesk.participates(kept, "ravi@example.in")
        notes = {e.note for e in AuditEntry.select().where(AuditEntry.model_name == "help_ticket")}
        assert notes == {f"{duplicate.number} merged into {first.number}"}
        token = helpdesk.thread_token(merged, key)
    assert f"Merged into {first.number}" in text(ticket_page(agent_client, duplicate.id))
    assert "/admin/ticket/reply/" not in text(ticket_page(agent_client, duplicate.id))
    # Mail answering the duplicate, by its token or by its subject tag, lands on the ticket it was merged into.
    by_token = ingest(app, (f"From: ravi@example.in\r\nTo: help@jansahayak.example\r\nSubject: Re: x\r\n"
                            f"In-Reply-To: <{token}.0000@jansahayak.example>\r\nMessage-ID: <r1@example.in>\r\n\r\n"
                            f"Any news?\r\n").encode())
    by_tag = ingest(app, (f"From: ravi@example.in\r\nTo: help@jansahayak.example\r\nSubject: [{duplicate.number}]\r\n"
                          f"Message-ID: <r2@example.in>\r\n\r\nHello?\r\n").encode())
    assert (by_token.ticket.id, by_token.message.threaded_by) == (first.id, "token")
    assert (by_tag.ticket.id, by_tag.message.threaded_by) == (first.id, "subject")


def test_a_merge_refused_changes_nothing(app, agent_client):
    first, second = new_ticket("One"), new_ticket("Two")
    act(agent_client, second.id, "merge", into=first.number)
    for ticket, into, message in ((first, first.number, "cannot be merged into itself"),
                                  (first, second.number, f"was merged into {first.number}")):
        before = everything()
        assert message in errors(act(agent_client, ticket.id, "merge", into=into))
        assert everything() == before


# --- the look-up, the system-mail log, the bounce list, quarantine -------------------------------------

def test_a_citizens_requests_and_tickets_by_his_mobile_number(app, agent_client):
    request = request_numbered("HR-2020-AB12-CD34")  # Ramesh Kumar, 9876500009
    with database.connection_context():
        ticket = helpdesk.open_ticket(request.citizen, "Ration card", "Where is it?", channel="app")
    new_ticket("Someone else's", mobile="9876500001")
    page = text(agent_client.get("/admin/helpdesk/lookup/?mobile=9876500009"))
    assert "HR-2020-AB12-CD34" in page and ticket.number in page
    assert f"/admin/request/details/?id={request.id}&amp;search=9876500009" in page
    assert "Someone else" not in page
    assert agent_client.get(f"/admin/request/details/?id={request.id}&search=9876500009").status_code == 200


def test_machine_mail_is_in_the_system_mail_log_and_a_bounce_can_be_cleared(app, agent_client):
    ingest(app, corpus("hindi/03-out-of-office-auto-reply.eml"))
    bounce = ingest(app, corpus("hindi/04-bounce-dsn.eml"))
    log = text(agent_client.get("/admin/system_mail/"))
    assert "Automatic reply" in log and "Bounce" in log
    details = agent_client.get(f"/admin/system_mail/details/?id={bounce.message.id}")
    assert details.status_code == 200
    raw = agent_client.get(f"/admin/system_mail/raw/?id={bounce.message.id}")
    assert raw.headers["Content-Disposition"].startswith("attachment;") and raw.data == corpus(
        "hindi/04-bounce-dsn.eml")
    # That report returns no mail of ours, so it stops nobody's mail; one that does, as the list shows it:
    assert "nonexistent.citizen@example.in" not in text(agent_client.get("/admin/bounced_address/"))
    with database.connection_context():
        notifications.mark_bounced("nonexistent.citizen@example.in", status="5.1.1", message=bounce.message)
    bounces = text(agent_client.get("/admin/bounced_address/"))
    assert "nonexistent.citizen@example.in" in bounces and "5.1.1" in bounces
    with database.connection_context():
        [row] = BouncedAddress.select()
    page = submit(agent_client, "/admin/bounced_address/action/", {"action": "clear", "rowid": [str(row.id)]},
                  form_url="/admin/bounced_address/")
    assert "1 address cleared" in text(page)
    with database.connection_context():
        assert BouncedAddress.select().count() == 0
        assert AuditEntry.get(AuditEntry.model_name == "bounced_address").note == "bounce cleared"


def test_an_over_limit_message_is_quarantined_with_a_notice_to_agents(app, agent_client, monkeypatch):
    monkeypatch.setattr(parse, "MAX_MESSAGE", 1000)
    raw = (b"From: asha@example.in\r\nTo: help@jansahayak.example\r\nSubject: Scans\r\nMessage-ID: <big@x>\r\n\r\n"
           + b"x" * 2000 + b"\r\n")
    received = ingest(app, raw)
    assert received.created and received.message.quarantined
    quarantined = agent_client.get("/admin/ticket/").get_data(as_text=True)
    link = re.search(r'href="([^"]+)"[^>]*>Quarantined mail<', quarantined).group(1).replace("&amp;", "&")
    assert numbers(agent_client.get(link)) == {received.ticket.number}
    page = text(ticket_page(agent_client, received.ticket.id))
    assert "Over the size limit: kept whole in quarantine" in page and "x" * 100 not in page
    assert agent_client.get(f"/admin/ticket/raw/?id={received.message.id}").data == raw


def test_the_home_page_counts_open_and_overdue_tickets(app, agent_client):
    long_ago = utcnow() - datetime.timedelta(days=30)
    new_ticket("Late", first_response_due=long_ago)
    new_ticket("Later", first_responded_at=long_ago, resolution_due=long_ago)
    new_ticket("In time")
    new_ticket("Done", status="closed", resolution_due=long_ago)
    home = text(agent_client.get("/admin/"))
    figures = dict(re.findall(r'<a href="[^"]+">([^<]+)</a>: <strong>(\d+)</strong>', home))
    assert figures == {"Open tickets": "3", "First response overdue": "1", "Resolution overdue": "1"}


def test_the_ticket_screen_in_hindi(app, agent_client):
    ticket = new_ticket()
    page = text(agent_client.get(f"/admin/ticket/details/?id={ticket.id}&lang=hi"))
    assert '<html lang="hi">' in page
    for words in ("संदेशों का क्रम", "उत्तर भेजें", "आंतरिक टिप्पणी", "इस दोहराए गए टिकट को दूसरे टिकट में मिलाएँ"):
        assert words in page, words
    assert "इनबॉक्स" in text(agent_client.get("/admin/ticket/?lang=hi"))
