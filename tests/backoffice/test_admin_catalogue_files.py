"""The catalogue import and export on the admin (backoffice/admin/catalogue_files.py): the CLI's dry run,
then a confirmation; all or nothing with every problem listed; an export the import takes back unchanged."""
import base64
import io
import json

from models import Department, FormVersion, Service, ServiceOffering
from models.catalogue_file import BUNDLED
from tests.backoffice.admin_support import errors
from tests.backoffice.designer_support import EXAMPLE
from tests.backoffice.requests_support import csrf, text
from tests.backoffice.scope_support import FormReader
from tests.conftest import login, make_officer
from tests.rows import snapshot

URL = "/admin/catalogue-files/"


def dry_run(client, name, content, retire_missing=False):
    data = {"file": (io.BytesIO(content), name), "csrf_token": csrf(client.get(URL))}
    if retire_missing:
        data["retire_missing"] = "y"
    return client.post(URL + "preview/", data=data, content_type="multipart/form-data", follow_redirects=True)


def confirm(client, page):
    """Press Load on the dry run's page, posting what it carries."""
    reader = FormReader()
    reader.feed(page.get_data(as_text=True))
    form = next(f for f in reader.forms if "content" in f)
    return client.post(URL + "load/", data={k: v[0] for k, v in form.items()}, follow_redirects=True)


def planned(page):
    """The dry run's rows, as (action, code, what changes)."""
    html = page.get_data(as_text=True)
    rows = html[html.index('id="changes"'):] if 'id="changes"' in html else ""
    found = []
    for chunk in rows.split('<tr class="change-')[1:]:
        cells = [c.split("</td>")[0] for c in chunk.split("<td>")[1:5]]
        found.append((chunk.split('"')[0], cells[2], cells[3]))
    return found


def test_a_file_is_a_dry_run_first_then_loaded_when_confirmed(admin_client, catalogue):
    before = snapshot()
    page = dry_run(admin_client, "oxygen-refill.json", EXAMPLE.read_bytes())
    assert planned(page) == [("create", "HLT-COVID-OXYGEN-REFILL", "")]
    assert snapshot() == before
    loaded = confirm(admin_client, page)
    assert "Loaded: 1 created, 0 changed, 0 retired." in text(loaded)
    service = Service.get(Service.code == "HLT-COVID-OXYGEN-REFILL")
    assert len(FormVersion.get(FormVersion.service == service).fields) == 8
    assert ServiceOffering.select().where(ServiceOffering.service == service).count() == 3


def test_the_export_is_taken_back_unchanged_and_a_change_to_it_is_seen(admin_client, catalogue):
    dry_run_page = dry_run(admin_client, "oxygen-refill.json", EXAMPLE.read_bytes())
    confirm(admin_client, dry_run_page)
    exported = admin_client.get(URL + "export/")
    assert exported.mimetype == "application/json" and "attachment" in exported.headers["Content-Disposition"]
    assert exported.headers["X-Content-Type-Options"] == "nosniff"
    before = snapshot()
    page = dry_run(admin_client, "catalogue.json", exported.data)
    assert 'id="no-changes"' in page.get_data(as_text=True) and planned(page) == []
    assert snapshot() == before

    document = json.loads(exported.data)
    oxygen = next(s for s in document["services"] if s["code"] == "HLT-COVID-OXYGEN-REFILL")
    oxygen["form"][0]["label_en"] = "Name of the patient"
    oxygen["offered_in"] = [{"district": "GGM"}]
    page = dry_run(admin_client, "catalogue.json", json.dumps(document, ensure_ascii=False).encode())
    assert planned(page) == [("change", "HLT-COVID-OXYGEN-REFILL", "form, offered_in")]
    confirm(admin_client, page)
    service = Service.get(Service.code == "HLT-COVID-OXYGEN-REFILL")
    assert [v.number for v in FormVersion.select().where(FormVersion.service == service)] == [1, 2]
    assert ServiceOffering.select().where(ServiceOffering.service == service).count() == 1


def test_retiring_the_missing_is_shown_before_it_is_done(admin_client, catalogue):
    page = dry_run(admin_client, "oxygen-refill.json", EXAMPLE.read_bytes(), retire_missing=True)
    retired = [code for action, code, _ in planned(page) if action == "retire"]
    assert len(retired) == Service.select().count()
    confirm(admin_client, page)
    assert Service.select().where(Service.status != "retired").count() == 1


def test_a_csv_file_is_taken_too(admin_client, catalogue):
    page = dry_run(admin_client, "services.csv", (BUNDLED / "services.csv").read_bytes())
    assert 'id="no-changes"' in page.get_data(as_text=True)


def test_a_bad_file_lists_every_problem_and_loads_nothing(admin_client, catalogue):
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    form = document["services"][0]["form"]
    form[1]["key"] = form[0]["key"]
    form[4]["min"] = 5
    before = snapshot()
    page = dry_run(admin_client, "bad.json", json.dumps(document, indent=2).encode())
    said = errors(page)
    assert "the key patient_name is already that of field 1" in said
    assert "the minimum 5 is greater than the maximum 2" in said and "bad.json:" in said
    assert "nothing was loaded" in said and 'id="changes"' not in page.get_data(as_text=True)
    assert snapshot() == before


def test_a_confirmation_is_checked_again_and_refused_whole(admin_client, catalogue):
    # What Load posts is read again, not trusted: a page kept open, or a forged one, loads only what passes.
    bad = base64.b64encode(json.dumps({"services": 1}).encode()).decode()
    before = snapshot()
    loaded = admin_client.post(URL + "load/", data={"name": "old.json", "content": bad,
                                                    "csrf_token": csrf(admin_client.get(URL))}, follow_redirects=True)
    assert "services must be a list" in errors(loaded) and "nothing was loaded" in errors(loaded)
    assert snapshot() == before


def test_only_a_state_administrator_imports_and_exports(client, catalogue):
    officer = make_officer("rev@example.gov.in", "department_admin", department=Department.get(code="REV"))
    login(client, officer.email)
    before = snapshot()
    for method, path in (("GET", ""), ("POST", "preview/"), ("POST", "load/"), ("GET", "export/")):
        assert client.open(URL + path, method=method).status_code == 403, path
    assert 'href="/admin/catalogue-files/"' not in client.get("/admin/").get_data(as_text=True)
    assert snapshot() == before


def test_a_file_nested_too_deeply_is_a_problem_not_a_crash(admin_client, catalogue):
    before = snapshot()
    page = dry_run(admin_client, "deep.json", b'{"services":\n' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    said = errors(page)
    assert "deep.json:2: The file nests lists and objects more than 32 levels deep." in said
    assert "nothing was loaded" in said and snapshot() == before
