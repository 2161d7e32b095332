"""Deliver what is due in the outbox: `flask --app wsgi mail send`, run from cron.

Any number of senders may run at once; each claims its own rows
(models/notifications.claim), so none is sent twice.
"""
import collections
import logging

from flask import current_app

from models import notifications
from models.timeutil import utcnow

from . import mail, sms
from .outcome import Refused, TryLater, Unknown

log = logging.getLogger(__name__)

BATCH = 50  # rows claimed at a time: what one sender holds if it dies


def send_due(now=None, batch=BATCH):
    """Try every message due at `now` once; returns how many ended in each status."""
    now = now or utcnow()
    counts = collections.Counter()
    stuck = notifications.expire_stuck(now)
    if stuck:
        counts["uncertain"] += stuck
    channels = {"email": mail.Mailer(current_app), "sms": sms.backend(current_app.config)}
    token = notifications.new_claim_token()
    try:
        while rows := notifications.claim(token, now, batch):
            for row in rows:
                deliver(row, channels[row.channel], now)
                counts[row.status] += 1
    finally:
        channels["email"].close()
    return counts


def deliver(row, channel, now):
    """Hand `row` to `channel` and record what came of it."""
    bounced = row.channel == "email" and notifications.bounce_for(row.address)
    if bounced:
        # Sending would only bounce again; the outbox screen shows why, and a
        # corrected address or a cleared bounce lets a retry through.
        notifications.mark_failed(row, f"not sent: mail to {bounced.address} bounced ({bounced.status or '-'}) on "
                                       f"{bounced.bounced_at:%Y-%m-%d %H:%M} UTC")
        return
    try:
        channel.send(row)
    except TryLater as error:
        notifications.retry_later(row, str(error), now)
    except Refused as error:
        notifications.mark_failed(row, str(error))
    except Unknown as error:
        notifications.mark_uncertain(row, str(error))
    except Exception as error:
        # A fault of ours, perhaps after the hand-over: not knowing, never resend.
        log.exception("sending outbox row %s", row.id)
        notifications.mark_uncertain(row, f"{type(error).__name__}: {error}")
    else:
        notifications.mark_sent(row, now)
