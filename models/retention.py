"""Retention: personal data kept no longer than it is needed (DPDP Act, 2023), purged by `privacy purge`.

Three kinds, each after its own period (settings RETENTION_*_DAYS, docs/privacy.md):
closed help-desk tickets' attachments (and the raw mail that carried them; the
thread's text stays), citizens' log-in codes once used or expired, and the
app's bearer tokens once expired or revoked. Each purge is one statement per
kind, safe to run twice at once and again: what is gone is not counted twice.
"""
import datetime

from .db import database
from .helpdesk import HelpTicket, TicketAttachment, TicketMessage
from .login_codes import LoginCode
from .timeutil import utcnow
from .tokens import ApiToken


def purge(ticket_attachment_days, login_code_days, token_days, now=None):
    """Purge what is past its period; returns {kind: rows purged}."""
    now = now or utcnow()
    closed = HelpTicket.select(HelpTicket.id).where(
        HelpTicket.status == "closed", HelpTicket.updated_at < now - datetime.timedelta(days=ticket_attachment_days))
    on_closed = TicketMessage.select(TicketMessage.id).where(TicketMessage.ticket.in_(closed))
    codes_before = now - datetime.timedelta(days=login_code_days)
    tokens_before = now - datetime.timedelta(days=token_days)
    with database.atomic():
        return {
            "ticket_attachments": TicketAttachment.update(content=None).where(
                TicketAttachment.message.in_(on_closed), TicketAttachment.content.is_null(False)).execute(),
            "ticket_raw_mail": TicketMessage.update(raw=None).where(
                TicketMessage.id.in_(on_closed), TicketMessage.raw.is_null(False)).execute(),
            # A code is dead once used or expired; the throttle counts the last hour's, a day is kept at least.
            "login_codes": LoginCode.delete().where(
                (LoginCode.used_at.is_null(False) | (LoginCode.expires_at < now)),
                LoginCode.created_at < codes_before).execute(),
            "api_tokens": ApiToken.delete().where(
                (ApiToken.expires_at < tokens_before)
                | (ApiToken.revoked_at.is_null(False) & (ApiToken.revoked_at < tokens_before))).execute(),
        }
