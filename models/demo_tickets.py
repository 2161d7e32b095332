"""The demo's help-desk tickets (models/demo.py): one for every TICKETS_PER_REQUEST requests, three messages each.

A demo citizen asks the help desk about one of his requests (or, for a share,
about nothing the desk can link) from the app, some time after filing it. Each
thread has three messages whose kinds are the story models/helpdesk.py's
add_message tells, so the ticket's status is the one those messages and an
agent's status change would leave:

- in, in, note: still "new" (he wrote again before anyone answered);
- in, note, out: "waiting_on_requester" (an agent looked into it and answered);
- in, out, in: "open" (he answered back), then perhaps "resolved" or "closed".

Recent tickets are mostly unanswered, old ones mostly done. Deterministic from
the caller's random generator, batched like the requests.
"""
import datetime
from collections import Counter

from . import bulk, helpdesk
from .catalogue import Service
from .holidays import calendar_for
from .people import Citizen, Officer, RoleGrant
from .requests import ServiceRequest

TICKETS_PER_REQUEST = 10  # 2,000,000 requests, 200,000 tickets
ABOUT_A_REQUEST = 0.8  # of the tickets, linked to the request they ask about
PRIORITIES = {"normal": 70, "high": 15, "low": 10, "urgent": 5}
ASKED_WITHIN = datetime.timedelta(days=10)  # of filing
THREAD_SPAN = datetime.timedelta(days=4)  # the three messages fall within this of the first
READ = 10_000  # requests read at a time

# The stories by the ticket's age: (status, kinds of the three messages) and their weights.
NEW = ("new", ("inbound", "inbound", "note"))
WAITING = ("waiting_on_requester", ("inbound", "note", "outbound"))
OPEN = ("open", ("inbound", "outbound", "inbound"))
RESOLVED = ("resolved", OPEN[1])
CLOSED = ("closed", OPEN[1])
BY_AGE = (
    (datetime.timedelta(days=1), {NEW: 50, WAITING: 50}),
    (datetime.timedelta(days=5), {WAITING: 30, OPEN: 40, RESOLVED: 30}),
    (None, {RESOLVED: 30, CLOSED: 70}),
)

# (English, Hindi); {number} is the request's tracking number, {service} its service.
ABOUT = (
    ("When will my {service} be ready? ({number})", "मेरा {service} कब तक मिलेगा? ({number})"),
    ("Status of request {number}", "आवेदन {number} की स्थिति"),
    ("Document upload failing for {number}", "{number} के लिए दस्तावेज़ अपलोड नहीं हो रहा"),
)
GENERAL = (
    ("Cannot log in to the app", "ऐप में लॉग इन नहीं हो पा रहा"),
    ("Which documents do I need?", "कौन से दस्तावेज़ चाहिए?"),
    ("OTP not received", "ओटीपी नहीं मिला"),
)
QUESTION = ("Please tell me what is happening; I applied some days ago.",
            "कृपया बताएं कि क्या हो रहा है; मैंने कुछ दिन पहले आवेदन किया था।")
REMINDER = ("Any update? Nobody has answered yet.", "कोई जानकारी? अभी तक किसी ने जवाब नहीं दिया।")
THANKS = ("Thank you, that answers it.", "धन्यवाद, जानकारी मिल गई।")
ANSWER = "Your request is with the officer and within its time limit; you will get an SMS when it is decided."
NOTE = "Checked the request's history: nothing is pending on the citizen's side."


def _pick(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _numbers(rng, count):
    """`count` ticket numbers no ticket holds, drawn as create_ticket draws them (six digits)."""
    taken = {n for (n,) in helpdesk.HelpTicket.select(helpdesk.HelpTicket.number).tuples()}
    drawn = rng.sample(range(100000, 1000000), min(900000, count + len(taken)))
    numbers = [f"JS-{n}" for n in drawn if f"JS-{n}" not in taken]
    return numbers[:count]


def _requests(chosen):
    """(id, citizen, service id, submitted, tracking number, citizen's language) of the demo requests
    whose place in filing order is in `chosen`, read a slice at a time."""
    query = (ServiceRequest
             .select(ServiceRequest.id, ServiceRequest.citizen, ServiceRequest.service, ServiceRequest.submitted_at,
                     ServiceRequest.tracking_number, Citizen.language)
             .join(Citizen).where(ServiceRequest.demo == True)  # noqa: E712
             .order_by(ServiceRequest.id).limit(READ))
    last, place = 0, 0
    while True:
        batch = list(query.where(ServiceRequest.id > last).tuples())
        if not batch:
            return
        for row in batch:
            if place in chosen:
                yield row
            place += 1
        last = batch[-1][0]


def make(rng, requests, first_day, until):
    """Tickets for one in TICKETS_PER_REQUEST of the demo requests filed from `first_day` (an IST date), told up
    to `until`; returns
    (Counter of statuses, messages). In the caller's transaction, after the requests are in."""
    statuses, messages = Counter(), 0
    count = requests // TICKETS_PER_REQUEST
    if not count:
        return statuses, messages
    agents = [i for (i,) in RoleGrant.select(RoleGrant.officer).join(Officer)
              .where(RoleGrant.role == "helpdesk_agent", Officer.demo == True)  # noqa: E712
              .order_by(RoleGrant.officer).tuples()]
    services = {s.id: (s.name_en, s.name_hi) for s in Service.select(Service.id, Service.name_en, Service.name_hi)}
    chosen = set(rng.sample(range(requests), count))
    numbers = iter(_numbers(rng, count))
    calendar = calendar_for(None, start=first_day)
    stories = []
    for row in _requests(chosen):
        stories.append(_story(rng, row, next(numbers), agents, services, calendar, until))
        if len(stories) == bulk.BATCH:
            messages += _insert(stories, statuses)
            stories = []
    messages += _insert(stories, statuses)
    return statuses, messages


def _story(rng, row, number, agents, services, calendar, until):
    """One ticket's row and its three messages (without the ticket's id)."""
    request, citizen, service, submitted, tracking_number, language = row
    hindi = language == "hi"
    created = submitted + (min(until, submitted + ASKED_WITHIN) - submitted) * rng.uniform(0.01, 0.99)
    created = created.replace(microsecond=0)
    age = until - created
    status, kinds = _pick(rng, next(weights for limit, weights in BY_AGE if limit is None or age < limit))
    span = min(until - created, THREAD_SPAN)
    first = created + span * rng.uniform(0.1, 0.5)
    times = [created, first, first + (created + span - first) * rng.uniform(0.1, 0.9)]
    times = [t.replace(microsecond=0) for t in times]
    linked = rng.random() < ABOUT_A_REQUEST
    subject = rng.choice(ABOUT if linked else GENERAL)[hindi].format(
        number=tracking_number, service=services[service][hindi])
    agent = rng.choice(agents) if agents else None
    priority = _pick(rng, PRIORITIES)
    first_response_due, resolution_due = helpdesk.dues(priority, created, calendar)
    words = {"inbound": [QUESTION[hindi], REMINDER[hindi] if kinds[1] == "inbound" else THANKS[hindi]],
             "outbound": [ANSWER], "note": [NOTE]}
    thread = []
    for kind, at in zip(kinds, times):
        author = None if kind == "inbound" else agent
        thread.append(dict(kind=kind, author_officer=author, subject=subject if not thread else f"Re: {subject}",
                           body_text=words[kind].pop(0), created_at=at))
    responded = next((m["created_at"] for m in thread if m["kind"] == "outbound"), None)
    resolved = None
    if status in ("resolved", "closed"):
        resolved = (times[-1] + (until - times[-1]) * rng.uniform(0.05, 0.5)).replace(microsecond=0)
    ticket = dict(number=number, requester_citizen=citizen, requester_officer=None, channel="app",
                  subject=subject, status=status, priority=priority,
                  assigned_agent=agent if status != "new" or rng.random() < 0.5 else None,
                  request=request if linked else None, created_at=created, updated_at=resolved or times[-1],
                  first_response_due=first_response_due, resolution_due=resolution_due,
                  first_responded_at=responded, resolved_at=resolved, acknowledged_at=created,
                  merged_into=None, demo=True)
    return ticket, thread


def _insert(stories, statuses):
    if not stories:
        return 0
    bulk.insert(helpdesk.HelpTicket, [ticket for ticket, _ in stories])
    ids = dict(helpdesk.HelpTicket.select(helpdesk.HelpTicket.number, helpdesk.HelpTicket.id)
               .where(helpdesk.HelpTicket.number.in_([ticket["number"] for ticket, _ in stories])).tuples())
    rows = [dict(message, ticket=ids[ticket["number"]]) for ticket, thread in stories for message in thread]
    bulk.insert(helpdesk.TicketMessage, rows)
    statuses.update(ticket["status"] for ticket, _ in stories)
    return len(rows)
