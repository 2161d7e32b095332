"""The steps taken on a request from its details page: one small form each.

Each form carries the version of the request the page showed, so a step on a
request that changed since is refused (models/lifecycle.py) instead of
applied over someone else's. Transitions go through backoffice.workflow, which
tells the citizen; a reassignment and a hand-over tell nobody.
"""
from collections import namedtuple

from flask_admin.form import SecureForm
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.validators import InputRequired, Optional

from models import Officer, lifecycle, routing, scope

from .. import workflow
from . import labels

# `note`: the label of its text box, or None for a step without one;
# `officers`: the choice for a step that gives the request to someone, else None.
Step = namedtuple("Step", "name label note note_required officers takes_document warns")

NOTES = {
    "raise_query": _l("Question for the citizen"),
    "answer_query": _l("The citizen's answer"),
    "reject": _l("Reason for rejection"),
    "deliver": _l("Delivery note (required when there is no document)"),
    "reassign": _l("Note"),
}
CHOOSES_OFFICER = ("assign", "reassign")
# Steps that end the request without what the citizen asked for.
WARNS = ("reject", "withdraw")


class StepForm(SecureForm):
    step = HiddenField()
    version = IntegerField(validators=[InputRequired()])
    note = TextAreaField()
    officer = IntegerField(validators=[Optional()])


def assignable(viewer, request):
    """Officers the viewer may give the request to: those routing finds for its post, that he sees."""
    service = request.service
    found = routing.holders(service.designated_officer_id, request.district_id, request.area_id,
                            department_id=service.department_id)
    candidates = [o.id for o in found.officers if o.id != request.assigned_officer_id]
    return list(scope.rows(viewer, Officer).where(Officer.id.in_(candidates)).order_by(Officer.name))


def offered(viewer, request):
    """The steps the viewer may take on the request as it stands, with what each one's form asks."""
    steps = []
    for name in lifecycle.available(viewer, request):
        transition = lifecycle.TRANSITIONS.get(name)
        steps.append(Step(
            name, labels.STEPS[name], NOTES.get(name), bool(transition and transition.needs_note),
            assignable(viewer, request) if name in CHOOSES_OFFICER else None,
            name == "deliver", name in WARNS))
    return steps


def take(viewer, request, form, upload):
    """Take the step `form` names; returns its history entry, or raises DomainError having changed nothing."""
    name, version, note = form.step.data, form.version.data, form.note.data or ""
    if name == "hand_over":
        return lifecycle.hand_over(request, viewer, version=version)
    officer = None
    if name in CHOOSES_OFFICER:
        # Only one offered: a forged id reads as no choice at all.
        officer = next((o for o in assignable(viewer, request) if o.id == form.officer.data), None)
    if name == "reassign":
        return lifecycle.reassign(request, officer, viewer, version=version, note=note)
    return workflow.act(request, name, viewer, version=version, note=note, to_officer=officer,
                        document=document(upload))


def document(upload):
    """The uploaded file as models.lifecycle takes it, or None when none was chosen."""
    if upload is None or not upload.filename:
        return None
    # Some browsers send the whole path; one byte past the limit is enough for lifecycle to refuse it.
    filename = upload.filename.replace("\\", "/").rpartition("/")[2]
    return lifecycle.Document(filename, upload.mimetype, upload.stream.read(lifecycle.MAX_DOCUMENT_BYTES + 1))
