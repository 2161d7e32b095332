"""A small routed world and the request screens' moves, shared by tests/backoffice/test_admin_{requests_workflow,counter}.py."""
import html
import re
from urllib.parse import quote

import pytest

from models import Area, Department, Designation, District, Officer, Post, RoleGrant, Service, ServiceRequest, database
from tests.rows import snapshot
from tests.backoffice.scope_support import FormReader, log_in
from tests.world import password_hash

STEP_ACTION = re.compile(r'<form method="POST" action="([^"]*/step/[^"]*)"')
TRACKING = re.compile(r"HR-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


class World:
    pass


@pytest.fixture
def w(app):
    """Ambala with a tehsil and two tehsildars, a counter and a district administrator; Hisar with its own tehsildar."""
    w = World()
    with database.connection_context():
        w.amb = District.create(code="AMB", name_en="Ambala", name_hi="अंबाला")
        w.hsr = District.create(code="HSR", name_en="Hisar", name_hi="हिसार")
        w.tehsil = Area.create(district=w.amb, code="AMB-T", name_en="Ambala tehsil", name_hi="अंबाला तहसील",
                               kind="tehsil")
        w.hsr_tehsil = Area.create(district=w.hsr, code="HSR-T", name_en="Hisar tehsil", name_hi="हिसार तहसील",
                                   kind="tehsil")
        rev = Department.create(code="REV", name_en="Revenue", name_hi="राजस्व")
        tehsildar = Designation.create(department=rev, name="Tehsildar", level="area")
        w.service = Service.create(code="REV-SC", name_en="SC certificate", name_hi="अनुसूचित जाति प्रमाण पत्र",
                                   department=rev, category="certificates", tat_value=3, tat_unit="working_days",
                                   designated_officer=tehsildar, status="published")

        def officer(email, role=None, **grant):
            o = Officer.create(name=email.split("@")[0].title(), email=email, password_hash=password_hash())
            if role:
                RoleGrant.create(officer=o, role=role, **grant)
            return o

        w.field = officer("field@x.in")
        Post.create(officer=w.field, designation=tehsildar, area=w.tehsil)
        w.field2 = officer("field2@x.in")
        Post.create(officer=w.field2, designation=tehsildar, area=w.tehsil)
        w.hsr_field = officer("hisar@x.in")
        Post.create(officer=w.hsr_field, designation=tehsildar, area=w.hsr_tehsil)
        w.counter = officer("counter@x.in", "counter_operator", district=w.amb)
        w.amb_admin = officer("amb@x.in", "district_admin", district=w.amb)
        w.state = officer("state@x.in", "state_admin")
    return w


def login_as(app, officer):
    client = app.test_client()
    log_in(client, officer)
    return client


def file_at_counter(client, w, mobile="+91 98123-45678", **fields):
    """The counter's filing form posted; returns the page it ends on."""
    data = {"mobile": mobile, "name": "Asha Devi", "language": "hi", "service": w.service.id,
            "district": w.amb.id, "area": w.tehsil.id, "details": "Caste certificate for college admission.",
            **fields}
    token = csrf(client.get("/admin/counter/"))
    return client.post("/admin/counter/", data={**data, "csrf_token": token}, follow_redirects=True)


def csrf(page):
    """The CSRF token of the first form on the page that has one."""
    reader = FormReader()
    reader.feed(page.get_data(as_text=True))
    return next(f["csrf_token"][0] for f in reader.forms if "csrf_token" in f)


def details(client, request, search=None):
    url = f"/admin/request/details/?id={request.id}" + (f"&search={quote(search)}" if search else "")
    page = client.get(url)
    assert page.status_code == 200
    return page


def offered(page):
    """The steps a details page offers, by name, in order."""
    reader = FormReader()
    reader.feed(page.get_data(as_text=True))
    return [f["step"][0] for f in reader.forms if "step" in f]


def take(client, request, step, search=None, page=None, **fields):
    """Post the details page's form for `step`, as the browser would with `fields` filled in."""
    page = page or details(client, request, search)
    reader = FormReader()
    reader.feed(page.get_data(as_text=True))
    form = next(f for f in reader.forms if f.get("step") == [step])
    action = html.unescape(STEP_ACTION.search(page.get_data(as_text=True)).group(1))
    data = {**{k: v[0] for k, v in form.items()}, **fields}
    return client.post(action, data=data, content_type="multipart/form-data", follow_redirects=True)


def state():
    """Every row but the audit log's, where the details page shown after a step records each view of the answers."""
    return {name: rows for name, rows in snapshot().items() if name != "AuditEntry"}


def fresh(request):
    return ServiceRequest.get_by_id(request.id)


def text(page):
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page.get_data(as_text=True))))
