"""Citizens' service requests: lists and details only, they change through their workflows."""
from models import Citizen, Service, ServiceRequest, tracking

from .base import ReadOnlyModelView, RelatedFilter, choice_filter


class RequestView(ReadOnlyModelView):
    column_list = ("tracking_number", "service", "citizen", "district", "status",
                   "submitted_at", "due_at", "assigned_officer")
    column_searchable_list = ("tracking_number", Citizen.mobile)
    column_filters = (
        RelatedFilter(ServiceRequest.service, via=Service.department),
        RelatedFilter(ServiceRequest.service),
        choice_filter(ServiceRequest.status),
        RelatedFilter(ServiceRequest.district),
    )
    column_default_sort = ("submitted_at", True)

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True, page_size=None):
        # A tracking number typed or read out loosely ('hr 2026 abcd efgo')
        # is looked up in its printed form.
        search = tracking.normalize(search) or search
        return super().get_list(page, sort_column, sort_desc, search, filters, execute, page_size)
