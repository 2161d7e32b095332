"""Downloading from the app (backoffice/api/documents.py): the delivered document and the attached ones, by the
URL GraphQL gives, with the bearer token; the owner and the officers in scope only, others 404; audited."""
import pytest

from backoffice import workflow
from models import AuditEntry, ServiceRequest, database, lifecycle
from tests.backoffice.api_support import citizen_token, officer_token, ok
from tests.backoffice.requests_support import w  # noqa: F401 (a fixture)
from tests.backoffice.test_api_submit import result, state, submit, token, with_form  # noqa: F401 (fixtures)
from tests.conftest import PASSWORD
from tests.models.test_forms import PDF, PNG

CERTIFICATE = b"%PDF-1.7\n the certificate \n%%EOF\n"
DOWNLOAD = """query Download($number: String!) {
  myRequest(trackingNumber: $number) {
    delivery { note document { filename contentType size url } }
    documents { key document { filename contentType size url } }
  }
}"""


@pytest.fixture
def delivered(app, client, w, with_form, token):
    """The citizen's application, filed from the app with its documents, then delivered with a certificate."""
    number = result(submit(client, token))["trackingNumber"]
    with app.app_context(), database.connection_context():
        request = ServiceRequest.get(ServiceRequest.tracking_number == number)
        officer = request.assigned_officer
        for step, fields in (("start", {}), ("approve", {}), ("deliver", {"note": "Collect the original too.",
                             "document": lifecycle.Document("certificate.pdf", "application/pdf", CERTIFICATE)})):
            workflow.act(request, step, officer, version=request.version, **fields)
    return number


def urls(client, token, number):
    found = ok(client, DOWNLOAD, token, number=number)["myRequest"]
    return found, {"delivered": found["delivery"]["document"]["url"],
                   **{d["key"]: d["document"]["url"] for d in found["documents"]}}


def get(client, url, token):
    return client.get(url, headers={"Authorization": f"Bearer {token}"} if token else {})


def entries():
    with database.connection_context():
        return [(e.officer_id, e.model_name, e.note) for e in AuditEntry.select().where(AuditEntry.action == "view")]


def test_the_citizen_downloads_his_certificate_and_his_own_documents(app, client, w, token, delivered):
    found, links = urls(client, token, delivered)
    assert found["delivery"]["note"] == "Collect the original too."
    assert found["delivery"]["document"] == {"filename": "certificate.pdf", "contentType": "application/pdf",
                                             "size": len(CERTIFICATE), "url": links["delivered"]}
    assert [(d["key"], d["document"]["contentType"]) for d in found["documents"]] == [
        ("photo", "image/png"), ("proof", "application/pdf")]
    for key, content, kind in (("delivered", CERTIFICATE, "application/pdf"), ("photo", PNG, "image/png"),
                               ("proof", PDF, "application/pdf")):
        response = get(client, links[key], token)
        assert response.status_code == 200 and response.data == content and response.mimetype == kind
        assert response.headers["Cache-Control"] == "private, no-store"
    assert entries() == [(None, "delivery", "delivered document, from the app by the citizen"),
                         (None, "request_document", "attached document, from the app by the citizen"),
                         (None, "request_document", "attached document, from the app by the citizen")]


def test_before_delivery_there_is_nothing_to_download(app, client, w, with_form, token):
    number = result(submit(client, token))["trackingNumber"]
    found = ok(client, DOWNLOAD, token, number=number)["myRequest"]
    assert found["delivery"] is None and len(found["documents"]) == 2
    assert get(client, found["documents"][0]["document"]["url"].replace("attached/photo", "delivered"),
               token).status_code == 404


def test_another_citizen_or_no_token_gets_nothing_and_nothing_is_recorded(app, client, w, token, delivered):
    _, links = urls(client, token, delivered)
    stranger = citizen_token(client, "9812300002")
    before = state()
    for url in links.values():
        assert get(client, url, stranger).status_code == 404
        response = get(client, url, None)
        assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Bearer"
        assert get(client, url, "forged").status_code == 401
    assert get(client, links["photo"].replace("photo", "nickname"), token).status_code == 404
    assert state() == before


def test_officers_in_scope_download_as_in_the_admin(app, client, w, token, delivered):
    _, links = urls(client, token, delivered)
    with database.connection_context():
        assigned = ServiceRequest.get(ServiceRequest.tracking_number == delivered).assigned_officer
    handling = officer_token(client, assigned.email, PASSWORD)
    administrator = officer_token(client, w.amb_admin.email, PASSWORD)
    elsewhere = officer_token(client, w.hsr_field.email, PASSWORD)
    assert all(get(client, url, handling).status_code == 200 for url in links.values())
    # The district administrator sees the request, but the proof is personal data: only for those handling it.
    assert {key: get(client, url, administrator).status_code for key, url in links.items()} == {
        "delivered": 200, "photo": 200, "proof": 404}
    before = state()
    assert all(get(client, url, elsewhere).status_code == 404 for url in links.values())
    assert state() == before
    assert [(officer, note) for officer, _, note in entries()] == [
        (assigned.id, "delivered document, from the app"), (assigned.id, "attached document, from the app"),
        (assigned.id, "attached document, from the app"), (w.amb_admin.id, "delivered document, from the app"),
        (w.amb_admin.id, "attached document, from the app")]
