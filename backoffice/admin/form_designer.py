"""The service's application form and places, designed on a page of the service's own screen.

/admin/service/form/?id= shows the form as rows of inputs (form_editor.py),
where it is offered, and a preview in English and Hindi as the app renders
it. Preview shows the unsaved edits; Save makes them the service's form
through models.forms.save_form (a new version once citizens may have the
old one in hand) and its places through models.forms.set_places, both in
one transaction: a refusal saves neither and is shown on the offending field.
Who may design a service is who may edit it (models/scope.py).
"""
from flask import abort, flash, redirect, request
from flask_admin import expose
from flask_admin.form import SecureForm
from flask_babel import gettext as _, lazy_gettext as _l

from backoffice.auth.forms import flash_errors
from backoffice.messages import describe
from models import Area, District, DomainError, audit, database, form_fields, forms

from . import form_editor, form_page
from .ids import row_id
from .scoped import viewer

FILE_TYPES = tuple(form_fields.FILE_TYPES)
TYPE_LABELS = {
    "short_text": _l("Short text"), "long_text": _l("Long text"), "number": _l("Number"), "date": _l("Date"),
    "single_choice": _l("Single choice"), "multiple_choice": _l("Multiple choice"), "yes_no": _l("Yes or no"),
    "mobile": _l("Mobile number"), "email": _l("E-mail address"), "pin_code": _l("PIN code"),
    "aadhaar": _l("Aadhaar number"), "district": _l("District"), "area": _l("Area"), "document": _l("Document"),
}


class FormDesigner:
    """Mixed into the services' view: its form designer page."""

    def designed_service(self):
        """The service named by ?id= if the officer may edit it; else 404, as for a missing one."""
        service = self.rows("edit").where(self.model.id == row_id(request.args.get("id"))).first()
        if service is None:
            abort(404)
        return service

    @expose("/form/", methods=("GET", "POST"))
    def form_view(self):
        service = self.designed_service()
        current = forms.current_version(service)
        rows = form_editor.editor_rows(current.fields if current else [])
        places = form_editor.place_values(forms.places(service))
        offered = "chosen" if places else "state"
        based_on = current.number if current else 0
        problems, preview = {}, (current.fields if current else None)
        if request.method == "POST":
            posted = SecureForm(request.form)
            if not posted.validate():
                flash_errors(posted)
                return redirect(request.full_path)
            rows = form_editor.read_rows(request.form)
            places = set(request.form.getlist("place"))
            offered = request.form.get("offered", "state")
            action, raw = request.form.get("action"), request.form.get("based_on", "")
            # A forged version reads as "no form yet", which save_form refuses when there is one.
            based_on = int(raw) if raw.isdigit() else 0
            fields = form_editor.definition(rows)
            # A field being added is not finished yet: the check waits for Preview or Save. A service that has
            # no form and is given none keeps having none (save_design): no form to check.
            found = [] if action == "add" or not (fields or current) else form_fields.check_definition(fields)
            preview = None
            if action == "add":
                rows.append(form_editor.blank_row())
            elif not found and action == "save":
                if self.save_design(service, fields, based_on, form_editor.read_places(request.form)):
                    return redirect(request.full_path)
            elif not found:
                preview = form_fields.canonical(fields)
            problems, whole = form_editor.errors_by_row(found)
            for problem in whole:
                flash(describe(problem), "error")
            if found:
                flash(describe(DomainError("form_definition_invalid", code=service.code, count=len(found))),
                      "error")
        return self.render(
            "admin/service_form.html", service=service, rows=rows + [form_editor.blank_row()], problems=problems,
            types=form_fields.FIELD_TYPES, file_types=FILE_TYPES, based_on=based_on,
            current=forms.current_version(service), offered=offered, places=places, preview=preview,
            new_choices=form_editor.NEW_CHOICES, districts=_districts_with_areas(),
            csrf=SecureForm().csrf_token, describe=describe, field_type_label=lambda kind: TYPE_LABELS[kind],
            preview_words={lang: form_page.words(lang) for lang in ("en", "hi")}, preview_places=form_page.places())

    def save_design(self, service, fields, based_on, chosen):
        """Save the form and the places, all or nothing; flashes what happened and returns whether it saved."""
        if chosen == []:
            flash(_("Choose at least one district or area, or offer the service in the whole state."), "error")
            return False
        before = forms.current_version(service)
        old = {"form": before.fields if before else None, "offered_in": _place_codes(service)}
        try:
            with database.atomic():
                version = None
                # A service that has no form and is given none keeps having none.
                if fields or before is not None:
                    version = forms.save_form(service, fields, viewer(), based_on=based_on)
                forms.set_places(service, chosen or [])
                new = {"form": version.fields if version else None, "offered_in": _place_codes(service)}
                audit.record(viewer(), "update", service, old, new)
        except DomainError as error:
            flash(describe(error), "error")
            return False
        if version is not None and before is not None and version.number != before.number:
            flash(_("Saved as version %(number)s of the form: requests filed on version %(old)s keep it.",
                    number=version.number, old=before.number), "success")
        else:
            flash(_("The form and its places are saved."), "success")
        return True


def _place_codes(service):
    """Where the service is offered, as the audit log keeps it: district and area codes, or "state"."""
    return [f"{o.district.code}/{o.area.code}" if o.area_id else o.district.code
            for o in forms.places(service)] or "state"


def _districts_with_areas():
    """[(district, [its areas])] by name, for choosing where a service is offered."""
    areas = {}
    for area in Area.select().order_by(Area.name_en):
        areas.setdefault(area.district_id, []).append(area)
    return [(district, areas.get(district.id, [])) for district in District.select().order_by(District.name_en)]
