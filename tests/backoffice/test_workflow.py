"""The lifecycle with the citizen told (backoffice/workflow.py): one message per step, in his language, or none."""
import pytest

from backoffice import workflow
from backoffice.notify import render
from models import (
    Area, Citizen, Department, Designation, District, DomainError, Officer, Outbox, Post, RoleGrant, Service,
    ServiceRequest, database, lifecycle,
)

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def world(app):
    class W:
        pass

    w = W()
    with app.app_context(), database.connection_context():
        w.amb = District.create(code="AMB", name_en="Ambala", name_hi="अंबाला")
        w.tehsil = Area.create(district=w.amb, code="AMB-T", name_en="Ambala tehsil", name_hi="अंबाला तहसील",
                               kind="tehsil")
        rev = Department.create(code="REV", name_en="Revenue", name_hi="राजस्व")
        tehsildar = Designation.create(department=rev, name="Tehsildar", level="area")
        w.service = Service.create(code="REV-SC", name_en="SC certificate", name_hi="अनुसूचित जाति प्रमाण पत्र",
                                   department=rev, category="certificates", tat_value=3, tat_unit="working_days",
                                   designated_officer=tehsildar, status="published")
        w.field = Officer.create(name="Tehsildar", email="tehsildar@x.in")
        Post.create(officer=w.field, designation=tehsildar, area=w.tehsil)
        w.counter = Officer.create(name="Counter", email="counter@x.in")
        RoleGrant.create(officer=w.counter, role="counter_operator", district=w.amb)
        w.citizen = Citizen.create(mobile="9876500001", email="asha@example.in", name="आशा देवी", language="hi")
    return w


def run(app, step):
    with app.app_context(), database.connection_context():
        return step()


def outbox(app):
    with database.connection_context():
        return [(row.channel, row.template) for row in Outbox.select().order_by(Outbox.id)]


def filed(app, w):
    return run(app, lambda: workflow.file_request(w.service, w.citizen, w.amb, area=w.tehsil, filed_by=w.counter))


def act(app, request, action, actor, **fields):
    def step():
        current = ServiceRequest.get_by_id(request.id)
        return workflow.act(current, action, actor, version=current.version, **fields)
    return run(app, step)


def test_filing_is_acknowledged_once_by_sms_and_mail(app, world):
    request = filed(app, world)
    assert outbox(app) == [("sms", "request_received"), ("email", "request_received")]
    with database.connection_context():
        sms = Outbox.get(Outbox.channel == "sms")
    assert request.tracking_number in sms.body_text and sms.language == "hi"


def test_each_step_tells_the_citizen_in_his_language(app, world):
    request = filed(app, world)
    act(app, request, "start", world.field)
    act(app, request, "raise_query", world.field, note="पिता का जाति प्रमाण पत्र लगाएँ।")
    act(app, request, "answer_query", world.counter, note="लगा दिया।")
    act(app, request, "approve", world.field)
    act(app, request, "deliver", world.field, document=lifecycle.Document("cert.pdf", "application/pdf", PDF))
    templates = [template for channel, template in outbox(app) if channel == "sms"]
    assert templates == ["request_received", "request_in_progress", "request_query_raised",
                         "request_citizen_responded", "request_approved", "request_delivered"]
    with database.connection_context():
        query_mail = Outbox.get(Outbox.channel == "email", Outbox.template == "request_query_raised")
        delivered = Outbox.get(Outbox.channel == "sms", Outbox.template == "request_delivered")
    assert "पिता का जाति प्रमाण पत्र लगाएँ।" in query_mail.body_text
    assert request.tracking_number in delivered.body_text and "ऐप" in delivered.body_text


def test_a_refused_step_tells_nobody(app, world):
    request = filed(app, world)
    before = outbox(app)
    with pytest.raises(DomainError):
        act(app, request, "approve", world.counter)
    stale = run(app, lambda: ServiceRequest.get_by_id(request.id))
    act(app, request, "start", world.field)
    after_start = outbox(app)
    with pytest.raises(DomainError):
        run(app, lambda: workflow.act(stale, "reject", world.field, version=stale.version, note="No."))
    assert outbox(app) == after_start and len(after_start) == len(before) + 2


def test_a_message_that_cannot_be_written_undoes_the_step(app, world, monkeypatch):
    """Outbox row if and only if the step: a template error leaves the request as it was."""
    request = filed(app, world)

    def broken(*args, **kwargs):
        raise RuntimeError("template missing")

    monkeypatch.setattr(render, "sms", broken)
    with pytest.raises(RuntimeError):
        act(app, request, "start", world.field)
    with database.connection_context():
        assert ServiceRequest.get_by_id(request.id).status == "assigned"


@pytest.mark.parametrize("status", sorted({t.target for t in lifecycle.TRANSITIONS.values()}))
@pytest.mark.parametrize("language", ["en", "hi"])
def test_every_status_has_its_messages(app, world, status, language):
    request = filed(app, world)
    with app.app_context(), database.connection_context():
        event = ServiceRequest.get_by_id(request.id).events.first()
        event.note = "A note for the citizen."
        context = {"person": world.citizen, "request": request, "event": event}
        text, _ = render.sms(f"request_{status}", language, context)
        subject, body, _ = render.email(f"request_{status}", language, context)
    assert request.tracking_number in text and request.tracking_number in subject
    assert len(text) <= 160 if language == "en" else len(text) <= 70 * 3
    assert "{{" not in body and "None" not in body


def test_a_refusal_names_the_status_by_its_label(app):
    from backoffice.messages import describe
    with app.test_request_context("/?lang=en"):
        said = describe(DomainError("transition_not_allowed", number="HR-2026-AAAA-BBBB", action="approve",
                                    status="in_progress"))
    assert "In progress" in said and "in_progress" not in said


def test_demo_citizens_are_never_messaged(app, world):
    """`demo load` makes up mobile numbers that may be real people's."""
    with database.connection_context():
        Citizen.update(demo=True).where(Citizen.id == world.citizen.id).execute()
        world.citizen = Citizen.get_by_id(world.citizen.id)
    request = filed(app, world)
    act(app, request, "start", world.field)
    assert outbox(app) == []
