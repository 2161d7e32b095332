"""A citizen's data under the DPDP Act: found by mobile, e-mail or a request's tracking number, exported or erased.

A state administrator's screen alone: the export holds everything about the
citizen, unmasked, and erasure cannot be undone (models/privacy.py; both are
audited). docs/privacy.md.
"""
from flask import flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_admin.form import SecureForm
from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import BooleanField, Form, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired

from backoffice.auth.forms import flash_errors
from backoffice.downloads import download
from backoffice.messages import describe
from models import Citizen, DomainError, HelpTicket, ServiceRequest, privacy, scope
from models.lifecycle import normalize_mobile

from .base import SecureViewMixin, may_enter
from .ids import row_id
from .scoped import viewer


class FindForm(Form):  # a search, by GET: nothing to forge
    q = StringField(_l("Mobile number, e-mail address or tracking number"), validators=[DataRequired()])


class EraseForm(SecureForm):
    reason = TextAreaField(_l("The citizen's request (how and when it came; no personal data)"),
                           validators=[InputRequired()])
    confirm = BooleanField(_l("I understand that erasure cannot be undone"), validators=[InputRequired()])


def find(text):
    """The citizen `text` names by mobile number, e-mail address or one of his requests' tracking numbers."""
    text = (text or "").strip()
    mobile = normalize_mobile(text)
    if mobile:
        return Citizen.get_or_none(Citizen.mobile == mobile)
    if "@" in text:
        return Citizen.get_or_none(Citizen.email == text.lower())
    found = ServiceRequest.find_by_tracking_number(text)
    return found.citizen if found else None


class PrivacyView(SecureViewMixin, BaseView):
    scoped_models = (Citizen,)

    def is_accessible(self):
        return may_enter() and scope.jurisdiction(viewer()).state

    @expose("/", methods=("GET",))
    def index(self):
        form = FindForm(request.args)
        citizen = find(form.q.data) if form.q.data else None
        if form.q.data and citizen is None:
            flash(_("No citizen is known by that."), "error")
        return self.render("admin/privacy.html", form=form, citizen=citizen, **self.about(citizen))

    def about(self, citizen):
        if citizen is None:
            return {}
        refusal = privacy.erasure_refusal(citizen)
        return {"requests": ServiceRequest.select().where(ServiceRequest.citizen == citizen).count(),
                "tickets": HelpTicket.select().where(HelpTicket.requester_citizen == citizen).count(),
                "refusal": describe(refusal) if refusal else None, "erase_form": EraseForm(),
                "export_form": SecureForm()}

    def _citizen(self):
        return Citizen.get_or_none(Citizen.id == row_id(request.args.get("id")))

    @expose("/export/", methods=("POST",))
    def export_view(self):
        citizen, form = self._citizen(), SecureForm(request.form)
        if citizen is None or not form.validate():
            flash_errors(form)
            return redirect(url_for(".index"))
        content = privacy.export(citizen, viewer())
        return download(content, "application/zip", f"citizen-{citizen.id}.zip")

    @expose("/erase/", methods=("POST",))
    def erase_view(self):
        citizen, form = self._citizen(), EraseForm(request.form)
        if citizen is None:
            return redirect(url_for(".index"))
        if not form.validate():
            flash_errors(form)
            return redirect(url_for(".index"))
        try:
            privacy.erase(citizen, viewer(), form.reason.data)
        except DomainError as error:
            flash(describe(error), "error")
            return redirect(url_for(".index"))
        flash(_("The citizen's personal data was erased; his requests' records remain under his pseudonym."),
              "success")
        return redirect(url_for(".index"))
