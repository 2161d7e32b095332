"""The demo workload: areas, officers, citizens and requests, every row marked demo and removable.

`load` fills a database that holds the catalogue with a state's worth of
illustrative work: a few areas per district, an officer for every post in
every place, the administrators, and citizens' requests over the last four
months with a history that follows models/lifecycle.py's TRANSITIONS step by
step. It is deterministic (the same seed and `today` give the same rows) and
fast (batched inserts in one transaction), so the benchmarks use it too.
`remove` takes it all away again and touches nothing else.

A database holds one demo at a time: `load` refuses while demo rows exist.
"""
import random
from collections import Counter, defaultdict, namedtuple

from . import bulk, clock, dashboard, demo_requests, demo_tickets
from .accounts import RecoveryCode
from .catalogue import Area, Department, Designation, District, Service
from .db import database
from .deadlines import RequestPause
from .demo_requests import DAY
from .errors import DomainError
from .helpdesk import HelpTicket, TicketMessage
from .notifications import Outbox
from .people import Citizen, Officer, Post, RoleGrant
from .requests import Delivery, RequestEvent, ServiceRequest
from .resets import PasswordLink
from .timeutil import utcnow

REQUESTS = 3000
SEED = 2020
# The reserved TLD: no mail to a demo officer can reach anybody.
EMAIL_DOMAIN = "demo.jansahayak.invalid"
# Ten digits that look made up; 9999000000 to 9999999999 leaves room for a million citizens.
MOBILE_PREFIX = "9999"
MOBILE_DIGITS = 6
WINDOW_DAYS = 120

# The illustrative limit of a service with none notified: days, or hours for the emergencies.
DEMO_LIMIT = (7, "working_days")
URGENT_DEMO_LIMIT = (24, "hours")
URGENT_CATEGORIES = ("covid-19",)

ON_LEAVE = 0.04  # of the officers holding an area post
LEAVE_DAYS = 7  # they went on leave this long ago; their requests since wait
CITIZENS_PER_REQUEST = 0.7
HELPDESK_AGENTS = 3

# Two tehsils and the headquarters' municipality per district: (English, Hindi) names.
PLACES = {
    "AMB": (("Ambala", "अंबाला"), ("Barara", "बराड़ा"), ("Ambala", "अंबाला")),
    "BHW": (("Bhiwani", "भिवानी"), ("Loharu", "लोहारू"), ("Bhiwani", "भिवानी")),
    "CDR": (("Charkhi Dadri", "चरखी दादरी"), ("Badhra", "बाढड़ा"), ("Charkhi Dadri", "चरखी दादरी")),
    "FBD": (("Faridabad", "फरीदाबाद"), ("Ballabgarh", "बल्लभगढ़"), ("Faridabad", "फरीदाबाद")),
    "FTB": (("Fatehabad", "फतेहाबाद"), ("Tohana", "टोहाना"), ("Fatehabad", "फतेहाबाद")),
    "GGM": (("Gurugram", "गुरुग्राम"), ("Sohna", "सोहना"), ("Gurugram", "गुरुग्राम")),
    "HSR": (("Hisar", "हिसार"), ("Barwala", "बरवाला"), ("Hisar", "हिसार")),
    "JJR": (("Jhajjar", "झज्जर"), ("Bahadurgarh", "बहादुरगढ़"), ("Jhajjar", "झज्जर")),
    "JND": (("Jind", "जींद"), ("Narwana", "नरवाना"), ("Jind", "जींद")),
    "KTL": (("Kaithal", "कैथल"), ("Guhla", "गुहला"), ("Kaithal", "कैथल")),
    "KNL": (("Karnal", "करनाल"), ("Gharaunda", "घरौंडा"), ("Karnal", "करनाल")),
    "KKR": (("Thanesar", "थानेसर"), ("Pehowa", "पिहोवा"), ("Thanesar", "थानेसर")),
    "MHG": (("Narnaul", "नारनौल"), ("Mahendragarh", "महेंद्रगढ़"), ("Narnaul", "नारनौल")),
    "NUH": (("Nuh", "नूंह"), ("Ferozepur Jhirka", "फिरोजपुर झिरका"), ("Nuh", "नूंह")),
    "PWL": (("Palwal", "पलवल"), ("Hodal", "होडल"), ("Palwal", "पलवल")),
    "PKL": (("Panchkula", "पंचकूला"), ("Kalka", "कालका"), ("Panchkula", "पंचकूला")),
    "PNP": (("Panipat", "पानीपत"), ("Samalkha", "समालखा"), ("Panipat", "पानीपत")),
    "RWR": (("Rewari", "रेवाड़ी"), ("Kosli", "कोसली"), ("Rewari", "रेवाड़ी")),
    "RTK": (("Rohtak", "रोहतक"), ("Meham", "महम"), ("Rohtak", "रोहतक")),
    "SRS": (("Sirsa", "सिरसा"), ("Dabwali", "डबवाली"), ("Sirsa", "सिरसा")),
    "SNP": (("Sonipat", "सोनीपत"), ("Gohana", "गोहाना"), ("Sonipat", "सोनीपत")),
    "YNR": (("Jagadhri", "जगाधरी"), ("Chhachhrauli", "छछरौली"), ("Yamunanagar", "यमुनानगर")),
}
MUNICIPAL_CORPORATIONS = {"AMB", "FBD", "GGM", "HSR", "KNL", "PKL", "PNP", "RTK", "SNP", "YNR"}

FIRST_NAMES = (
    "Rajesh", "Suresh", "Mahender", "Satish", "Sunil", "Sandeep", "Pardeep", "Rakesh", "Vinod", "Jagdish",
    "Krishan", "Rajbir", "Surender", "Naresh", "Deepak", "Vikas", "Ankit", "Rohit", "Sunita", "Santosh",
    "Kamlesh", "Poonam", "Suman", "Anita", "Savita", "Neelam", "Pooja", "Priyanka", "Manju", "Kavita",
    "Rekha", "Babita", "Geeta", "Sarita",
)
LAST_NAMES = (
    "Kumar", "Singh", "Sharma", "Yadav", "Malik", "Dahiya", "Hooda", "Sangwan", "Jakhar", "Saini", "Gupta",
    "Goyal", "Bansal", "Mittal", "Rathi", "Kadian", "Chauhan", "Ahlawat", "Duhan", "Punia", "Sheoran",
    "Dalal", "Garg", "Verma", "Jangra", "Rana", "Phogat", "Godara",
)

# One line of the logins `load` made: `kind` a role of models.people.ROLES or
# 'area post', 'district post', 'state post'; `title` the role or the post.
Login = namedtuple("Login", "kind title place email on_leave")
Report = namedtuple("Report", "areas officers on_leave citizens requests events statuses limits logins today "
                               "tickets messages")


def loaded():
    """Whether demo rows are in the database (officers kept only for the audit log's sake do not count)."""
    return any(query.exists() for query in (
        Area.select().where(Area.demo == True),  # noqa: E712
        Citizen.select().where(Citizen.demo == True),  # noqa: E712
        ServiceRequest.select().where(ServiceRequest.demo == True),  # noqa: E712
        HelpTicket.select().where(HelpTicket.demo == True),  # noqa: E712
        Officer.select().where(Officer.demo == True, Officer.active == True),  # noqa: E712
        Service.select().where(Service.tat_is_demo == True),  # noqa: E712
    ))


def load(requests=REQUESTS, seed=SEED, password_hash="", today=None, progress=None):
    """Load the demo workload; returns a Report.

    `password_hash` is every demo officer's (hashed once by the caller; empty:
    nobody can log in). The requests are spread over the WINDOW_DAYS days
    before `today` (an IST date, default today) and everything in them
    happened before midnight IST opening it. Refused with a DomainError when
    the catalogue is missing or demo rows exist already. `progress(steps done,
    LOAD_STEPS)` follows it; interrupted (Ctrl-C), it is rolled back whole.
    """
    today = today or clock.ist_date(utcnow())
    rng = random.Random(seed)
    with database.atomic():
        if not District.select().exists() or not _offerable().exists():
            raise DomainError("demo_needs_catalogue")
        if loaded():
            raise DomainError("demo_loaded_already")
        limits = _give_demo_limits()
        until = clock.ist_day_start(today)
        days = [today - n * DAY for n in range(WINDOW_DAYS, 0, -1)]
        step = _stepper(progress)
        areas = step(_make_areas())
        staff = step(_make_officers(rng, areas, password_hash, clock.ist_day_start(days[0])))
        citizens = step(_make_citizens(rng, requests, clock.ist_day_start(days[0])))
        statuses, events = step(demo_requests.make(rng, requests, days, until, until - LEAVE_DAYS * DAY,
                                                   areas, staff, citizens))
        tickets, messages = demo_tickets.make(rng, requests, days[0], until)
        step(dashboard.rebuild())  # the batched inserts pass by lifecycle's hooks
    return Report(areas=sum(len(a) for a in areas.values()), officers=len(staff.logins),
                  on_leave=len(staff.on_leave), citizens=sum(len(c) for c in citizens.values()),
                  requests=sum(statuses.values()), events=events, statuses=statuses, limits=limits,
                  logins=staff.logins, today=today, tickets=sum(tickets.values()), messages=messages)


# The steps `load` reports: areas, officers, citizens, requests (the longest), the dashboard.
LOAD_STEPS = 5


def _stepper(progress):
    """step(result): counts one step of `load` done and gives its result back."""
    done = [0]

    def step(result):
        done[0] += 1
        if progress:
            progress(done[0], LOAD_STEPS)
        return result
    return step


def _offerable():
    """Services a demo request may be for: published, or drafts that get an illustrative limit."""
    return Service.select().where((Service.status == "published")
                                  | ((Service.status == "draft") & Service.tat_value.is_null()))


def _give_demo_limits():
    """Publish the drafts that have no notified limit, with an illustrative one; returns [(code, value, unit)]."""
    given = []
    drafts = Service.select().where(Service.status == "draft", Service.tat_value.is_null()).order_by(Service.code)
    for service in drafts:
        value, unit = URGENT_DEMO_LIMIT if service.category in URGENT_CATEGORIES else DEMO_LIMIT
        (Service.update(tat_value=value, tat_unit=unit, tat_is_demo=True, status="published")
         .where(Service.id == service.id).execute())
        given.append((service.code, value, unit))
    return given


# Places -----------------------------------------------------------------

def _make_areas():
    """Two tehsils and a municipality per district; returns {district id: [Area, ...]} (tehsils first)."""
    districts = list(District.select().order_by(District.code))
    rows = []
    for district in districts:
        first, second, town = PLACES.get(district.code) or (
            (f"{district.name_en} I", f"{district.name_hi} I"),
            (f"{district.name_en} II", f"{district.name_hi} II"),
            (district.name_en, district.name_hi))
        corporation = district.code in MUNICIPAL_CORPORATIONS
        places = [
            ("tehsil", f"{first[0]} tehsil", f"{first[1]} तहसील"),
            ("tehsil", f"{second[0]} tehsil", f"{second[1]} तहसील"),
            ("municipal corporation", f"{town[0]} Municipal Corporation", f"नगर निगम {town[1]}") if corporation
            else ("municipal council", f"{town[0]} Municipal Council", f"नगर परिषद {town[1]}"),
        ]
        for number, (kind, name_en, name_hi) in enumerate(places, 1):
            rows.append(dict(district=district.id, code=f"{district.code}-{number}", name_en=name_en,
                             name_hi=name_hi, kind=kind, demo=True))
    bulk.insert(Area, rows)
    areas = defaultdict(list)
    for area in Area.select().where(Area.demo == True).order_by(Area.code):  # noqa: E712
        areas[area.district_id].append(area)
    return {d.id: areas[d.id] for d in districts}


# Officers ---------------------------------------------------------------

class Staff:
    """The demo officers as routing needs them, read once: who holds which post where."""

    def __init__(self):
        self.logins = []
        self.names = {}  # officer id: name
        self.on_leave = set()
        # (designation id, district id, area id) of a post: [officer ids]; None for a wider place.
        self.holders = defaultdict(list)
        self.nodal = defaultdict(list)  # (department id, district id): [officer ids]
        self.district_admins = defaultdict(list)
        self.counters = {}  # district id: its counter operator

    def route(self, designation_id, department_id, district_id, area_id, at, leave_from):
        """The officer routing would pick at `at`: models/routing.py's rules, from memory.

        The holders in the area, the district, the state; then the department's
        nodal officer, then the district administrator. Those on leave since
        `leave_from` are passed by; the lowest id among equals.
        """
        def available(ids):
            found = [i for i in ids if at < leave_from or i not in self.on_leave]
            return min(found) if found else None

        places = [] if designation_id is None else [
            (designation_id, district_id, area_id), (designation_id, district_id, None), (designation_id, None, None)]
        for ids in [self.holders.get(place, ()) for place in places] + [
                self.nodal.get((department_id, district_id), ()), self.district_admins.get(district_id, ())]:
            found = available(ids)
            if found is not None:
                return found
        return None


def _slug(text):
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())


def _nodal_posts(designations):
    """{department id: the designation of its nodal posts}: its first district post, else area, else state post."""
    preference = {"district": 0, "area": 1, "state": 2}
    chosen = {}
    for designation in designations:
        current = chosen.get(designation.department_id)
        if current is None or preference[designation.level] < preference[current.level]:
            chosen[designation.department_id] = designation
    return chosen


def _make_officers(rng, areas, password_hash, created_at):
    """Every post in every place, the administrators and the help desk; returns a Staff."""
    districts = list(District.select().order_by(District.code))
    # In the catalogue's order, so that the Revenue posts come first.
    departments = list(Department.select().order_by(Department.id))
    designations = list(Designation.select(Designation, Department).join(Department)
                        .order_by(Department.id, Designation.id))
    shared = Counter(d.name for d in designations)
    nodal_posts = _nodal_posts(designations)
    specs = []  # (officer row, [post rows], [grant rows], Login)

    def add(local, place, kind, title, department=None, posts=(), grants=(), on_leave=False):
        email = f"{local}@{EMAIL_DOMAIN}"
        row = dict(name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", email=email,
                   department=department, language="hi" if rng.random() < 0.3 else "en",
                   password_hash=password_hash, on_leave=on_leave, active=True, demo=True, created_at=created_at)
        posts = [dict(dict(district=None, area=None, nodal=False), **post) for post in posts]
        grants = [dict(dict(department=None, district=None), **grant) for grant in grants]
        specs.append((row, posts, grants, Login(kind, title, place, email, on_leave)))

    add("state-admin", "Haryana", "state_admin", "state administrator", grants=[dict(role="state_admin")])
    add("commission-member", "Haryana", "commission_member", "commission member",
        grants=[dict(role="commission_member")])
    for number in range(1, HELPDESK_AGENTS + 1):
        add(f"helpdesk-{number}", "Haryana", "helpdesk_agent", "help-desk agent",
            grants=[dict(role="helpdesk_agent")])
    for department in departments:
        add(f"department-admin.{department.code.lower()}", department.name_en, "department_admin",
            "department administrator", department=department.id,
            grants=[dict(role="department_admin", department=department.id)])
    for district in districts:
        add(f"district-admin.{district.code.lower()}", district.name_en, "district_admin",
            "district administrator", grants=[dict(role="district_admin", district=district.id)])
        add(f"counter.{district.code.lower()}", district.name_en, "counter_operator", "counter operator",
            grants=[dict(role="counter_operator", district=district.id)])

    for designation in designations:
        local = _slug(designation.name)
        if shared[designation.name] > 1:  # two departments' Junior Engineers
            local += f"-{designation.department.code.lower()}"
        is_nodal = nodal_posts.get(designation.department_id) == designation
        post = dict(kind=f"{designation.level} post", title=designation.name, department=designation.department_id)
        if designation.level == "state":
            nodal = [dict(designation=designation.id, district=d.id, nodal=True) for d in districts if is_nodal]
            add(f"{local}.hr", "Haryana", posts=[dict(designation=designation.id), *nodal], **post)
        elif designation.level == "district":
            for district in districts:
                add(f"{local}.{district.code.lower()}", district.name_en,
                    posts=[dict(designation=designation.id, district=district.id, nodal=is_nodal)], **post)
        else:
            for district in districts:
                for index, area in enumerate(areas[district.id]):
                    # The first area's holder is the district's nodal officer too.
                    nodal = [dict(designation=designation.id, district=district.id, nodal=True)] \
                        if is_nodal and index == 0 else []
                    add(f"{local}.{area.code.lower()}", area.name_en,
                        posts=[dict(designation=designation.id, district=district.id, area=area.id), *nodal],
                        on_leave=not nodal and rng.random() < ON_LEAVE, **post)

    _revive_kept([row for row, _, _, _ in specs])
    bulk.insert(Officer, [row for row, _, _, _ in specs if "id" not in row])
    ids = dict(Officer.select(Officer.email, Officer.id).where(Officer.demo == True).tuples())  # noqa: E712
    staff = Staff()
    post_rows, grant_rows = [], []
    for row, posts, grants, login in specs:
        officer = ids[row["email"]]
        staff.logins.append(login)
        staff.names[officer] = row["name"]
        if row["on_leave"]:
            staff.on_leave.add(officer)
        post_rows += [dict(post, officer=officer) for post in posts]
        grant_rows += [dict(grant, officer=officer) for grant in grants]
    bulk.insert(Post, post_rows)
    bulk.insert(RoleGrant, grant_rows)
    department_of = {d.id: d.department_id for d in designations}
    for post in post_rows:
        staff.holders[(post["designation"], post["district"], post["area"])].append(post["officer"])
        if post["nodal"]:
            staff.nodal[(department_of[post["designation"]], post["district"])].append(post["officer"])
    for grant in grant_rows:
        if grant["role"] == "district_admin":
            staff.district_admins[grant["district"]].append(grant["officer"])
        elif grant["role"] == "counter_operator":
            staff.counters[grant["district"]] = grant["officer"]
    return staff


def _revive_kept(rows):
    """Give back the officers an earlier `demo remove` had to keep (for the audit log) under the same e-mail.

    Sets "id" in each row revived; an e-mail held by an officer outside the demo is refused.
    """
    by_email = {row["email"]: row for row in rows}
    emails = list(by_email)
    for start in range(0, len(emails), bulk.BATCH):
        found = Officer.select(Officer.id, Officer.email, Officer.demo).where(
            Officer.email.in_(emails[start:start + bulk.BATCH]))
        for officer in found:
            if not officer.demo:
                raise DomainError("demo_email_taken", email=officer.email)
            row = by_email[officer.email]
            Officer.update(**row).where(Officer.id == officer.id).execute()
            row["id"] = officer.id


# Citizens ---------------------------------------------------------------

def _make_citizens(rng, requests, created_at):
    """About CITIZENS_PER_REQUEST per request, in the districts by weight; returns {district id: [citizen ids]}."""
    districts = list(District.select().order_by(District.code))
    rows = []
    if requests:
        taken = {m for (m,) in Citizen.select(Citizen.mobile).where(Citizen.mobile.startswith(MOBILE_PREFIX)).tuples()}
        free = (number for number in (f"{MOBILE_PREFIX}{n:0{MOBILE_DIGITS}d}" for n in range(10 ** MOBILE_DIGITS))
                if number not in taken)
        # Half the range at most, so that every district's share finds numbers.
        wanted = min(round(requests * CITIZENS_PER_REQUEST), 10 ** MOBILE_DIGITS // 2)
        weights = demo_requests.district_weights(districts)
        for district, weight in zip(districts, weights):
            for _ in range(max(1, round(wanted * weight / sum(weights)))):
                rows.append(dict(name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", mobile=next(free),
                                 language="hi" if rng.random() < 0.7 else "en", district=district.id,
                                 created_at=created_at, demo=True))
    bulk.insert(Citizen, rows)
    citizens = {d.id: [] for d in districts}
    query = Citizen.select(Citizen.district, Citizen.id).where(Citizen.demo == True).order_by(Citizen.id)  # noqa: E712
    for district, citizen in query.tuples():
        citizens[district].append(citizen)
    return citizens


# Removal ----------------------------------------------------------------

def _flag(model):
    return model.select(model.id).where(model.demo == True)  # noqa: E712


def _staying_rows_naming(model, ids, going):
    """Queries of the rows, in any table, that stay behind yet name one of `ids` (a query of `model`'s ids).

    Read from the foreign keys themselves, so that a table added later is
    counted without a word here; a key that cascades follows its row out.
    """
    for field in model._meta.backrefs:
        if field.on_delete == "CASCADE":
            continue
        query = field.model.select(field).where(field.in_(ids)).distinct()
        if field.model in going:
            query = query.where(~going[field.model])
        yield query


def remove():
    """Delete every demo row and take the illustrative limits back; returns {what: how many}.

    Rows outside the demo are left as they are. A demo officer such a row
    names (the audit log above all: an officer with a trail is deactivated,
    never deleted) stays, deactivated, without posts, roles or password, and
    a later `load` gives him back. Refused, removing nothing, while rows
    outside the demo name demo areas, citizens, requests or tickets.
    """
    with database.atomic():
        requests, citizens, areas, officers, tickets = (
            _flag(m) for m in (ServiceRequest, Citizen, Area, Officer, HelpTicket))
        # The rows that leave, by table.
        going = {
            ServiceRequest: ServiceRequest.demo == True,  # noqa: E712
            HelpTicket: HelpTicket.demo == True,  # noqa: E712
            TicketMessage: TicketMessage.ticket.in_(tickets),
            RequestEvent: RequestEvent.request.in_(requests),
            RequestPause: RequestPause.request.in_(requests),
            Delivery: Delivery.request.in_(requests),
            Outbox: (Outbox.about_request.in_(requests) | Outbox.about_officer.in_(officers)
                     | Outbox.about_ticket.in_(tickets)),
            Post: Post.officer.in_(officers),
            RoleGrant: RoleGrant.officer.in_(officers),
            RecoveryCode: RecoveryCode.officer.in_(officers),
            PasswordLink: PasswordLink.officer.in_(officers),
            Citizen: Citizen.demo == True,  # noqa: E712
            Area: Area.demo == True,  # noqa: E712
        }
        in_use = sum(query.count() for model, ids in ((ServiceRequest, requests), (Citizen, citizens), (Area, areas),
                                                      (HelpTicket, tickets))
                     for query in _staying_rows_naming(model, ids, going))
        if in_use:
            raise DomainError("demo_in_use", count=in_use)
        kept = sorted({officer for query in _staying_rows_naming(Officer, officers, going)
                       for (officer,) in query.tuples()})
        # In an order no foreign key objects to.
        removed = {name: model.delete().where(going[model]).execute() for name, model in (
            ("outbox", Outbox), ("ticket messages", TicketMessage), ("tickets", HelpTicket),
            ("events", RequestEvent), ("pauses", RequestPause), ("deliveries", Delivery),
            ("requests", ServiceRequest), ("citizens", Citizen), ("posts", Post), ("grants", RoleGrant),
            ("recovery codes", RecoveryCode), ("password links", PasswordLink))}
        removed["officers_kept"] = (Officer
                                    .update(active=False, on_leave=False, password_hash="", totp_secret=None,
                                            totp_last_step=None, session_version=Officer.session_version + 1)
                                    .where(Officer.id.in_(kept)).execute()) if kept else 0
        removed["officers"] = (Officer.delete()
                               .where(Officer.demo == True, Officer.id.not_in(kept)).execute())  # noqa: E712
        removed["areas"] = Area.delete().where(going[Area]).execute()
        removed["limits"] = (Service.update(tat_value=None, tat_unit=None, status="draft", tat_is_demo=False)
                             .where(Service.tat_is_demo == True).execute())  # noqa: E712
        dashboard.rebuild()
    return removed
