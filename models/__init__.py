"""peewee models and the rules that belong to the data. No Flask here."""
from .catalogue import Area, Department, Designation, District, Service
from . import privacy, retention, scope, tracking
from .accounts import LoginAttempt, RecoveryCode
from .appeals import Appeal, CommissionDecision
from .audit import AuditEntry
from .canned_responses import CannedResponse
from .circulars import Circular, CircularAttachment, CircularRecipient
from .dashboard import DayTally, DecisionDays
from .db import database, open_database
from .deadlines import RequestPause
from .digest import DigestSent
from .errors import DomainError
from .forms import FormVersion, ServiceOffering
from .helpdesk import HelpTicket, TicketAttachment, TicketMessage, TicketParticipant
from .holidays import Holiday
from .jobs import JobFailure
from .login_codes import LoginCode
from .notifications import BouncedAddress, DevelopmentSms, Outbox, OutboxAttachment
from .people import Citizen, Officer, Post, RoleGrant
from .requests import Delivery, RequestEvent, RequestRating, ServiceRequest
from .request_documents import RequestDocument
from .resets import PasswordLink
from .tokens import ApiToken

ALL_MODELS = [
    District, Area, Department, Designation, Service,
    ServiceOffering, FormVersion,
    Officer, Post, RoleGrant, Citizen, LoginAttempt, RecoveryCode, PasswordLink, LoginCode, ApiToken,
    ServiceRequest, RequestEvent, Delivery, RequestDocument, RequestRating, Appeal, CommissionDecision,
    Holiday, RequestPause,
    HelpTicket, TicketMessage, TicketAttachment, TicketParticipant, CannedResponse,
    Outbox, OutboxAttachment, DevelopmentSms, BouncedAddress,
    AuditEntry, JobFailure,
    Circular, CircularAttachment, CircularRecipient, DigestSent,
    DayTally, DecisionDays,
]

__all__ = [m.__name__ for m in ALL_MODELS] + ["ALL_MODELS", "DomainError", "database", "open_database"]
