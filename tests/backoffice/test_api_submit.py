"""Applying from the app (backoffice/api/submit.py): answers and documents as a GraphQL multipart request,
checked by the counter's own code (models.forms.check_submission), every wrong answer at once in the
reader's language with nothing filed; documents only with a bearer token, typed by their bytes."""
import datetime

import pytest

from backoffice.api import persisted
from backoffice.api.view import MAX_UPLOAD_DOCUMENTS
from models import Citizen, Outbox, RequestDocument, ServiceRequest, database, forms
from models.form_fields import MAX_DOCUMENT_KB
from models.forms import FormVersion
from tests.backoffice.api_support import call, call_with_files, citizen_token, officer_token, operation
from tests.backoffice.requests_support import w  # noqa: F401 (a fixture)
from tests.backoffice.test_admin_counter_form import FORM
from tests.conftest import PASSWORD, make_officer
from tests.models.test_forms import PDF, PNG
from tests.rows import snapshot

MINE = "9812300001"
# The app's own document, run as the app sends it.
SUBMIT = operation("Submit")
ANSWERS = [{"key": "name", "value": "Asha Devi"}, {"key": "pan", "value": "ABCDE1234F"},
           {"key": "village", "value": "AMB-T"}, {"key": "members", "values": ["wife", "self"]},
           {"key": "widow", "value": "yes"}]
DOCUMENTS = {"photo": ("photo.png", PNG, "image/png"), "proof": ("proof.pdf", PDF, "application/pdf")}


@pytest.fixture
def with_form(app, w):
    with database.connection_context():
        return forms.save_form(w.service, FORM, w.state)


@pytest.fixture
def token(client, w):
    with database.connection_context():
        Citizen.create(mobile=MINE, name="Asha Devi", language="en")
    return citizen_token(client, MINE)


def submit(client, token, answers=ANSWERS, documents=DOCUMENTS, language=None, **fields):
    """The app's submission of the Ambala SC certificate form; (HTTP status, JSON answer)."""
    keys = list(documents)
    given = {"service": "REV-SC", "formVersion": 1, "district": "AMB", "area": "AMB-T", "answers": answers,
             "documents": [{"key": key, "file": None} for key in keys], **fields}
    files = {f"input.documents.{n}.file": documents[key] for n, key in enumerate(keys)}
    return call_with_files(client, SUBMIT, token, files, language=language, input=given)


def result(answer):
    status, body = answer
    assert status == 200 and "errors" not in body, body
    return body["data"]["submitRequest"]


def state():
    with database.connection_context():
        return snapshot()


def test_a_complete_application_is_filed_with_its_documents_kept(app, client, w, with_form, token):
    filed = result(submit(client, token))
    assert filed["__typename"] == "Request" and filed["service"]["code"] == "REV-SC"
    assert filed["status"] == "ASSIGNED" and filed["district"]["code"] == "AMB"  # routed at once
    with database.connection_context():
        request = ServiceRequest.get(ServiceRequest.tracking_number == filed["trackingNumber"])
        assert request.citizen.mobile == MINE and request.filed_by is None and request.form_version.number == 1
        assert request.form_values["members"] == ["self", "wife"] and request.form_values["widow"] is True
        assert request.form_values["photo"]["content_type"] == "image/png"
        kept = {d.key: (d.filename, bytes(d.content)) for d in RequestDocument.select()}
        assert kept == {"photo": ("photo.png", PNG), "proof": ("proof.pdf", PDF)}
        # The acknowledgement, as at the counter.
        assert Outbox.select().where(Outbox.template == "request_received").count() >= 1


def test_every_wrong_answer_comes_at_once_in_his_language_and_nothing_is_filed(app, client, w, with_form, token):
    before = state()
    wrong = [{"key": "pan", "value": "abc"}, {"key": "village", "value": "HSR-T"},
             {"key": "members", "values": ["son"]}, {"key": "widow", "value": "maybe"},
             {"key": "nickname", "value": "x"}]
    refused = result(submit(client, token, wrong, {"photo": ("photo.png", PDF, "image/png")}, language="hi"))
    assert refused["__typename"] == "FormRejected" and refused["code"] == "form_invalid"
    by_field = {e["field"]: (e["code"], e["message"]) for e in refused["errors"]}
    assert {field: code for field, (code, _) in by_field.items()} == {
        "nickname": "form_field_unknown", "name": "form_field_required", "pan": "form_answer_pattern",
        "village": "form_answer_area", "members": "form_answer_choice_unknown", "widow": "form_answer_not_yes_no",
        "photo": "form_answer_document_type", "proof": "form_field_required"}
    assert "ABCDE1234F की तरह लिखें।" in by_field["pan"][1] and by_field["name"][1].startswith("नाम")
    assert "फ़ोटो" in by_field["photo"][1]
    assert state() == before


def test_a_forged_type_is_read_from_the_bytes_not_the_name(app, client, w, with_form, token):
    before = state()
    forged = {**DOCUMENTS, "proof": ("proof.pdf", b"MZ\x90\x00 an executable", "application/pdf")}
    refused = result(submit(client, token, documents=forged))
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("proof", "form_answer_document_type")]
    assert refused["errors"][0]["message"] == "Proof: the file must be one of PDF, JPEG, PNG."
    assert state() == before


def test_a_document_over_its_fields_limit_is_refused(app, client, w, with_form, token):
    before = state()
    large = {**DOCUMENTS, "photo": ("photo.png", PNG + b"\0" * 1024, "image/png")}  # the photo's limit: 1 KB
    refused = result(submit(client, token, documents=large))
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("photo", "form_answer_document_too_large")]
    assert state() == before


def test_in_persisted_operations_mode_the_app_sends_the_documents_hash(app, client, w, with_form, token):
    app.config["GRAPHQL_PERSISTED_ONLY"] = True
    document = (persisted.OPERATIONS_DIR / "requests.graphql").read_text(encoding="utf-8")
    keys = list(DOCUMENTS)
    given = {"service": "REV-SC", "formVersion": 1, "district": "AMB", "area": "AMB-T", "answers": ANSWERS,
             "documents": [{"key": key, "file": None} for key in keys]}
    body = {"operationName": "Submit", "extensions": {"persistedQuery": {"version": 1,
                                                                         "sha256Hash": persisted.digest(document)}}}
    filed = result(call_with_files(client, None, token, {f"input.documents.{n}.file": DOCUMENTS[key]
                                                         for n, key in enumerate(keys)}, body=body, input=given))
    assert filed["__typename"] == "Request"
    # Any other text is refused, files or not.
    status, refused = submit(client, token)
    assert status == 200 and refused["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_REQUIRED"


def test_documents_need_a_bearer_token_before_anything_is_read(app, client, w, with_form):
    before = state()
    status, body = submit(client, None)
    assert status == 401 and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    status, body = submit(client, "not-a-token")
    assert status == 401
    assert state() == before


def test_a_multipart_body_over_the_limit_is_refused_unread(app, client, w, with_form, token):
    before = state()
    # Past the room for five of the largest documents beside the operation (backoffice/api/view.py).
    huge = b"%PDF-" + b"0" * (MAX_UPLOAD_DOCUMENTS * MAX_DOCUMENT_KB * 1024 + app.config["GRAPHQL_MAX_BODY_BYTES"])
    status, body = submit(client, token, documents={**DOCUMENTS, "proof": ("proof.pdf", huge, "application/pdf")})
    assert status == 413, body
    assert state() == before


def test_a_file_where_json_puts_text_is_the_apps_fault(app, client, w, with_form, token):
    before = state()
    body = call(client, SUBMIT, token, input={"service": "REV-SC", "district": "AMB", "answers": ANSWERS,
                                              "documents": [{"key": "proof", "file": "JVBERi0xLjQ="}]})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert state() == before


@pytest.mark.parametrize("fields, code", [
    ({"service": "NOPE"}, "service_not_open"),
    ({"district": "XYZ"}, "district_unknown"),
    ({"area": "HSR-T"}, "area_unknown"),
    ({"district": "HSR", "area": None, "formVersion": 9}, "form_version_unknown"),
    ({"formVersion": 999}, "form_version_unknown"),
    ({"formVersion": 2**31 - 1}, "form_version_unknown"),
    # Not a code: PostgreSQL cannot compare a NUL, so it is never looked up.
    ({"service": "REV-SC\u0000"}, "service_not_open"),
    ({"district": "AMB\u0000"}, "district_unknown"),
    ({"area": "\u0000"}, "area_unknown"),
])
def test_what_cannot_be_filed_is_a_problem_and_changes_nothing(app, client, w, with_form, token, fields, code):
    before = state()
    refused = result(submit(client, token, **fields))
    assert refused["__typename"] == "Problem" and refused["code"] == code and refused["message"]
    assert state() == before


def test_a_service_not_offered_there_is_refused(app, client, w, with_form, token):
    with database.connection_context():
        forms.set_places(w.service, [(w.hsr, None)])
    before = state()
    refused = result(submit(client, token))
    assert refused["code"] == "service_not_offered" and refused["message"] == (
        "SC certificate is not offered in Ambala tehsil.")
    assert state() == before


def test_a_stale_form_version_is_refused_after_its_grace_period(app, client, w, with_form, token):
    with database.connection_context():
        forms.save_form(w.service, FORM[:-1], w.state)
        FormVersion.update(superseded_at=datetime.datetime(2020, 1, 1)).where(FormVersion.number == 1).execute()
    before = state()
    refused = result(submit(client, token, language="hi"))
    assert refused["code"] == "form_version_stale" and refused["message"]
    assert state() == before
    # The current version is taken.
    filed = result(submit(client, token, formVersion=2, documents={"photo": DOCUMENTS["photo"]}))
    assert filed["__typename"] == "Request"


def test_an_answer_twice_is_the_apps_fault(app, client, w, with_form, token):
    before = state()
    status, body = submit(client, token, ANSWERS + [{"key": "name", "value": "Again"}])
    assert status == 200 and body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert state() == before


def test_an_officers_token_may_not_submit(app, client, w, with_form):
    make_officer("officer@example.gov.in")
    token = officer_token(client, "officer@example.gov.in", PASSWORD)
    before = state()
    status, body = submit(client, token)
    assert status == 200 and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert state() == before
