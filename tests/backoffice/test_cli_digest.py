"""`flask --app wsgi digest send`: each officer's daily digest, in his language, once a day, never empty."""
import datetime

from models import DigestSent, Officer, Outbox, ServiceRequest, circulars, clock
from models.timeutil import utcnow
from tests.backoffice.scope_support import world  # noqa: F401 (fixture)


def send(app):
    result = app.test_cli_runner().invoke(args=["digest", "send"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def digests():
    return {row.address: row for row in Outbox.select().where(Outbox.template == "daily_digest")}


def test_digests_go_in_each_officers_language_once_a_day_and_never_empty(app, world):
    today = clock.ist_date(utcnow())
    Officer.update(language="hi").where(Officer.id == world.tehsildar_amb.id).execute()
    # The Tehsildar: one request due tonight, one overdue since yesterday, one closed long ago.
    due, late = world.requests["REV", "AMB"], world.requests["REV", "HSR"]
    ServiceRequest.update(due_at=clock.ist_day_end(today)).where(ServiceRequest.id == due.id).execute()
    ServiceRequest.update(due_at=clock.ist_day_start(today) - datetime.timedelta(hours=1),
                          assigned_officer=world.tehsildar_amb).where(ServiceRequest.id == late.id).execute()
    closed = world.requests["ULB", "AMB"]
    ServiceRequest.update(due_at=clock.ist_day_start(today) - datetime.timedelta(days=9), status="delivered",
                          assigned_officer=world.tehsildar_amb).where(ServiceRequest.id == closed.id).execute()
    # The Executive Officer has read his one circular: nothing to tell him.
    circulars.acknowledge(world.eo_hsr, world.ulb_circular)

    # The Tehsildar alone has something; the other seven officers have nothing.
    assert send(app) == "1 queued, 7 with nothing to say, 0 already sent today"
    mail = digests()[world.tehsildar_amb.email]
    assert mail.language == "hi" and mail.about_officer_id == world.tehsildar_amb.id
    assert mail.subject == f"जनसहायक: {today:%d-%m-%Y} का आपका कार्य"
    assert due.tracking_number in mail.body_text and late.tracking_number in mail.body_text
    assert closed.tracking_number not in mail.body_text
    assert "शिविर न्यायालय" in mail.body_text and "प्रमाण पत्र" in mail.body_text  # his two unread circulars
    assert "/admin/my-circulars/" in mail.body_text

    # Run again the same day: nobody gets it twice.
    assert send(app) == "0 queued, 7 with nothing to say, 1 already sent today"
    assert len(digests()) == 1
    assert DigestSent.select().count() == 1


def test_an_officer_in_english_gets_it_in_english(app, world):
    assert send(app).startswith("2 queued")  # the two field officers' unread circulars
    mail = digests()[world.eo_hsr.email]
    assert mail.language == "en" and mail.subject.startswith("Jansahayak: your work for ")
    assert "Circulars you have not acknowledged (1):\n- Licences" in mail.body_text
    assert "Overdue" not in mail.body_text and "Due today" not in mail.body_text


def test_an_inactive_officer_gets_none(app, world):
    Officer.update(active=False).where(Officer.id == world.eo_hsr.id).execute()
    send(app)
    assert set(digests()) == {world.tehsildar_amb.email}
