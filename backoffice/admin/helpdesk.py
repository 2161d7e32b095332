"""The help desk's screens: the inbox, a ticket with its thread and an agent's actions, and what agents keep.

Tickets change only through models/helpdesk.py (and backoffice/helpdesk's
reply, which queues the mail in the same transaction); every form on the
ticket screen carries the ticket's version, so an agent acting on a ticket
that moved since he read it (a new message, another agent) is refused and
shown it again. Department and district administrators read the tickets of
their requests here and are offered no form: the models refuse them anyway.
What a sender wrote in HTML is shown only as nh3 left it, sanitised once more
on the way out; attachments and raw messages are downloads, never pages.
"""

from flask import abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_admin.actions import action
from flask_admin.form import SecureForm
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from markupsafe import Markup
from wtforms import Form, HiddenField, StringField
from wtforms.validators import DataRequired

from backoffice import helpdesk as helpdesk_mail_out
from backoffice.auth.forms import flash_errors
from backoffice.downloads import download
from backoffice.helpdesk import markup
from backoffice.messages import describe
from models import (
    BouncedAddress, CannedResponse, Citizen, DomainError, HelpTicket, Officer, ServiceRequest, TicketAttachment,
    TicketMessage, audit, database, helpdesk, helpdesk_mail, notifications, scope,
)
from models.timeutil import utcnow

from . import labels, timeleft
from .base import ReadOnlyModelView, SecureModelView, SecureViewMixin, choice_filter, ist, may_enter
from .ids import row_id
from .scoped import viewer

# Offered for download as what they are; anything else as bytes, so no browser runs a sender's file as a page.
SAFE_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/gif", "text/plain"}


class InboxFilter(timeleft.OptionFilter):
    """The inbox's worklists: mine, unassigned, waiting on the requester, overdue, with a quarantined message."""

    def __init__(self):
        super().__init__(HelpTicket.status, _l("Inbox"), options=(
            ("mine", _l("Mine")),
            ("unassigned", _l("Unassigned")),
            ("waiting", _l("Waiting on requester")),
            ("overdue", _l("Overdue")),
            ("quarantined", _l("Quarantined mail")),
        ))

    def apply(self, query, value):
        open_ = HelpTicket.status.not_in(helpdesk.DONE)
        if value == "mine":
            return query.where(HelpTicket.assigned_agent == viewer().id, open_)
        if value == "unassigned":
            return query.where(HelpTicket.assigned_agent.is_null(), open_)
        if value == "waiting":
            return query.where(HelpTicket.status == "waiting_on_requester")
        if value == "overdue":
            return query.where(helpdesk.overdue())
        return query.where(HelpTicket.id.in_(
            TicketMessage.select(TicketMessage.ticket).where(TicketMessage.quarantined)))


def requester(view, context, ticket, name):
    """Who asked: an officer by name, a citizen by name or else by his masked address (in full to his agent)."""
    person = ticket.requester
    if person is None:
        return _("unknown sender")
    if isinstance(person, Officer):
        return person.name
    return person.name or in_full(ticket, person.email or person.mobile)


def in_full(ticket, contact):
    """A citizen's address or number as models.scope.in_full has it: whole to the ticket's agent, else masked."""
    return contact if ticket.assigned_agent_id == viewer().id else scope.mask(contact)


def due(view, context, ticket, name):
    """The target the ticket works against now: due when, or overdue, in IST."""
    target = helpdesk.next_target(ticket)
    if target is None:
        return ""
    kind, at, late = target
    when = ist(view, at, name)
    if kind == "first_response":
        words = _("first response overdue since %(at)s", at=when) if late else _("first response by %(at)s", at=when)
    else:
        words = _("resolution overdue since %(at)s", at=when) if late else _("resolution by %(at)s", at=when)
    return Markup('<span class="text-danger font-weight-bold">%s</span>') % words if late else words


def linked_request(view, context, ticket, name):
    return ticket.request.tracking_number if ticket.request_id else ""


def merged_into(view, context, ticket, name):
    return ticket.merged_into.number if ticket.merged_into_id else ""


def home_figures(views, officer):
    """(label, count, address) of the help desk's figures on the home page; None for one who sees no ticket."""
    if not scope.offers(officer, HelpTicket):
        return None
    inbox = next(view for view in views if isinstance(view, TicketView))
    figures = helpdesk.counts(scope.rows(officer, HelpTicket))
    overdue = inbox.worklist_url("overdue")
    return [(_("Open tickets"), figures["open"], url_for(f"{inbox.endpoint}.index_view")),
            (_("First response overdue"), figures["first_response_overdue"], overdue),
            (_("Resolution overdue"), figures["resolution_overdue"], overdue)]


class ActionForm(SecureForm):
    version = HiddenField(validators=[DataRequired()])


class TicketView(ReadOnlyModelView):
    """The inbox and the ticket screen. Agents act; administrators read the tickets of their requests."""
    scoped_models = (HelpTicket, TicketMessage, TicketAttachment, ServiceRequest, CannedResponse)
    list_template = "admin/ticket_list.html"
    details_template = "admin/ticket_details.html"
    column_list = ("number", "subject", "requester", "status", "priority", "assigned_agent", "request", "due",
                   "updated_at")
    column_details_list = ("number", "subject", "requester", "channel", "status", "priority", "assigned_agent",
                           "created_at", "due", "first_responded_at", "resolved_at", "merged_into")
    column_searchable_list = ("number", "subject")
    column_filters = (InboxFilter(), choice_filter(HelpTicket.status), choice_filter(HelpTicket.priority))
    column_formatters = {"requester": requester, "due": due, "request": linked_request, "merged_into": merged_into}
    column_sortable_list = ("number", "status", "priority", "updated_at", "created_at")
    column_default_sort = ("updated_at", True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The requester column names the citizen: read with the page, not a query per row.
        self.shown_keys.append(HelpTicket.requester_citizen)

    def worklists(self):
        """(label, address, shown now) of each of the inbox's lists."""
        arg = self._inbox_arg()
        return [(label, self.worklist_url(value), request.args.get(arg) == value)
                for value, label in self._inbox_filter().options]

    def worklist_url(self, value):
        return url_for(f"{self.endpoint}.index_view", **{self._inbox_arg(): value})

    def _inbox_filter(self):
        return next(f for f in self._filters if isinstance(f, InboxFilter))

    def _inbox_arg(self):
        found = self._inbox_filter()
        return f"flt0_{self.get_filter_arg(self._filters.index(found), found)}"

    # --- what the ticket screen shows -------------------------------------------------------

    def acts(self, ticket):
        return helpdesk.acts_on_tickets(viewer()) and ticket.merged_into_id is None

    def thread(self, ticket):
        """The ticket's messages, oldest first, with their attachments (their bytes left in the database)."""
        messages = list(TicketMessage.select(*[f for f in TicketMessage._meta.sorted_fields
                                               if f is not TicketMessage.raw])
                        .where(TicketMessage.ticket == ticket.id)
                        .order_by(TicketMessage.created_at, TicketMessage.id))
        files = {}
        columns = [f for f in TicketAttachment._meta.sorted_fields if f is not TicketAttachment.content]
        withheld = TicketAttachment.content.is_null().alias("withheld")
        if scope.offers(viewer(), TicketAttachment):
            for attachment in (TicketAttachment.select(*columns, withheld)
                               .where(TicketAttachment.message.in_([m.id for m in messages]))
                               .order_by(TicketAttachment.id)):
                files.setdefault(attachment.message_id, []).append(attachment)
        for message in messages:
            message.files = files.get(message.id, [])
        return messages

    def body(self, message):
        """The message as an agent may see it: its sanitised HTML (sanitised again here), else its text."""
        if message.body_html:
            return Markup(markup.sanitise(message.body_html))
        return None

    def author(self, message, ticket):
        """Who wrote it: the agent; or the sender by name, with his address as the requester column shows it."""
        if message.kind != "inbound":
            return message.author_officer.name if message.author_officer_id else ""
        address = in_full(ticket, message.sender_address) if message.sender_address else ""
        if message.sender_name and address:
            return f"{message.sender_name} <{address}>"
        return message.sender_name or address or _("unknown sender")

    def request_glance(self, ticket):
        """(request, with its time left, and a link to its screen, or None when the viewer may not open it), or None."""
        if not ticket.request_id:
            return None
        linked = ticket.request
        timeleft.attach([linked])
        seen = scope.lookup_requests(viewer(), linked.tracking_number).where(ServiceRequest.id == linked.id).exists()
        link = url_for("request.details_view", id=linked.id, search=linked.tracking_number) if seen else None
        return linked, link

    def status_label(self, code):
        return labels.VALUES.get(code, code)

    def kind_label(self, message):
        return {"inbound": _("Message"), "outbound": _("Answer"), "note": _("Internal note")}[message.kind]

    def merged_here(self, ticket):
        return list(HelpTicket.select(HelpTicket.number).where(HelpTicket.merged_into == ticket.id)
                    .order_by(HelpTicket.id))

    def status_choices(self, ticket):
        return [(status, labels.VALUES.get(status, status)) for status in helpdesk.TRANSITIONS[ticket.status]]

    def priority_choices(self):
        return labels.value_choices(HelpTicket.priority)

    def agent_choices(self):
        return list(helpdesk.agents())

    def canned(self):
        return list(CannedResponse.select().order_by(CannedResponse.title))

    def kept(self, action):
        """The text of `action`'s form (reply_view, note_view) when it was refused, to be corrected, not typed again."""
        if request.method == "POST" and request.endpoint == f"{self.endpoint}.{action}":
            return request.form.get("text", "")
        return ""

    def draft(self, ticket):
        """The reply box's text: the refused answer; a canned response chosen by a link
        (?canned=ID&canned_language=hi); or nothing."""
        if self.kept("reply_view"):
            return self.kept("reply_view")
        chosen = request.args.get("canned", "")
        response = CannedResponse.get_or_none(CannedResponse.id == row_id(chosen)) if chosen else None
        if response is None:
            return ""
        return response.body(request.args.get("canned_language") or self.language(ticket))

    def language(self, ticket):
        person = ticket.requester
        return person.language if person is not None else "hi"

    def action_form(self):
        return ActionForm()

    def version(self, ticket):
        return helpdesk.version(ticket)

    def ist(self, value):
        return ist(self, value, None) if value else ""

    # --- an agent's actions --------------------------------------------------------------------

    def _act(self, do, done):
        """Check the form and the ticket's version, then `do(ticket, form values)`; back to the ticket."""
        ticket = self.get_one(request.args.get("id"))
        if ticket is None:
            abort(404)
        form = ActionForm(request.form)
        if not form.validate():
            flash_errors(form)
            return redirect(self.get_url(".details_view", id=ticket.id))
        try:
            with database.atomic():
                helpdesk.check_version(ticket, form.version.data)
                message = done(do(ticket, request.form))
        except DomainError as error:
            flash(describe(error), "error")
            # The ticket as it stands now, with the agent's words kept in their box.
            return self.details_view()
        flash(message, "success")
        return redirect(self.get_url(".details_view", id=ticket.id))

    @expose("/reply/", methods=("POST",))
    def reply_view(self):
        def do(ticket, values):
            message = helpdesk_mail_out.reply(ticket, viewer(), values.get("text", ""))
            return ticket, message

        def done(result):
            ticket, message = result
            if message.message_id:
                return _("The answer is on its way to %(address)s by e-mail.", address=ticket.requester.email)
            return _("The answer is on the ticket: the requester has no e-mail address and reads it in the app.")
        return self._act(do, done)

    @expose("/note/", methods=("POST",))
    def note_view(self):
        return self._act(lambda ticket, values: helpdesk.add_note(ticket, viewer(), values.get("text", "")),
                         lambda _note: _("Note added."))

    @expose("/status/", methods=("POST",))
    def status_view(self):
        return self._act(lambda ticket, values: helpdesk.change_status(ticket, values.get("status", ""), viewer()),
                         lambda _r: _("Status changed."))

    @expose("/priority/", methods=("POST",))
    def priority_view(self):
        return self._act(lambda ticket, values: helpdesk.set_priority(ticket, values.get("priority", ""), viewer()),
                         lambda _r: _("Priority changed; the targets follow it."))

    @expose("/assign/", methods=("POST",))
    def assign_view(self):
        def do(ticket, values):
            chosen = values.get("agent", "")
            agent = Officer.get_or_none(Officer.id == row_id(chosen)) if chosen else None
            if chosen and agent is None:
                raise DomainError("ticket_assignee_not_agent", name=chosen)
            helpdesk.assign(ticket, agent, viewer())
            return agent
        return self._act(do, lambda agent: _("Assigned to %(name)s.", name=agent.name) if agent
                         else _("Nobody is assigned now."))

    @expose("/link/", methods=("POST",))
    def link_view(self):
        return self._act(lambda ticket, values: helpdesk.link_request(ticket, values.get("tracking_number", ""),
                                                                      viewer()),
                         lambda _r: _("Linked request changed."))

    @expose("/merge/", methods=("POST",))
    def merge_view(self):
        def do(ticket, values):
            number = values.get("into", "").strip().upper()
            target = scope.rows(viewer(), HelpTicket).where(HelpTicket.number == number).first()
            if target is None:
                raise DomainError("ticket_unknown", number=number)
            helpdesk.merge(ticket, target, viewer())
            return target
        return self._act(do, lambda target: _("Merged into %(number)s, and closed.", number=target.number))

    @expose("/attachment/")
    def attachment_view(self):
        """An attachment, to those who may see it (the agents), as a download; each one is in the audit log."""
        attachment = scope.get(viewer(), TicketAttachment, row_id(request.args.get("id")))
        if attachment is None or attachment.content is None:
            abort(404)
        audit.record_view(viewer(), attachment, "ticket attachment")
        mimetype = attachment.content_type if attachment.content_type in SAFE_TYPES else "application/octet-stream"
        return download(bytes(attachment.content), mimetype, attachment.filename, "attachment")

    @expose("/raw/")
    def raw_view(self):
        """A message as received (.eml): how a quarantined message is read. Agents only, audited."""
        return raw_message(request.args.get("id", ""))


def raw_message(pk):
    message = scope.get(viewer(), TicketMessage, row_id(pk))
    if message is None or message.raw is None or not helpdesk.acts_on_tickets(viewer()):
        abort(404)
    audit.record_view(viewer(), message, "raw message")
    return download(bytes(message.raw), "application/octet-stream", f"message-{message.id}.eml")


class SystemMailView(ReadOnlyModelView):
    """The system-mail log: auto-replies, bounces, bulk and unreadable mail that found no ticket."""
    scoped_models = (TicketMessage,)
    column_list = ("created_at", "category", "sender_address", "sender_name", "subject", "size")
    column_details_list = ("created_at", "category", "sender_address", "sender_name", "subject", "message_id",
                           "size", "charset_guessed", "quarantined", "body_text")
    column_searchable_list = ("sender_address", "subject")
    column_filters = (choice_filter(TicketMessage.category),)
    column_default_sort = ("created_at", True)
    details_template = "admin/system_mail_details.html"

    def rows(self, action="view"):
        return super().rows(action).where(TicketMessage.ticket.is_null(), TicketMessage.kind == "inbound")

    @expose("/raw/")
    def raw_view(self):
        return raw_message(request.args.get("id", ""))


class BouncedAddressView(ReadOnlyModelView):
    """The bounce list: addresses the outbox no longer mails, until an agent clears one that works again."""
    scoped_models = (BouncedAddress,)
    column_list = ("address", "status", "diagnostic", "bounced_at")
    column_searchable_list = ("address",)
    column_default_sort = ("bounced_at", True)
    action_disallowed_list = ["delete"]

    @action("clear", _l("Clear"), _l("Send mail to the selected addresses again?"))
    def action_clear(self, ids):
        wanted = [pk for pk in map(row_id, ids) if pk]
        cleared = 0
        with database.atomic():
            for row in self.rows("delete").where(BouncedAddress.id.in_(wanted)):
                audit.record(viewer(), "delete", row, audit.snapshot(row), None, note="bounce cleared")
                cleared += notifications.clear_bounce(row.address)
        if cleared:
            flash(ngettext("%(num)d address cleared: mail goes to it again.",
                           "%(num)d addresses cleared: mail goes to them again.", cleared), "success")


class CannedResponseView(SecureModelView):
    """The answers agents give again and again, each in English and Hindi; kept by the agents."""
    scoped_models = (CannedResponse,)
    column_list = ("title", "body_en", "body_hi", "updated_at")
    form_columns = ("title", "body_en", "body_hi")
    column_searchable_list = ("title",)
    column_default_sort = "title"

    def on_model_change(self, form, row, is_created):
        row.updated_at = utcnow()
        super().on_model_change(form, row, is_created)


class LookupForm(Form):  # a search, by GET: nothing to forge
    mobile = StringField(_l("Mobile number"), validators=[DataRequired()])


class LookupView(SecureViewMixin, BaseView):
    """A citizen's requests and tickets, found by his mobile number: what an agent asks first on the phone."""
    scoped_models = (Citizen, ServiceRequest, HelpTicket)

    def is_accessible(self):
        if not may_enter():  # an anonymous visitor has no jurisdiction to read
            return False
        j = scope.jurisdiction(viewer())
        return j.helpdesk or j.state

    @expose("/", methods=("GET",))
    def index(self):
        form = LookupForm(request.args)
        mobile = (form.mobile.data or "").strip()
        found = None
        if mobile:
            # models.scope decides: an agent reaches any citizen's requests by his exact mobile number.
            requests = (scope.lookup_requests(viewer(), mobile)
                        .join(Citizen, on=ServiceRequest.citizen == Citizen.id)
                        .where(Citizen.mobile == mobile).order_by(ServiceRequest.submitted_at.desc()))
            tickets = (scope.rows(viewer(), HelpTicket)
                       .where(HelpTicket.requester_citizen.in_(Citizen.select(Citizen.id).where(Citizen.mobile == mobile)))
                       .order_by(HelpTicket.updated_at.desc()))
            found = (list(requests), list(tickets))
        return self.render("admin/helpdesk_lookup.html", form=form, mobile=mobile, found=found,
                           status=lambda code: labels.VALUES.get(code, code),
                           ist=lambda value: ist(self, value, None) if value else "")
