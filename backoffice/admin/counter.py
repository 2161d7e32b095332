"""The counter: an operator files a request for a citizen who walks in.

The citizen is found by his mobile number, or added with it. Filing goes
through backoffice.workflow (routing, the acknowledgement by SMS), and the
citizen is added in the same transaction, so a refused filing leaves no
citizen behind. The counter's other steps (the citizen's answer to a query, a
withdrawal, the hand-over) are on the request's details page, reached by its
tracking number in the Requests search.
"""
from flask import flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_admin.form import SecureForm
from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired

from backoffice.messages import describe
from models import Area, Citizen, District, DomainError, Service, ServiceRequest, database, lifecycle, scope

from .. import workflow
from . import labels
from .base import SecureViewMixin, may_enter
from .scoped import viewer


def optional_id(value):
    return int(value) if value not in (None, "") else None


class FilingForm(SecureForm):
    mobile = StringField(_l("Mobile number"), validators=[DataRequired()])
    name = StringField(_l("Citizen's name"), description=_l("Used only when the mobile number is new."))
    language = SelectField(_l("Language of his messages"), default="hi")
    service = SelectField(labels.column("service"), coerce=int)
    district = SelectField(labels.column("district"), coerce=int)
    area = SelectField(labels.column("area"), coerce=optional_id)
    details = TextAreaField(_l("Details of the application"), validators=[DataRequired()])


def filing_form(officer, formdata=None):
    """The form with the choices the operator has: published services, his counters' districts and their areas."""
    form = FilingForm(formdata)
    districts = list(District.select().where(District.id.in_(scope.jurisdiction(officer).counters))
                     .order_by(District.name_en))
    form.language.choices = labels.value_choices(Citizen.language)
    form.service.choices = [(s.id, str(s)) for s in scope.rows(officer, Service)
                            .where(Service.status == "published").order_by(Service.code)]
    form.district.choices = [(d.id, str(d)) for d in districts]
    if formdata is None and len(districts) == 1:
        form.district.data = districts[0].id
    areas = Area.select().where(Area.district.in_([d.id for d in districts])).order_by(Area.name_en)
    form.area.choices = [("", _("None"))] + [(a.id, str(a)) for a in areas]
    return form


def file_for_walk_in(officer, form):
    """Find or add the citizen and file his request, all or nothing; returns the request."""
    district = District.get_by_id(form.district.data)
    area = Area.get_by_id(form.area.data) if form.area.data else None
    with database.atomic():
        citizen = lifecycle.citizen_by_mobile(form.mobile.data, name=form.name.data or "",
                                              language=form.language.data, district=district)
        return workflow.file_request(Service.get_by_id(form.service.data), citizen, district, area=area,
                                     form_values={"details": form.details.data.strip()}, filed_by=officer)


class CounterView(SecureViewMixin, BaseView):
    scoped_models = (Service, District, Area, ServiceRequest)

    def is_accessible(self):
        return may_enter() and bool(scope.jurisdiction(viewer()).counters)

    @expose("/", methods=("GET", "POST"))
    def index(self):
        form = filing_form(viewer(), request.form if request.method == "POST" else None)
        if request.method == "POST" and form.validate():
            try:
                filed = file_for_walk_in(viewer(), form)
            except DomainError as error:
                flash(describe(error), "error")
            else:
                flash(_("Request %(number)s is filed: give the citizen this tracking number.",
                        number=filed.tracking_number), "success")
                return redirect(url_for("request.details_view", id=filed.id, search=filed.tracking_number))
        return self.render("admin/counter.html", form=form)
