"""Citizens' service requests: lists and details only, they change through their workflows.

Help-desk agents and counter operators find requests beyond their own by
typing an exact tracking number (or, for agents, a citizen's mobile number)
into the search box: models.scope.lookup_requests decides, and the details
link of a row found so carries the search that found it.
"""
from flask import request
from flask_admin.babel import gettext as admin_gettext
from flask_admin.model.template import LinkRowAction

from models import Citizen, Service, ServiceRequest, scope, tracking

from . import personal
from .base import ReadOnlyModelView, RelatedFilter, choice_filter
from .scoped import viewer


class RequestView(personal.PersonalSearch, ReadOnlyModelView):
    scoped_models = (ServiceRequest,)
    column_list = ("tracking_number", "service", "citizen", "district", "status",
                   "submitted_at", "due_at", "assigned_officer")
    column_searchable_list = ("tracking_number",)
    searched_whole = (Citizen.mobile,)
    column_filters = (
        RelatedFilter(ServiceRequest.service, via=Service.department),
        RelatedFilter(ServiceRequest.service),
        choice_filter(ServiceRequest.status),
        RelatedFilter(ServiceRequest.district),
    )
    column_formatters = {"citizen": personal.requester, "form_values": personal.form_values}
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
        return super().get_list(page, sort_column, sort_desc, search, filters, execute, page_size)

    def get_list_row_actions(self):
        # Flask-Admin's own eye icon and words, on a link that keeps the search.
        return [LinkRowAction("fa fa-eye glyphicon glyphicon-eye-open", self.details_url, admin_gettext("View Record"))]

    def details_url(self, action, row_id, row):
        return self.get_url(".details_view", id=row_id, search=request.args.get("search"), url=request.full_path)
