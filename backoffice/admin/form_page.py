"""A service's form as the app renders it: for the designer's preview and the counter's filing.

templates/admin/form_render.html draws the fields; this gives it what it
needs in a given language (the widgets' own words, the districts and areas
to choose from) and reads a posted form back into the answers and documents
models.forms.check_submission takes. Inputs are named `answer-KEY`.
"""
from flask_babel import force_locale, gettext as _

from models import Area, District, lifecycle

PREFIX = "answer-"


def words(language):
    """The words of the rendered form's own widgets, in `language` whatever the page's."""
    with force_locale(language):
        return {"yes": _("Yes"), "no": _("No"), "choose": _("Choose…"), "required": _("required"),
                "file": _("%(types)s, at most %(kb)s KB")}


def places():
    """(districts, areas) by code, for district and area fields."""
    return (list(District.select().order_by(District.code)),
            list(Area.select(Area, District).join(District).order_by(District.code, Area.code)))


def read_answers(fields, form, files):
    """The answers and documents posted for `fields` (a request's form and files), by key."""
    answers, documents = {}, {}
    for field in fields:
        name = PREFIX + field["key"]
        if field["type"] == "document":
            upload = files.get(name)
            if upload is not None and upload.filename:
                # One byte past the field's limit is enough to refuse it: a huge file is not read whole.
                content = upload.read(field["max_kb"] * 1024 + 1)
                documents[field["key"]] = lifecycle.Document(upload.filename, upload.mimetype, content)
        elif field["type"] == "multiple_choice":
            answers[field["key"]] = form.getlist(name)
        else:
            answers[field["key"]] = form.get(name, "")
    return answers, documents


def errors_by_field(error):
    """{key: [FieldError]} of a refused filing ('form_invalid'), else {}."""
    found = {}
    for problem in error.params.get("errors", ()) if error.code == "form_invalid" else ():
        found.setdefault(problem.field, []).append(problem)
    return found
