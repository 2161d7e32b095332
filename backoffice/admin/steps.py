"""The steps taken on a request from its details page: one small form each.

Each form carries the version of the request the page showed, so a step on a
request that changed since is refused (models/lifecycle.py) instead of
applied over someone else's. Transitions go through backoffice.workflow, which
tells the citizen, and the appellate steps through backoffice.appeal_workflow,
which tells the officers involved too; a hand-over, and a reassignment by an
administrator, tell nobody.
"""
from collections import namedtuple

from flask_admin.form import SecureForm
from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import DateField, HiddenField, IntegerField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional

from models import Officer, appeals, clock, lifecycle, routing, scope
from models.timeutil import utcnow

from .. import appeal_workflow
from . import labels

# `note`: the label of its text box, or None for a step without one;
# `officers`: the choice for a step that gives the request to someone, else None;
# `inputs`: the step's other fields.
Step = namedtuple("Step", "name label note note_required officers takes_document warns inputs")
# `kind`: 'date', 'number' or 'select'; `attrs`: the browser's limits; `options`: a select's (value, label).
Input = namedtuple("Input", "name label kind attrs options", defaults=({}, ()))

NOTES = {
    "raise_query": _l("Question for the citizen"),
    "answer_query": _l("The citizen's answer"),
    "reject": _l("Reason for rejection"),
    "deliver": _l("Delivery note (required when there is no document)"),
    "reassign": _l("Note"),
    "direct": _l("Note to the officer"),
    "citizen_appeal": _l("The citizen's grounds of appeal"),
    "commission_decide": _l("Reasons for the decision"),
}
# The steps beside the transitions that need their note.
NEEDS_NOTE = ("citizen_appeal", "commission_decide")
CHOOSES_OFFICER = ("assign", "reassign")
# Steps that end the request without what the citizen asked for.
WARNS = ("reject", "withdraw")


class StepForm(SecureForm):
    step = HiddenField()
    version = IntegerField(validators=[InputRequired()])
    note = TextAreaField()
    officer = IntegerField(validators=[Optional()])
    decide_by = DateField(_l("Decide by"), validators=[Optional()])
    # The Act's limits, said here and held again by models/appeals.py and the database
    # (WTForms fills in %(max)s; the words are messages.py's).
    penalty_rupees = IntegerField(_l("Penalty"), validators=[Optional(), NumberRange(
        0, appeals.MAX_PENALTY, message=_l("The penalty must be a whole number of rupees from 0 to %(max)s."))])
    penalised_officer = IntegerField(validators=[Optional()])
    compensation_rupees = IntegerField(_l("Compensation"), validators=[Optional(), NumberRange(
        0, appeals.MAX_COMPENSATION,
        message=_l("The compensation must be a whole number of rupees from 0 to %(max)s."))])


def assignable(viewer, request):
    """Officers the viewer may give the request to: those routing finds for its post, that he sees."""
    service = request.service
    found = routing.holders(service.designated_officer_id, request.district_id, request.area_id,
                            department_id=service.department_id)
    candidates = [o for o in found.officers if o.id != request.assigned_officer_id]
    if lifecycle.is_authority(viewer, request):
        # The appellate authority chooses among the holders of the post, whom his own scope does not show him.
        return sorted(candidates, key=lambda o: o.name)
    return list(scope.rows(viewer, Officer).where(Officer.id.in_([o.id for o in candidates])).order_by(Officer.name))


def inputs(request, name):
    """The fields of step `name` beyond its note, officer and document."""
    if name == "direct":
        first, last = clock.ist_date(utcnow()), clock.ist_date(request.appeal_due_at)
        return (Input("decide_by", _l("Decide by"), "date", {"min": first.isoformat(), "max": last.isoformat()}),)
    if name == "commission_decide":
        officers = [("", _("Nobody"))] + [(str(o.id), o.name) for o in appeals.involved(request)]
        return (
            Input("penalty_rupees", _l("Penalty on an officer (₹0 to ₹20,000)"), "number",
                  {"min": 0, "max": appeals.MAX_PENALTY, "value": 0}),
            Input("penalised_officer", _l("Officer penalised"), "select", options=officers),
            Input("compensation_rupees", _l("Compensation to the citizen (₹0 to ₹5,000)"), "number",
                  {"min": 0, "max": appeals.MAX_COMPENSATION, "value": 0}),
        )
    return ()


def offered(viewer, request):
    """The steps the viewer may take on the request as it stands, with what each one's form asks."""
    steps = []
    for name in lifecycle.available(viewer, request):
        transition = lifecycle.TRANSITIONS.get(name)
        needs_note = bool(transition and transition.needs_note) or name in NEEDS_NOTE
        steps.append(Step(
            name, labels.STEPS[name], NOTES.get(name), needs_note,
            assignable(viewer, request) if name in CHOOSES_OFFICER else None,
            name == "deliver", name in WARNS, inputs(request, name)))
    return steps


def take(viewer, request, form, upload):
    """Take the step `form` names; returns its history entry, or raises DomainError having changed nothing."""
    name, version, note = form.step.data, form.version.data, form.note.data or ""
    if name == "hand_over":
        return lifecycle.hand_over(request, viewer, version=version)
    if name == "direct":
        return appeal_workflow.direct(request, viewer, version=version, decide_by=form.decide_by.data, note=note)
    if name == "citizen_appeal":
        return appeal_workflow.citizen_appeal(request, viewer, version=version, grounds=note)
    if name == "commission_decide":
        # Only one offered: a forged id reads as nobody chosen.
        penalised = next((o for o in appeals.involved(request) if o.id == form.penalised_officer.data), None)
        return appeal_workflow.commission_decide(
            request, viewer, version=version, penalty=form.penalty_rupees.data or 0,
            compensation=form.compensation_rupees.data or 0, officer=penalised, note=note)
    officer = None
    if name in CHOOSES_OFFICER:
        # Only one offered: a forged id reads as no choice at all.
        officer = next((o for o in assignable(viewer, request) if o.id == form.officer.data), None)
    if name == "reassign":
        return appeal_workflow.reassign(request, officer, viewer, version=version, note=note)
    return appeal_workflow.act(request, name, viewer, version=version, note=note, to_officer=officer,
                               document=document(upload))


def document(upload):
    """The uploaded file as models.lifecycle takes it, or None when none was chosen."""
    if upload is None or not upload.filename:
        return None
    # Some browsers send the whole path; one byte past the limit is enough for lifecycle to refuse it.
    filename = upload.filename.replace("\\", "/").rpartition("/")[2]
    return lifecycle.Document(filename, upload.mimetype, upload.stream.read(lifecycle.MAX_DOCUMENT_BYTES + 1))
