"""The counter: an operator files a request for a citizen who walks in.

The citizen is found by his mobile number, or added with it. The chosen
service's application form is rendered as the app renders it (form_page.py),
in the officer's language, and its answers and documents are checked by
models/forms.py as the app's are; a service without a form takes the
application's details in one text box, as before forms. Filing goes
through backoffice.workflow (routing, the acknowledgement by SMS), and the
citizen is added in the same transaction, so a refused filing leaves no
citizen behind. The counter's other steps (the citizen's answer to a query, a
withdrawal, the hand-over) are on the request's details page, reached by its
tracking number in the Requests search.
"""
import functools
import operator

from flask import flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_admin.form import SecureForm
from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from peewee import SQL
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from backoffice.messages import describe
from models import Area, Citizen, District, DomainError, Service, ServiceRequest, database, forms, lifecycle, scope

from .. import workflow
from . import form_page, labels
from .base import SecureViewMixin, may_enter, service_label
from .ids import row_id
from .scoped import viewer


# What the operator writes of the citizen's application: a page or two.
DETAILS_LENGTH = 10_000


class FilingForm(SecureForm):
    # Lengths checked first, so that a long paste is refused without being echoed in the error.
    mobile = StringField(_l("Mobile number"), validators=[DataRequired(), Length(max=20)])
    name = StringField(_l("Citizen's name"), description=_l("Used only when the mobile number is new."),
                       validators=[Length(max=Citizen.name.max_length)])
    language = SelectField(_l("Language of his messages"), default="hi")
    service = SelectField(labels.column("service"), coerce=int)
    district = SelectField(labels.column("district"), coerce=int)
    area = SelectField(labels.column("area"), coerce=row_id)
    details = TextAreaField(_l("Details of the application"), validators=[DataRequired(), Length(max=DETAILS_LENGTH)])


def filing_form(officer, formdata=None, service_id=None):
    """The form with the choices the operator has: published services, his counters' districts and their areas.

    Returns it with the chosen service's current FormVersion, or None when the
    service has no form (then the details box is asked for instead).
    """
    form = FilingForm(formdata)
    districts = list(District.select().where(District.id.in_(scope.jurisdiction(officer).counters))
                     .order_by(District.name_en))
    form.language.choices = labels.value_choices(Citizen.language)
    # Only the services offered in one of his counters' districts: elsewhere filing is refused anyway.
    here = [Service.id.in_(forms.services_offered_in(d).select(Service.id)) for d in districts]
    form.service.choices = [(s.id, service_label(s)) for s in scope.rows(officer, Service)
                            .where(Service.status == "published", functools.reduce(operator.or_, here, SQL("1 = 0")))
                            .order_by(Service.code)]
    form.district.choices = [(d.id, str(d)) for d in districts]
    if formdata is None and len(districts) == 1:
        form.district.data = districts[0].id
    areas = Area.select().where(Area.district.in_([d.id for d in districts])).order_by(Area.name_en)
    form.area.choices = [("", _("None"))] + [(a.id, str(a)) for a in areas]
    offered = [pk for pk, _label in form.service.choices]
    if formdata is None:
        form.service.data = service_id if service_id in offered else next(iter(offered), None)
    # A service posted that is not offered gets no form: WTForms refuses the choice.
    version = forms.current_version(form.service.data) if form.service.data in offered else None
    if version is not None:
        del form.details
    return form, version


def file_for_walk_in(officer, form, number=None, answers=None, documents=None):
    """Find or add the citizen and file his request, all or nothing; returns the request.

    With `number` (the version of the form the page showed, as posted) the `answers` and
    `documents` are the application; without, the service has no form.
    """
    district = District.get_by_id(form.district.data)
    area = Area.get_by_id(form.area.data) if form.area.data else None
    if number is None:
        answers = {"details": form.details.data.strip()}
    with database.atomic():
        citizen = lifecycle.citizen_by_mobile(form.mobile.data, name=form.name.data or "",
                                              language=form.language.data, district=district)
        return workflow.file_request(Service.get_by_id(form.service.data), citizen, district, area=area,
                                     form_values=answers, form_version=number, documents=documents,
                                     filed_by=officer)


class CounterView(SecureViewMixin, BaseView):
    scoped_models = (Service, District, Area, ServiceRequest)

    def is_accessible(self):
        return may_enter() and bool(scope.jurisdiction(viewer()).counters)

    @expose("/", methods=("GET", "POST"))
    def index(self):
        posted = request.method == "POST"
        form, version = filing_form(viewer(), request.form if posted else None,
                                    row_id(request.args.get("service", "")) if not posted else None)
        answers, documents, problems = {}, {}, {}
        number = None
        if version is not None and posted:
            # Filed against the version the page showed: one superseded since is still taken in its grace
            # period; one the service never had is refused by forms.check_submission, never read as the current.
            number = request.form.get("form_version", "")[:20] or str(version.number)
            shown = forms.version(version.service, row_id(number)) if row_id(number) else None
            answers, documents = form_page.read_answers((shown or version).fields, request.form, request.files)
        # "Show its form" only draws the form of the service chosen.
        if posted and "choose" not in request.form and form.validate():
            try:
                filed = file_for_walk_in(viewer(), form, number, answers, documents)
            except DomainError as error:
                flash(describe(error), "error")
                problems = {key: [describe(e) for e in found]
                            for key, found in form_page.errors_by_field(error).items()}
            else:
                flash(_("Request %(number)s is filed: give the citizen this tracking number.",
                        number=filed.tracking_number), "success")
                return redirect(url_for("request.details_view", id=filed.id, search=filed.tracking_number))
        language = "hi" if str(get_locale()) == "hi" else "en"
        return self.render("admin/counter.html", form=form, version=version, answers=answers, problems=problems,
                           language=language, words=form_page.words(language), places=form_page.places())
