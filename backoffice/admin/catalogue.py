"""Districts, areas, departments, designations and services."""
from functools import partial

from models import Area, Department, Designation, District, DomainError, Service
from models.timeutil import utcnow

from . import labels
from .base import RelatedFilter, SecureModelView, choice_filter, distinct_values
from .form_designer import FormDesigner
from .scoped import ScopedSelect

NAMES = ("code", "name_en", "name_hi")


class DesignationSelect(ScopedSelect):
    """Designations with their departments read in one query: each label names its department."""

    def __init__(self, label=None, validators=None, **kwargs):
        query = (Designation.select(Designation, Department).join(Department)
                 .order_by(Department.code, Designation.name))
        super().__init__(label, validators, query=query, **kwargs)


class DistrictView(SecureModelView):
    scoped_models = (District,)
    column_list = (*NAMES, "division", "headquarters")
    column_searchable_list = (*NAMES, "division")
    column_filters = (choice_filter(District.division, distinct_values(District.division)),)
    column_default_sort = "code"


class AreaView(SecureModelView):
    scoped_models = (Area,)
    column_list = ("district", *NAMES, "kind")
    column_searchable_list = NAMES
    column_filters = (RelatedFilter(Area.district), choice_filter(Area.kind))
    column_default_sort = "name_en"


class DepartmentView(SecureModelView):
    scoped_models = (Department,)
    column_list = (*NAMES, "kind")
    column_searchable_list = NAMES
    column_filters = (choice_filter(Department.kind),)
    column_default_sort = "code"


class DesignationView(SecureModelView):
    scoped_models = (Designation,)
    column_list = ("department", "name", "level", "note")
    column_searchable_list = ("name",)
    column_filters = (RelatedFilter(Designation.department), choice_filter(Designation.level))
    column_default_sort = "name"


def time_limit(view, context, service, name):
    if not service.has_time_limit:
        return ""
    return f"{service.tat_value} {labels.VALUES.get(service.tat_unit, service.tat_unit)}"


class ServiceView(FormDesigner, SecureModelView):
    scoped_models = (Service,)
    edit_template = "admin/service_edit.html"
    column_list = (*NAMES, "department", "category", "tat_value", "status", "updated_at")
    column_details_exclude_list = ("tat_unit",)
    column_searchable_list = (*NAMES, "category")
    column_filters = (
        RelatedFilter(Service.department),
        choice_filter(Service.category, distinct_values(Service.category)),
        choice_filter(Service.status),
    )
    column_formatters = {"tat_value": time_limit}
    column_default_sort = "code"
    form_excluded_columns = ("created_at", "updated_at")
    form_overrides = {
        name: partial(DesignationSelect, allow_blank=True)
        for name in ("designated_officer", "first_appellate", "second_appellate")
    }

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        form.code.render_kw = {"readonly": True}
        return form

    def on_model_change(self, form, service, is_created):
        # The code is fixed once the service exists: catalogue files upsert by it, so a changed one would
        # come back from the next load as a second service beside the requests filed on this one.
        code = None if is_created else Service.select(Service.code).where(Service.id == service.id).scalar()
        if code is not None and code != service.code:
            raise DomainError("service_code_fixed", code=code)
        service.validate()
        service.updated_at = utcnow()
        super().on_model_change(form, service, is_created)
