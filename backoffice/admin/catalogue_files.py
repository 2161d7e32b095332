"""The catalogue import and export on the admin: what `flask --app wsgi catalogue load` and `export` do.

An uploaded file (a JSON catalogue, or one of the four CSV files) is first
read as a dry run (models.catalogue_file.preview): what would be created,
changed and retired, or every problem as `file:line: reason`, nothing
written. The page then carries the very bytes it showed the plan of, and
Load applies them (catalogue_file.load): all or nothing, checked again,
since the catalogue may have changed in between. The export is the CLI's,
which the import takes back unchanged. A file may add districts and
departments, so only an officer who may create those (models/scope.py: a
state administrator) imports; he alone exports the whole catalogue too.
"""
import base64
import binascii

from flask import abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_admin.form import SecureForm
from flask_babel import gettext as _, lazy_gettext as _l
from werkzeug.datastructures import CombinedMultiDict
from wtforms import BooleanField, FileField
from wtforms.validators import InputRequired

from backoffice.auth.forms import flash_errors
from backoffice.downloads import download
from backoffice.messages import describe
from models import Department, Designation, District, Service, catalogue_file, catalogue_json, database, scope

from .base import SecureViewMixin, may_enter
from .scoped import viewer

KINDS = {"districts": _l("District"), "departments": _l("Department"), "designations": _l("Designation"),
         "services": _l("Service")}
ACTIONS = {"create": _l("create"), "change": _l("change"), "retire": _l("retire")}


class UploadForm(SecureForm):
    file = FileField(_l("Catalogue file (.json, or districts.csv, departments.csv, designations.csv, services.csv)"),
                     validators=[InputRequired()])
    retire_missing = BooleanField(_l("Retire the services the file does not name"))


class CatalogueFilesView(SecureViewMixin, BaseView):
    scoped_models = (District, Department, Designation, Service)

    def is_accessible(self):
        officer = viewer() if may_enter() else None
        return officer is not None and all(scope.offers(officer, model, "create") for model in (District, Department))

    @expose("/", methods=("GET",))
    def index(self):
        return self.render("admin/catalogue_files.html", form=UploadForm(), changes=None)

    @expose("/preview/", methods=("POST",))
    def preview_view(self):
        form = UploadForm(CombinedMultiDict([request.form, request.files]))
        if not form.validate():
            flash_errors(form)
            return redirect(url_for(".index"))
        upload = catalogue_file.Upload(form.file.data.filename or "", form.file.data.read())
        changes = self.planned(upload, form.retire_missing.data)
        if changes is None:
            return self.render("admin/catalogue_files.html", form=form, changes=None)
        return self.render("admin/catalogue_files.html", form=form, changes=changes, upload=upload,
                           content=base64.b64encode(upload.content).decode("ascii"),
                           retire_missing=form.retire_missing.data, confirm=SecureForm(), kinds=KINDS,
                           actions=ACTIONS)

    @expose("/load/", methods=("POST",))
    def load_view(self):
        confirm = SecureForm(request.form)
        if not confirm.validate():
            flash_errors(confirm)
            return redirect(url_for(".index"))
        try:
            content = base64.b64decode(request.form.get("content", ""), validate=True)
        except binascii.Error:
            abort(400)
        upload = catalogue_file.Upload(request.form.get("name", ""), content)
        try:
            report = catalogue_file.load(upload, retire_missing=bool(request.form.get("retire_missing")))
        except catalogue_file.CatalogueError as error:
            self.show_problems(error)
            return redirect(url_for(".index"))
        counts = [sum(kind.get(name, 0) for kind in report.values()) for name in ("created", "updated", "retired")]
        flash(_("Loaded: %(created)s created, %(updated)s changed, %(retired)s retired.",
                created=counts[0], updated=counts[1], retired=counts[2]), "success")
        return redirect(url_for(".index"))

    @expose("/export/", methods=("GET",))
    def export_view(self):
        # One transaction: the export's several queries read one state of the catalogue.
        with database.atomic():
            text = catalogue_json.dumps()
        return download(text.encode("utf-8"), "application/json", "catalogue.json")

    def planned(self, upload, retire_missing):
        """The dry run's Changes, or None having flashed every problem."""
        try:
            return catalogue_file.preview(upload, retire_missing=retire_missing)
        except catalogue_file.CatalogueError as error:
            self.show_problems(error)
            return None

    def show_problems(self, error):
        for problem in error.problems:
            where = problem.file if problem.line is None else f"{problem.file}:{problem.line}"
            flash(f"{where}: {describe(problem)}", "error")
        flash(describe(error), "error")
