"""The words the admin screens show for column names, stored codes and kinds of rows.

Kept in one table so a column or code reads the same on every screen and the
Hindi catalogue has one entry for each.
"""
from flask_babel import lazy_gettext as _l

from models import (
    Area, AuditEntry, Citizen, Department, Designation, District, HelpTicket, Holiday, Officer, Post,
    RequestEvent, RequestPause, RoleGrant, Service, ServiceRequest, TicketMessage,
)

COLUMNS = {
    "about_officer": _l("About officer"),
    "about_request": _l("About request"),
    "about_ticket": _l("About ticket"),
    "action": _l("Action"),
    "active": _l("Active"),
    "additional_charge": _l("Additional charge"),
    "address": _l("Recipient"),
    "appeal": _l("Appeal"),
    "area": _l("Area"),
    "assigned_officer": _l("Assigned officer"),
    "attempts": _l("Attempts"),
    "at": _l("When (IST)"),
    "category": _l("Category"),
    "channel": _l("Channel"),
    "changes": _l("Changes"),
    "citizen": _l("Citizen"),
    "clock": _l("Clock"),
    "code": _l("Code"),
    "code_hash": _l("Recovery code"),
    "created_at": _l("Created (IST)"),
    "date": _l("Date"),
    "decide_by": _l("Directed to decide by"),
    "department": _l("Department"),
    "description_en": _l("Description (English)"),
    "description_hi": _l("Description (Hindi)"),
    "designated_officer": _l("Designated officer"),
    "designation": _l("Designation"),
    "dlt_template_id": _l("DLT template id"),
    "district": _l("District"),
    "division": _l("Division"),
    "due_at": _l("Due (IST)"),
    "eligibility_en": _l("Eligibility (English)"),
    "eligibility_hi": _l("Eligibility (Hindi)"),
    "email": _l("E-mail"),
    "fee": _l("Fee (₹)"),
    "filed_by": _l("Filed by"),
    "first_appellate": _l("First appellate authority"),
    "form_values": _l("Form values"),
    "granted_at": _l("Granted (IST)"),
    "granted_by": _l("Granted by"),
    "grants": _l("Roles"),
    "headquarters": _l("Headquarters"),
    "kind": _l("Kind"),
    "language": _l("Language"),
    "last_login_at": _l("Last login (IST)"),
    "last_error": _l("Last error"),
    "level": _l("Level"),
    "message_id": _l("Message-ID"),
    "model_name": _l("Kind of row"),
    "mobile": _l("Mobile"),
    "name": _l("Name"),
    "name_en": _l("Name (English)"),
    "name_hi": _l("Name (Hindi)"),
    "next_attempt_at": _l("Next attempt (IST)"),
    "nodal": _l("Nodal officer"),
    "note": _l("Note"),
    "officer": _l("Officer"),
    "on_leave": _l("On leave"),
    "password_hash": _l("Password"),
    "posts": _l("Posts"),
    "role": _l("Role"),
    "row_id": _l("Row"),
    "second_appellate": _l("Second appellate authority"),
    "sent_at": _l("Sent (IST)"),
    "service": _l("Service"),
    "session_version": _l("Session version"),
    "status": _l("Status"),
    "subject": _l("Subject"),
    "submitted_at": _l("Submitted (IST)"),
    "tat_unit": _l("Time limit unit"),
    "tat_value": _l("Time limit"),
    "template": _l("Message"),
    "time_left": _l("Time left"),
    "totp_secret": _l("One-time-code secret"),
    "tracking_number": _l("Tracking number"),
    "updated_at": _l("Updated (IST)"),
    "version": _l("Version"),
}

# Stored codes (models' choices) as a reader sees them.
VALUES = {
    # departments
    "department": _l("Department"),
    "board": _l("Board"),
    "corporation": _l("Corporation"),
    # designation levels
    "state": _l("State"),
    "district": _l("District"),
    "area": _l("Area"),
    # areas
    "sub-division": _l("Sub-division"),
    "tehsil": _l("Tehsil"),
    "block": _l("Block"),
    "municipal corporation": _l("Municipal corporation"),
    "municipal council": _l("Municipal council"),
    "municipal committee": _l("Municipal committee"),
    # time-limit units
    "working_days": _l("working days"),
    "hours": _l("hours"),
    # services
    "draft": _l("Draft"),
    "published": _l("Published"),
    "retired": _l("Retired"),
    # languages
    "en": _l("English"),
    "hi": _l("Hindi"),
    # roles
    "state_admin": _l("State administrator"),
    "department_admin": _l("Department administrator"),
    "district_admin": _l("District administrator"),
    "counter_operator": _l("Counter operator"),
    "helpdesk_agent": _l("Help-desk agent"),
    "commission_member": _l("Commission member"),
    # requests
    "submitted": _l("Submitted"),
    "assigned": _l("Assigned"),
    "in_progress": _l("In progress"),
    "query_raised": _l("Query raised"),
    "citizen_responded": _l("Citizen responded"),
    "approved": _l("Approved"),
    "delivered": _l("Delivered"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
    # the outbox: channels and statuses
    "email": _l("E-mail"),
    "sms": _l("SMS"),
    "pending": _l("Waiting to be sent"),
    "sending": _l("Being sent"),
    "sent": _l("Sent"),
    "failed": _l("Failed"),
    "uncertain": _l("Uncertain: may have arrived"),
    # audit log actions
    "create": _l("Created"),
    "update": _l("Changed"),
    "delete": _l("Deleted"),
    "grant": _l("Granted"),
    "revoke": _l("Revoked"),
    "transition": _l("Status changed"),
    "view": _l("Viewed"),
}

# The steps on a request (models.lifecycle.available), as its buttons say them.
STEPS = {
    "assign": _l("Assign"),
    "start": _l("Start work"),
    "raise_query": _l("Raise a query"),
    "answer_query": _l("Record the citizen's answer"),
    "approve": _l("Approve"),
    "reject": _l("Reject"),
    "deliver": _l("Deliver"),
    "withdraw": _l("Withdraw"),
    "reassign": _l("Reassign"),
    "hand_over": _l("Record hand-over"),
    "direct": _l("Direct the officer"),
    "citizen_appeal": _l("Record the citizen's appeal"),
    "commission_decide": _l("Record the Commission's decision"),
}

# The kinds of a request's history entries (RequestEvent.kind), as its history says them.
EVENTS = {
    "filed": _l("Filed"),
    "assign": _l("Assigned"),
    "start": _l("Work started"),
    "raise_query": _l("Query raised"),
    "answer_query": _l("Citizen's answer recorded"),
    "approve": _l("Approved"),
    "reject": _l("Rejected"),
    "deliver": _l("Delivered"),
    "withdraw": _l("Withdrawn"),
    "reassigned": _l("Reassigned"),
    "handed_over": _l("Handed over"),
    "clock_paused": _l("Clock paused"),
    "clock_resumed": _l("Clock resumed"),
    "due_date_changed": _l("Due date changed"),
    "appealed": _l("Appealed"),
    "directed": _l("Officer directed"),
    "citizen_appeal": _l("Citizen's appeal"),
    "commission_decided": _l("Commission's decision"),
}

# What a refused delete names as still pointing at the row.
ROW_KINDS = {
    District: _l("districts"),
    Area: _l("areas"),
    Department: _l("departments"),
    Designation: _l("designations"),
    Service: _l("services"),
    Officer: _l("officers"),
    Post: _l("posts"),
    RoleGrant: _l("role grants"),
    Citizen: _l("citizens"),
    ServiceRequest: _l("requests"),
    RequestEvent: _l("request history entries"),
    RequestPause: _l("pauses of request clocks"),
    Holiday: _l("holidays"),
    HelpTicket: _l("help-desk tickets"),
    TicketMessage: _l("help-desk messages"),
    AuditEntry: _l("audit log entries"),
}


def column(name):
    return COLUMNS.get(name, name)


def value_choices(field):
    """A model field's (code, label) pairs, for selects and list cells."""
    return [(code, VALUES.get(code, code)) for code, _ in field.choices]


def row_kind(model):
    return ROW_KINDS.get(model, model._meta.table_name)
