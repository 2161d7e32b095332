"""Citizens' service requests: lists, details, and the steps of their lifecycle.

Requests change only through their steps (steps.py), never through an edit
form. Help-desk agents and counter operators find requests beyond their own by
typing an exact tracking number (or, for agents, a citizen's mobile number)
into the search box: models.scope.lookup_requests decides, and every link from
a request found so (details, its steps, its document) carries the search that
found it.
"""

from flask import abort, flash, redirect, request
from flask_admin import expose
from flask_admin.babel import gettext as admin_gettext
from flask_admin.model.template import LinkRowAction
from flask_babel import gettext as _
from peewee import JOIN

from backoffice.auth.forms import flash_errors
from backoffice.downloads import download
from backoffice.messages import describe
from models import (
    Appeal, Citizen, CommissionDecision, Delivery, DomainError, Officer, RequestEvent, Service, ServiceRequest, audit,
    forms, request_documents, scope, tracking,
)

from . import appeals, event_notes, labels, listing, personal, steps, timeleft
from .base import ReadOnlyModelView, RelatedFilter, choice_filter, ist
from .scoped import viewer

# The worklists linked above the list, as (filter, value); the unrouted one for administrators only, the
# appeals' for those they concern (appeals.worklist_shown).
WORKLISTS = (
    (timeleft.DeadlineFilter, "today"),
    (timeleft.DeadlineFilter, "2"),
    (timeleft.DeadlineFilter, timeleft.OVERDUE),
    (timeleft.UnroutedFilter, "1"),
    (appeals.AppealFilter, "mine"),
    (appeals.AppealFilter, "vacant"),
    (appeals.AppealFilter, "commission"),
)


class RequestView(personal.PersonalSearch, listing.CappedCount, ReadOnlyModelView):
    scoped_models = (ServiceRequest,)
    list_template = "admin/request_list.html"
    details_template = "admin/request_details.html"
    column_list = ("tracking_number", "service", "citizen", "district", "status",
                   "submitted_at", "due_at", "time_left", "assigned_officer", "appeal")
    column_details_list = ("tracking_number", "service", "citizen", "district", "area", "status", "submitted_at",
                           "due_at", "time_left", "clock", "assigned_officer", "appeal", "decide_by", "filed_by",
                           "form_values")
    # Whole values only, each by its index: a part of a number would scan millions of rows.
    searched_whole = (ServiceRequest.tracking_number, Citizen.mobile)
    column_filters = (
        RelatedFilter(ServiceRequest.service, via=Service.department),
        RelatedFilter(ServiceRequest.service),
        choice_filter(ServiceRequest.status),
        RelatedFilter(ServiceRequest.district),
        timeleft.DeadlineFilter(),
        timeleft.UnroutedFilter(),
        appeals.AppealFilter(),
    )
    column_formatters = {"citizen": personal.requester, "form_values": personal.form_values,
                         "time_left": timeleft.time_left, "clock": timeleft.clock_state, "appeal": appeals.level}
    column_formatters_detail = {**column_formatters, "appeal": appeals.appeal, "decide_by": appeals.decide_by}
    column_default_sort = ("submitted_at", True)

    def rows(self, action="view"):
        if action == "view":
            query = scope.lookup_requests(viewer(), request.args.get("search"))
        else:
            query = scope.rows(viewer(), ServiceRequest, action)
        return personal.with_in_full(self.joined(query), ServiceRequest)

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True, page_size=None):
        # A tracking number typed or read out loosely ('hr 2026 abcd efgo')
        # is looked up in its printed form.
        search = tracking.normalize(search) or search
        count, rows = super().get_list(page, sort_column, sort_desc, search, filters, execute, page_size)
        if execute:
            timeleft.attach(rows)
        return count, rows

    def get_list_row_actions(self):
        # Flask-Admin's own eye icon and words, on a link that keeps the search.
        return [LinkRowAction("fa fa-eye glyphicon glyphicon-eye-open", self.details_url, admin_gettext("View Record"))]

    def details_url(self, action, row_id, row):
        return self.get_url(".details_view", id=row_id, search=request.args.get("search"), url=request.full_path)

    def request_url(self, endpoint, row):
        """A page about `row` (details, a step, its document) that keeps the search that found it."""
        return self.get_url(endpoint, id=row.id, search=request.args.get("search"), url=request.args.get("url"))

    def worklists(self):
        """(label, address, shown now) of each worklist this officer has."""
        administers = scope.jurisdiction(viewer()).administers
        links = []
        for kind, value in WORKLISTS:
            if kind is timeleft.UnroutedFilter and not administers:
                continue
            if kind is appeals.AppealFilter and not appeals.worklist_shown(value, viewer()):
                continue
            index, found = next((i, f) for i, f in enumerate(self._filters) if isinstance(f, kind))
            arg = f"flt0_{self.get_filter_arg(index, found)}"
            label = found.name if kind is timeleft.UnroutedFilter else dict(found.options)[value]
            links.append((label, self.get_url(".index_view", **{arg: value}), request.args.get(arg) == value))
        return links

    # What the details page shows beside the request's own columns.

    def history(self, row):
        """The request's history, oldest first, as (when, who, what, note)."""
        events = (RequestEvent.select(RequestEvent, Officer, Citizen)
                  .join(Officer, JOIN.LEFT_OUTER, on=RequestEvent.officer == Officer.id)
                  .switch(RequestEvent)
                  .join(Citizen, JOIN.LEFT_OUTER, on=RequestEvent.citizen == Citizen.id)
                  .where(RequestEvent.request == row.id)
                  .order_by(RequestEvent.at, RequestEvent.id))
        return [(event.at, actor(event), labels.EVENTS.get(event.kind, event.kind), event_notes.worded(event))
                for event in events]

    def delivery(self, row):
        """The request's delivery without its document's bytes, or None."""
        columns = [f for f in Delivery._meta.sorted_fields if f is not Delivery.content]
        return Delivery.select(*columns).where(Delivery.request == row.id).first()

    def appeals(self, row):
        """The levels the request's appeal reached, lowest first, with their authorities."""
        return list(Appeal.select(Appeal, Officer).join(Officer, JOIN.LEFT_OUTER, on=Appeal.authority == Officer.id)
                    .where(Appeal.request == row.id).order_by(Appeal.level))

    def commission_decision(self, row):
        return CommissionDecision.get_or_none(CommissionDecision.request == row.id)

    def ist(self, value):
        return ist(self, value, None) if value else ""

    def steps(self, row):
        return steps.offered(viewer(), row)

    def step_form(self):
        return steps.StepForm()

    @expose("/step/", methods=("POST",))
    def step_view(self):
        row = self.get_one(request.args.get("id"))
        if row is None:
            abort(404)
        form = steps.StepForm(request.form)
        if not form.validate():
            flash_errors(form)
        else:
            try:
                steps.take(viewer(), row, form, request.files.get("document"))
            except DomainError as error:
                flash(describe(error), "error")
            else:
                flash(_("%(step)s: done for request %(number)s.", step=labels.STEPS[form.step.data],
                        number=row.tracking_number), "success")
        return redirect(self.request_url(".details_view", row))

    def attachment_url(self, row, key):
        """The download of the document the citizen attached as `key`, keeping the search that found the request."""
        return self.get_url(".attachment_view", id=row.id, key=key, search=request.args.get("search"),
                            url=request.args.get("url"))

    @expose("/attachment/")
    def attachment_view(self):
        """A document the citizen attached: to those who see the request, and for a field marked personal data
        only to those handling it (models/scope.py), as its answer is shown; each download is audited."""
        row = self.get_one(request.args.get("id"))
        key = request.args.get("key", "")
        answer = row and next((a for a in forms.labelled(row.form_version if row.form_version_id else None,
                                                          row.form_values) if a.key == key and a.field), None)
        attached = answer and request_documents.document(row, key)
        if not attached or (answer.sensitive and not scope.handles(viewer(), row)):
            abort(404)
        audit.record_view(viewer(), attached, "attached document")
        return download(bytes(attached.content), attached.content_type, attached.filename, "document")

    @expose("/document/")
    def document_view(self):
        """The issued document of a delivered request, to those who see the request; each download is audited."""
        row = self.get_one(request.args.get("id"))
        delivery = row and Delivery.get_or_none(Delivery.request == row.id, Delivery.content.is_null(False))
        if delivery is None:
            abort(404)
        audit.record_view(viewer(), delivery, "delivered document")
        return download(bytes(delivery.content), "application/pdf", delivery.filename, "document.pdf")


def actor(event):
    """Who made a history entry: an officer, the citizen, or the system (routing, the clock)."""
    if event.officer_id:
        return event.officer.name
    if event.citizen_id:
        return _("%(name)s (citizen)", name=event.citizen.name) if event.citizen.name else _("the citizen")
    return _("system")

