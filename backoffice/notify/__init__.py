"""Telling people things: by SMS and e-mail, in their language, through the outbox.

    notify.tell(citizen, "request_received", about=request, request=request)

queues the message in the caller's transaction (models/notifications.py);
`flask --app wsgi mail send` (sender.py) delivers it. Who gets what:
templated messages go to a citizen by SMS when he has a mobile and by
e-mail as well when he has an address, to an officer by e-mail. A person's
own words (a help-desk agent's reply) never go by SMS: see `reply`. Mail
about a help-desk ticket carries the ticket's signed token in its Message-ID
and Reply-To, so that an answer finds the ticket (docs/helpdesk.md).
"""
from urllib.parse import urlsplit

from flask import current_app
from flask_mail import Mail

from models import Citizen, HelpTicket, database, helpdesk, notifications

from . import render


def init_app(app):
    Mail(app)


def tell(person, template, *, about=None, attachments=(), channels=notifications.CHANNELS, **context):
    """Queue `template` for `person` (an Officer or a Citizen); returns the outbox rows.

    `context` reaches the templates, with `person` added; `attachments` are
    (filename, content type, bytes) and go with the e-mail only; `channels`
    narrows the ways he is told. Nothing goes to the made-up people of `demo
    load`: their mobile numbers may be somebody's.
    """
    if person.demo:
        return []
    language = person.language
    context = {"person": person, **context}
    rows = []
    with database.atomic():
        if "sms" in channels and isinstance(person, Citizen) and person.mobile:
            text, dlt_template_id = render.sms(template, language, context)
            rows.append(notifications.queue(
                "sms", person.mobile, text, language=language, template=template, name=person.name,
                dlt_template_id=dlt_template_id, about=about))
        if "email" in channels and person.email:
            subject, text, html = render.email(template, language, context)
            rows.append(_queue_email(person, subject, text, html, template=template, about=about,
                                     attachments=attachments))
    return rows


def reply(person, subject, text, *, about=None):
    """Queue a person's own words (a help-desk reply) by e-mail, answerable to the help desk.

    Returns the outbox row, or None when `person` has no e-mail address: then
    the reply reaches him in the app alone, never by SMS, where neither the
    length nor the operator's registered templates would allow it.
    """
    if not person.email:
        return None
    html = render.html(text, person.language, subject)
    return _queue_email(person, subject, text, html, about=about, automatic=False,
                        reply_to=current_app.config["HELPDESK_REPLY_TO"])


def _queue_email(person, subject, text, html, *, about=None, **fields):
    config = current_app.config
    token = None
    if isinstance(about, HelpTicket):
        token = helpdesk.thread_token(about, config["SECRET_KEY"])
        if config["HELPDESK_REPLY_TO"]:
            fields["reply_to"] = helpdesk.reply_address(config["HELPDESK_REPLY_TO"], token)
    return notifications.queue(
        "email", person.email, text, language=person.language, name=person.name, subject=subject,
        body_html=html, message_id=notifications.new_message_id(config["MAIL_MESSAGE_ID_DOMAIN"], token),
        about=about, **fields)


def public_link(endpoint, **values):
    """The absolute address of `endpoint` under PUBLIC_URL, for a message read far from any request."""
    parts = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)
