"""Helpers shared by the admin screen tests (tests/backoffice/test_admin*.py)."""
import re

from models import Citizen, Department, District, Service, ServiceRequest
from tests.conftest import csrf_token

FLASH_ERROR = re.compile(r'class="alert alert-(?:danger|error)[^"]*"[^>]*>(.*?)</div>', re.S)
CODE_CELL = re.compile(r'<td class="col-code">\s*(\S+)\s*</td>')


def admin_views(app):
    return app.extensions["admin"][0]._views


def admin_view(app, endpoint):
    return next(view for view in admin_views(app) if view.endpoint == endpoint)


def submit(client, url, data, form_url=None):
    """POST `data` to `url` with a real CSRF token, from the form at `form_url` (default `url`)."""
    token = csrf_token(client, form_url or url)
    return client.post(url, data={**data, "csrf_token": token}, follow_redirects=True)


def delete_row(client, endpoint, pk):
    return submit(client, f"/admin/{endpoint}/delete/", {"id": pk}, form_url=f"/admin/{endpoint}/")


def delete_action(client, endpoint, *pks):
    return submit(client, f"/admin/{endpoint}/action/", {"action": "delete", "rowid": [str(pk) for pk in pks]},
                  form_url=f"/admin/{endpoint}/")


def filter_url(app, endpoint, name, value):
    """The list at `endpoint` narrowed by the filter labelled `name`."""
    index = next(i for i, f in enumerate(admin_view(app, endpoint)._filters) if str(f.name) == name)
    return f"/admin/{endpoint}/?flt0_{index}={value}"


def listed_codes(page):
    return CODE_CELL.findall(page.get_data(as_text=True))


def errors(page):
    """The error messages flashed on a page, as text."""
    return " ".join(re.sub(r"<[^>]+>|\s+", " ", m) for m in FLASH_ERROR.findall(page.get_data(as_text=True)))




def make_request(service=None, district=None, officer=None, number="HR-2026-ABCD-EFG0", mobile="9876500001",
                 **fields):
    """A citizen's request for an existing service (the first one unless named)."""
    citizen, _ = Citizen.get_or_create(mobile=mobile, defaults={"name": "Asha Devi"})
    return ServiceRequest.create(
        tracking_number=number, citizen=citizen,
        service=service or Service.select().order_by(Service.id).first(),
        district=district or District.select().order_by(District.id).first(),
        assigned_officer=officer, **fields)


def department(code):
    return Department.get(Department.code == code)
