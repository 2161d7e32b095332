"""A small world of two departments and two districts, one officer of each kind, four requests and three circulars.

Built through the models, for the scope rules (tests/models/test_scope.py) and
the admin screens that apply them (tests/backoffice/test_admin_scope*.py).
Every officer logs in with tests.conftest.PASSWORD.
"""
import datetime
import functools

from werkzeug.security import generate_password_hash

from models import (
    Area, CannedResponse, Citizen, Department, Designation, District, HelpTicket, Holiday, Officer, Post, RoleGrant,
    Service, ServiceRequest, circulars,
)
from tests.conftest import PASSWORD

# The officers a test logs in as, by their attribute on World.
ROLES = ("state", "rev_admin", "amb_admin", "tehsildar_amb", "counter", "agent", "nobody")


@functools.cache
def password_hash():
    # Hashed once: a hash per officer would cost a tenth of a second each.
    return generate_password_hash(PASSWORD, method="scrypt")


class World:
    pass


def build():
    w = World()
    w.amb = District.create(code="AMB", name_en="Ambala", name_hi="अंबाला")
    w.hsr = District.create(code="HSR", name_en="Hisar", name_hi="हिसार")
    w.amb_tehsil = Area.create(district=w.amb, code="AMB-T", name_en="Ambala tehsil", name_hi="अंबाला तहसील",
                               kind="tehsil")
    w.hsr_block = Area.create(district=w.hsr, code="HSR-B", name_en="Hisar block", name_hi="हिसार खंड",
                              kind="block")
    w.rev = Department.create(code="REV", name_en="Revenue", name_hi="राजस्व")
    w.ulb = Department.create(code="ULB", name_en="Urban Local Bodies", name_hi="शहरी स्थानीय निकाय")
    w.tehsildar = Designation.create(department=w.rev, name="Tehsildar", level="area")
    w.eo = Designation.create(department=w.ulb, name="Executive Officer", level="area")
    w.rev_service = Service.create(code="REV-SC", name_en="SC certificate", name_hi="अनुसूचित जाति प्रमाण पत्र",
                                   department=w.rev, category="certificates", tat_value=7,
                                   tat_unit="working_days", status="published")
    w.ulb_service = Service.create(code="ULB-TRADE", name_en="Trade licence", name_hi="व्यापार लाइसेंस",
                                   department=w.ulb, category="licences", tat_value=15,
                                   tat_unit="working_days", status="published")

    def officer(email, role=None, **grant):
        o = Officer.create(name=email.split("@")[0], email=email, password_hash=password_hash())
        if role:
            RoleGrant.create(officer=o, role=role, **grant)
        return o

    w.state = officer("state@x.in", "state_admin")
    w.rev_admin = officer("rev@x.in", "department_admin", department=w.rev)
    w.amb_admin = officer("amb@x.in", "district_admin", district=w.amb)
    w.counter = officer("counter@x.in", "counter_operator", district=w.amb)
    w.agent = officer("agent@x.in", "helpdesk_agent")
    w.tehsildar_amb = officer("tehsildar@x.in")
    Post.create(officer=w.tehsildar_amb, designation=w.tehsildar, area=w.amb_tehsil)
    w.eo_hsr = officer("eo@x.in")
    Post.create(officer=w.eo_hsr, designation=w.eo, district=w.hsr)
    w.nobody = officer("nobody@x.in")

    w.requests = {}
    for service in (w.rev_service, w.ulb_service):
        for district in (w.amb, w.hsr):
            citizen = Citizen.create(mobile=f"98{service.id:03d}{district.id:05d}")
            assigned = w.tehsildar_amb if (service, district) == (w.rev_service, w.amb) else w.eo_hsr
            filed_by = w.counter if district == w.amb and service == w.ulb_service else None
            w.requests[service.department.code, district.code] = ServiceRequest.create_with_tracking_number(
                citizen=citizen, service=service, district=district, assigned_officer=assigned, filed_by=filed_by,
                form_values={"father_name": "Ram Lal", "aadhaar": "123456789012"})
    HelpTicket.create(number="JS-000001", channel="email", request=w.requests["REV", "HSR"])
    CannedResponse.create(title="Card printed", body_en="Your card is printed.", body_hi="आपका कार्ड छप गया है।")
    for day, name_en, name_hi, district in ((25, "Christmas", "क्रिसमस", None), (10, "Ambala fair", "अंबाला मेला", w.amb),
                                            (20, "Hisar fair", "हिसार मेला", w.hsr)):
        Holiday.create(date=datetime.date(2026, 12, day), name_en=name_en, name_hi=name_hi, district=district)
    # A district's circular to its Tehsildars, a department's to its officers, and the state's to another.
    w.amb_circular = circulars.publish(w.amb_admin, title_en="Camp courts", title_hi="शिविर न्यायालय",
                                       body_en="Hold camp courts.", body_hi="शिविर न्यायालय लगाएँ।",
                                       district=w.amb, designation=w.tehsildar)
    w.rev_circular = circulars.publish(w.rev_admin, title_en="Certificates", title_hi="प्रमाण पत्र",
                                       body_en="Sign them the same day.", body_hi="उसी दिन हस्ताक्षर करें।",
                                       department=w.rev)
    w.ulb_circular = circulars.publish(w.state, title_en="Licences", title_hi="लाइसेंस",
                                       body_en="Renew them online.", body_hi="ऑनलाइन नवीनीकरण करें।",
                                       department=w.ulb)
    return w
