"""peewee models and the rules that belong to the data. No Flask here."""
from .catalogue import Area, Department, Designation, District, Service
from . import scope, tracking
from .accounts import LoginAttempt, RecoveryCode
from .audit import AuditEntry
from .circulars import Circular, CircularAttachment, CircularRecipient
from .db import database, open_database
from .deadlines import RequestPause
from .digest import DigestSent
from .errors import DomainError
from .helpdesk import HelpTicket, TicketMessage
from .holidays import Holiday
from .notifications import DevelopmentSms, Outbox, OutboxAttachment
from .people import Citizen, Officer, Post, RoleGrant
from .requests import Delivery, RequestEvent, ServiceRequest
from .resets import PasswordLink

ALL_MODELS = [
    District, Area, Department, Designation, Service,
    Officer, Post, RoleGrant, Citizen, LoginAttempt, RecoveryCode, PasswordLink,
    ServiceRequest, RequestEvent, Delivery,
    Holiday, RequestPause,
    HelpTicket, TicketMessage,
    Outbox, OutboxAttachment, DevelopmentSms,
    AuditEntry,
    Circular, CircularAttachment, CircularRecipient, DigestSent,
]

__all__ = [m.__name__ for m in ALL_MODELS] + ["ALL_MODELS", "DomainError", "database", "open_database"]
