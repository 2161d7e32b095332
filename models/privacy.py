"""A citizen's rights under India's Digital Personal Data Protection Act, 2023: his data, and its erasure.

export(citizen) gathers everything held about him into a ZIP (JSON and his
documents). erase(citizen) is the Right to Service Act's compromise with
erasure: a request's record must be kept (who decided what, when, how late),
so rows are not deleted. Instead every personal value is replaced by the
citizen's pseudonym, wherever it is stored: his record, his answers and
documents, his tickets' messages and their raw mail, the mail and SMS sent to
him, the audit log's before and after values, the notes of his requests'
histories. Counts, dates, statuses, decisions and who acted stay. Request
events and audit entries are otherwise append-only; this is the one change
the application ever makes to them (_rewrite). Both are audited, without a
personal value in the entry. docs/privacy.md tells the whole story.
"""
import io
import json
import zipfile

from peewee import Model

from . import audit
from .appeals import Appeal, CommissionDecision
from .audit import AuditEntry
from .db import database, is_postgresql
from .errors import DomainError
from .helpdesk import DONE as TICKET_DONE, HelpTicket, TicketAttachment, TicketMessage, TicketParticipant
from .login_codes import LoginCode
from .notifications import BouncedAddress, DevelopmentSms, Outbox, OutboxAttachment
from .people import Citizen
from .request_documents import RequestDocument
from .requests import Delivery, RequestEvent, RequestRating, ServiceRequest
from .timeutil import utcnow
from .tokens import ApiToken

ERASED_DOMAIN = "erased.invalid"  # .invalid reaches nobody (RFC 2606)
# Shorter answers ("Yes", "2", a district's name) are replaced where they are his own
# (his answers), but not hunted for inside other people's text, where they would be everyone's words.
SHORTEST_HUNTED = 5


def pseudonym(citizen):
    return f"erased-{citizen.id}"


def _address(citizen):
    return f"{pseudonym(citizen)}@{ERASED_DOMAIN}"


# --- export ------------------------------------------------------------------------

def export(citizen, officer, now=None):
    """A ZIP (bytes) of everything held about `citizen`; the export is audited."""
    with database.atomic():
        files = _gather(citizen)
        audit.record(officer, "export", citizen, note="privacy export")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content if isinstance(content, bytes) else _json(content))
    return buffer.getvalue()


def _json(value):
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


def _row(row, *names):
    return {name: getattr(row, name) if not name.endswith("_id") else row.__data__.get(name[:-3])
            for name in names}


def _gather(citizen):
    files = {"citizen.json": _row(citizen, "id", "name", "mobile", "email", "language", "district_id",
                                  "created_at", "erased_at")}
    requests = list(_requests(citizen).order_by(ServiceRequest.submitted_at))
    listed = []
    for request in requests:
        entry = _row(request, "tracking_number", "status", "submitted_at", "due_at", "closed_at", "appeal_level",
                     "form_values")
        entry["service"] = request.service.code
        entry["history"] = [_row(e, "at", "kind", "from_status", "to_status", "note")
                            for e in request.events.order_by(RequestEvent.at, RequestEvent.id)]
        entry["appeals"] = [_row(a, "level", "reason", "grounds", "appealed_at")
                            for a in Appeal.select().where(Appeal.request == request).order_by(Appeal.level)]
        entry["rating"] = [_row(r, "stars", "comment", "rated_at")
                           for r in RequestRating.select().where(RequestRating.request == request)]
        listed.append(entry)
        for document in RequestDocument.select().where(RequestDocument.request == request):
            files[f"documents/{request.tracking_number}/{document.key}-{document.filename}"] = bytes(document.content)
        for delivery in Delivery.select().where(Delivery.request == request, Delivery.content.is_null(False)):
            files[f"issued/{request.tracking_number}-{delivery.filename}"] = bytes(delivery.content)
    files["requests.json"] = listed
    tickets = []
    for ticket in _tickets(citizen).order_by(HelpTicket.created_at):
        messages = ticket.messages.where(TicketMessage.kind != "note").order_by(TicketMessage.created_at)
        tickets.append({**_row(ticket, "number", "subject", "status", "created_at"),
                        "messages": [_row(m, "kind", "sender_address", "subject", "body_text", "created_at")
                                     for m in messages]})
        for attachment in (TicketAttachment.select().join(TicketMessage)
                           .where(TicketMessage.ticket == ticket, TicketAttachment.content.is_null(False))):
            files[f"tickets/{ticket.number}/{attachment.id}-{attachment.filename}"] = bytes(attachment.content)
    files["tickets.json"] = tickets
    files["messages.json"] = [_row(m, "channel", "address", "subject", "body_text", "status", "created_at",
                                   "sent_at") for m in _to_him(citizen).order_by(Outbox.created_at)]
    return files


# --- what is his ------------------------------------------------------------------

def _requests(citizen):
    return ServiceRequest.select().where(ServiceRequest.citizen == citizen)


def _tickets(citizen):
    return HelpTicket.select().where(HelpTicket.requester_citizen == citizen)


def _addresses(citizen):
    return [a for a in (citizen.mobile, citizen.email) if a]


def _to_him(citizen):
    return Outbox.select().where(Outbox.address.in_(_addresses(citizen) or [""]))


def _hunted(citizen):
    """His values to look for in text others wrote about him: longest first, so a name goes before its part."""
    values = {citizen.name, citizen.mobile, citizen.email}
    for request in _requests(citizen):
        values.update(_strings(request.form_values))
    return sorted((v for v in values if v and len(v) >= SHORTEST_HUNTED), key=len, reverse=True)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _scrub(value, hunted, name):
    """`value` (text, or JSON of text) with each of `hunted` replaced by `name`."""
    if isinstance(value, str):
        for text in hunted:
            value = value.replace(text, name)
        return value
    if isinstance(value, dict):
        return {key: _scrub(item, hunted, name) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, hunted, name) for item in value]
    return value


def _rewrite(model, where, **values):
    """UPDATE past the append-only guard of history and the audit log: erasure is its only caller."""
    return Model.update.__func__(model, **values).where(where).execute()


# --- erasure -----------------------------------------------------------------------

def erasure_refusal(citizen):
    """Why `citizen` cannot be erased now (a DomainError), or None."""
    if citizen.erased_at is not None:
        return DomainError("citizen_already_erased")
    # The Right to Service clock runs for him: his requests are decided first, with his data.
    open_requests = _requests(citizen).where(ServiceRequest.closed_at.is_null()).count()
    open_tickets = _tickets(citizen).where(HelpTicket.status.not_in(TICKET_DONE)).count()
    if open_requests or open_tickets:
        return DomainError("erasure_open_business", requests=open_requests, tickets=open_tickets)
    return None


def erase(citizen, officer, reason, now=None):
    """Replace every personal value of `citizen` with his pseudonym; returns {table: rows changed}."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("erasure_reason_required")
    now = now or utcnow()
    with database.atomic():
        # Read again under a lock: two administrators erasing at once erase once.
        query = Citizen.select().where(Citizen.id == citizen.id)
        citizen = (query.for_update() if is_postgresql() else query).get()
        refusal = erasure_refusal(citizen)
        if refusal:
            raise refusal
        name, hunted = pseudonym(citizen), _hunted(citizen)
        changed = {}
        # Outbox and tickets are found by his addresses, so before his record loses them.
        changed.update(_erase_mail(citizen, name, hunted, now))
        changed.update(_erase_tickets(citizen, name, hunted))
        changed.update(_erase_requests(citizen, name, hunted))
        changed["audit_entry"] = _erase_audit(citizen, name, hunted)
        changed["login_code"] = LoginCode.delete().where(LoginCode.mobile == (citizen.mobile or "")).execute()
        changed["api_token"] = ApiToken.delete().where(ApiToken.citizen == citizen).execute()
        Citizen.update(name=name, mobile=None, email=_address(citizen), erased_at=now).where(
            Citizen.id == citizen.id).execute()
        # The entry names the row and the reason, never a value that was erased.
        audit.record(officer, "erase", citizen, note=_scrub(reason, hunted, name))
    return changed


def _erase_requests(citizen, name, hunted):
    requests = [r.id for r in _requests(citizen)]
    if not requests:
        return {}
    changed = {"service_request": 0, "request_event": 0}
    for request in ServiceRequest.select().where(ServiceRequest.id.in_(requests)):
        request.form_values = {key: name for key in request.form_values}
        changed["service_request"] += request.save(only=[ServiceRequest.form_values])
    for event in RequestEvent.select().where(RequestEvent.request.in_(requests), RequestEvent.note != ""):
        note = name if event.citizen_id == citizen.id else _scrub(event.note, hunted, name)
        if note != event.note:
            changed["request_event"] += _rewrite(RequestEvent, RequestEvent.id == event.id, note=note)
    changed["appeal"] = _rewrite(Appeal, Appeal.request.in_(requests) & (Appeal.grounds != ""), grounds=name)
    # His stars count on the dashboard; his words are his.
    changed["request_rating"] = RequestRating.update(comment=name).where(
        RequestRating.request.in_(requests), RequestRating.comment != "").execute()
    changed["request_document"] = RequestDocument.update(filename=name, sha256="", content=b"").where(
        RequestDocument.request.in_(requests)).execute()
    # The issued document bears his name; that and when it was delivered, by whom, stay.
    changed["delivery"] = 0
    for delivery in Delivery.select().where(Delivery.request.in_(requests)):
        note = _scrub(delivery.note, hunted, name) or name
        changed["delivery"] += Delivery.update(note=note, filename=None, sha256=None, content=None).where(
            Delivery.id == delivery.id).execute()
    for decision in CommissionDecision.select().where(CommissionDecision.request.in_(requests)):
        _rewrite(CommissionDecision, CommissionDecision.id == decision.id, note=_scrub(decision.note, hunted, name))
    return changed


def _erase_tickets(citizen, name, hunted):
    tickets = [t.id for t in _tickets(citizen)]
    mine = TicketMessage.ticket.in_(tickets or [0])
    if citizen.email:
        mine |= TicketMessage.sender_address == citizen.email.lower()
    messages = [m.id for m in TicketMessage.select(TicketMessage.id).where(mine)]
    changed = {"help_ticket": HelpTicket.update(subject=name).where(HelpTicket.id.in_(tickets or [0])).execute()}
    changed["ticket_message"] = 0
    for message in TicketMessage.select().where(TicketMessage.id.in_(messages or [0])):
        message_id = _scrub(message.message_id, hunted, name) if message.message_id else None
        changed["ticket_message"] += TicketMessage.update(
            sender_address=_address(citizen) if message.sender_address else "",
            sender_name=name if message.sender_name else "", subject=name if message.subject else "",
            body_text=name if message.body_text else "", body_html=None, raw=None, raw_sha256=None,
            message_id=message_id).where(TicketMessage.id == message.id).execute()
    changed["ticket_attachment"] = TicketAttachment.update(filename=name, sha256=None, content=None).where(
        TicketAttachment.message.in_(messages or [0])).execute()
    # Others' tickets about his requests (an officer asking the help desk) are theirs: only his values go.
    about = HelpTicket.select().where(HelpTicket.request.in_(_requests(citizen).select(ServiceRequest.id)),
                                      HelpTicket.id.not_in(tickets or [0]))
    for ticket in about:
        HelpTicket.update(subject=_scrub(ticket.subject, hunted, name)).where(HelpTicket.id == ticket.id).execute()
        for message in TicketMessage.select().where(TicketMessage.ticket == ticket, TicketMessage.id.not_in(
                messages or [0])):
            fields = {field: _scrub(getattr(message, field), hunted, name)
                      for field in ("subject", "body_text", "body_html")}
            if any(fields[field] != getattr(message, field) for field in fields):
                changed["ticket_message"] += TicketMessage.update(**fields, raw=None, raw_sha256=None).where(
                    TicketMessage.id == message.id).execute()
    if citizen.email:
        changed["ticket_participant"] = TicketParticipant.update(address=_address(citizen)).where(
            TicketParticipant.address == citizen.email.lower()).execute()
        changed["bounced_address"] = BouncedAddress.update(address=_address(citizen), diagnostic=name).where(
            BouncedAddress.address == citizen.email.lower()).execute()
    return changed


def _erase_mail(citizen, name, hunted, now):
    """Mail and SMS to him lose their text and address (and, waiting, are not sent); mail about him to others is
    scrubbed of his values."""
    to_him = [m.id for m in _to_him(citizen)]
    changed = {"outbox": 0}
    if to_him:
        Outbox.update(status="failed", last_error="erased before it was sent").where(
            Outbox.id.in_(to_him), Outbox.status == "pending").execute()
        for channel, address in (("email", _address(citizen)), ("sms", name)):
            changed["outbox"] += Outbox.update(address=address, name=name, subject=name, body_text=name,
                                               body_html=None).where(
                Outbox.id.in_(to_him), Outbox.channel == channel).execute()
        changed["outbox_attachment"] = OutboxAttachment.update(filename=name, content=b"").where(
            OutboxAttachment.outbox.in_(to_him)).execute()
        if citizen.mobile:
            changed["development_sms"] = DevelopmentSms.update(mobile=name[:15], text=name).where(
                DevelopmentSms.mobile == citizen.mobile).execute()
    about = (Outbox.about_request.in_(_requests(citizen).select(ServiceRequest.id))
             | Outbox.about_ticket.in_(_tickets(citizen).select(HelpTicket.id)))
    for message in Outbox.select().where(about, Outbox.id.not_in(to_him or [0])):
        fields = {field: _scrub(getattr(message, field), hunted, name)
                  for field in ("name", "subject", "body_text", "body_html", "last_error")}
        if any(fields[f] != getattr(message, f) for f in fields):
            changed["outbox"] += Outbox.update(**fields).where(Outbox.id == message.id).execute()
    return changed


def _his_rows(citizen):
    """(table, row ids) of every row about him that the audit log may name."""
    requests = _requests(citizen).select(ServiceRequest.id)
    tickets = _tickets(citizen).select(HelpTicket.id)
    return [
        ("citizen", [citizen.id]),
        ("service_request", [r.id for r in requests]),
        ("request_document", [d.id for d in RequestDocument.select(RequestDocument.id)
                              .where(RequestDocument.request.in_(requests))]),
        ("delivery", [d.id for d in Delivery.select(Delivery.id).where(Delivery.request.in_(requests))]),
        ("help_ticket", [t.id for t in tickets]),
        ("ticket_message", [m.id for m in TicketMessage.select(TicketMessage.id)
                            .where(TicketMessage.ticket.in_(tickets))]),
    ]


def _erase_audit(citizen, name, hunted):
    """Before and after values of his rows' entries: his personal fields to the pseudonym, his values scrubbed."""
    own = {"name", "mobile", "email", "form_values", "filename", "sha256", "content", "subject", "body_text",
           "body_html", "sender_address", "sender_name", "grounds", "comment"}
    changed = 0
    for table, ids in _his_rows(citizen):
        if not ids:
            continue
        entries = AuditEntry.select().where(AuditEntry.model_name == table,
                                            AuditEntry.row_id.in_([str(i) for i in ids]))
        for entry in entries:
            changes = {field: ([name if v is not None else None for v in pair]
                               if field in own and isinstance(pair, list) else _scrub(pair, hunted, name))
                       for field, pair in entry.changes.items()}
            note = _scrub(entry.note, hunted, name)
            if changes != entry.changes or note != entry.note:
                changed += _rewrite(AuditEntry, AuditEntry.id == entry.id, changes=changes, note=note)
    return changed
