"""The counter files through the service's own form (backoffice/admin/counter.py, form_page.py): every
type rendered, documents uploaded and kept, each refusal on its field in the operator's language with
nothing filed, a superseded form taken in its grace period only; who opens an attached document."""
import datetime
import html
import io
import re

import pytest

from models import AuditEntry, RequestDocument, Service, ServiceRequest, forms
from models.forms import FormVersion
from tests.backoffice.requests_support import csrf, login_as, state, text, w  # noqa: F401 (w is a fixture)
from tests.models.test_forms import PDF, PNG

FORM = [
    {"key": "name", "type": "short_text", "label_en": "Name", "label_hi": "नाम", "required": True},
    {"key": "pan", "type": "short_text", "label_en": "PAN", "label_hi": "पैन", "pattern": "[A-Z]{5}[0-9]{4}[A-Z]",
     "pattern_message_en": "Write it like ABCDE1234F.", "pattern_message_hi": "ABCDE1234F की तरह लिखें।"},
    {"key": "village", "type": "area", "label_en": "Village", "label_hi": "गाँव"},
    {"key": "members", "type": "multiple_choice", "label_en": "Members", "label_hi": "सदस्य", "choices": [
        {"key": "self", "label_en": "Self", "label_hi": "स्वयं"}, {"key": "wife", "label_en": "Wife", "label_hi": "पत्नी"}]},
    {"key": "widow", "type": "yes_no", "label_en": "Widow", "label_hi": "विधवा"},
    {"key": "photo", "type": "document", "label_en": "Photo", "label_hi": "फ़ोटो", "file_types": ["png"],
     "max_kb": 1},
    {"key": "proof", "type": "document", "label_en": "Proof", "label_hi": "प्रमाण", "sensitive": True,
     "required": True},
]


@pytest.fixture
def with_form(app, w):
    return forms.save_form(w.service, FORM, w.state)


def file_form(client, w, answers, files, lang="en"):
    url = f"/admin/counter/?lang={lang}"
    data = {"mobile": "9812345678", "name": "Asha Devi", "language": "hi", "service": w.service.id,
            "district": w.amb.id, "area": w.tehsil.id, "form_version": "1", "csrf_token": csrf(client.get(url)),
            **answers, **{key: (io.BytesIO(file[1]), file[0]) for key, file in files.items() if file}}
    return client.post(url, data=data, content_type="multipart/form-data", follow_redirects=True)


GOOD = {"answer-name": "Asha Devi", "answer-pan": "ABCDE1234F", "answer-village": "AMB-T",
        "answer-members": ["wife", "self"], "answer-widow": "yes"}
FILES = {"answer-photo": ("photo.png", PNG), "answer-proof": ("proof.pdf", PDF)}


def test_every_type_is_rendered_as_its_input(app, w, with_form):
    page = login_as(app, w.counter).get("/admin/counter/?lang=hi").get_data(as_text=True)
    assert 'pattern="[A-Z]{5}[0-9]{4}[A-Z]" title="ABCDE1234F की तरह लिखें।"' in page
    assert '<option value="AMB-T">अंबाला तहसील (अंबाला)</option>' in page
    assert len(re.findall(r'type="checkbox"\s+id="answer-members-', page)) == 2
    assert re.search(r'type="radio"\s+id="answer-widow-yes"', page)
    assert 'type="file" name="answer-photo"' in page and 'accept=".png,image/png"' in page
    assert 'name="details"' not in page  # a service with a form asks its own questions


def test_the_answers_and_documents_are_filed_and_kept(app, w, with_form):
    page = file_form(login_as(app, w.counter), w, GOOD, FILES)
    request = ServiceRequest.get()
    assert request.tracking_number in text(page)
    assert request.form_values["members"] == ["self", "wife"] and request.form_values["widow"] is True
    kept = {d.key: (d.filename, bytes(d.content)) for d in RequestDocument.select()}
    assert kept == {"photo": ("photo.png", PNG), "proof": ("proof.pdf", PDF)}


@pytest.mark.parametrize("lang, answers, files, field, message", [
    ("en", {"answer-pan": "abc"}, {}, "pan", "PAN: Write it like ABCDE1234F."),
    ("hi", {"answer-pan": "abc"}, {}, "pan", "पैन: ABCDE1234F की तरह लिखें।"),
    ("en", {"answer-village": "HSR-T"}, {}, "village", "HSR-T is not an area of Ambala"),
    ("en", {}, {"answer-photo": ("photo.png", PDF)}, "photo", "Photo: the file must be one of PNG."),
    ("en", {}, {"answer-photo": ("photo.png", PNG + b"\0" * 2048)}, "photo", "larger than 1 KB"),
    ("en", {}, {"answer-proof": ("proof.pdf", b"")}, "proof", "Proof: the file is empty."),
    ("en", {}, {"answer-proof": None}, "proof", "Proof: please answer this."),
    ("hi", {"answer-name": " "}, {}, "name", "नाम:"),
])
def test_a_refusal_is_shown_on_its_field_and_files_nothing(app, w, with_form, lang, answers, files, field, message):
    client = login_as(app, w.counter)
    client.get(f"/admin/counter/?lang={lang}")  # the language chosen before, as an operator would
    before = state()
    page = file_form(client, w, {**GOOD, **answers}, {**FILES, **files}, lang)
    assert state() == before
    body = page.get_data(as_text=True)
    block = body[body.index(f'data-field="{field}"'):]
    block = html.unescape(block[:block.index("</div>\n</div>") if "</div>\n</div>" in block else 2000])
    assert message in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block)), block
    assert html.escape(GOOD["answer-name"]) in body or field == "name"  # the operator's typing is kept


def test_a_superseded_form_is_taken_in_its_grace_period_only(app, w, with_form):
    forms.save_form(w.service, FORM + [{"key": "note", "type": "long_text", "label_en": "Note", "label_hi": "टिप्पणी"}],
                    w.state)
    client = login_as(app, w.counter)
    file_form(client, w, GOOD, FILES)
    assert ServiceRequest.get().form_version.number == 1
    FormVersion.update(superseded_at=datetime.datetime(2020, 1, 1)).where(FormVersion.number == 1).execute()
    before = state()
    page = file_form(client, w, GOOD, FILES)
    assert "has changed since it was opened. Please refresh it" in text(page)
    assert state() == before


@pytest.mark.parametrize("posted, message", [
    ("999", "has changed since it was opened. Please refresh it"),
    ("99999999999999999999", "has changed since it was opened. Please refresh it"),
    ("abc", "abc is not a version of a form"),
])
def test_a_form_version_the_service_never_had_files_nothing(app, w, with_form, posted, message):
    client = login_as(app, w.counter)
    client.get("/admin/counter/?lang=en")
    before = state()
    url = "/admin/counter/?lang=en"
    data = {"mobile": "9812345678", "name": "Asha Devi", "language": "hi", "service": w.service.id,
            "district": w.amb.id, "area": w.tehsil.id, "form_version": posted, "csrf_token": csrf(client.get(url)),
            **GOOD, **{key: (io.BytesIO(file[1]), file[0]) for key, file in FILES.items()}}
    page = client.post(url, data=data, content_type="multipart/form-data", follow_redirects=True)
    assert message in text(page)
    assert state() == before


def test_an_attached_document_opens_for_those_its_field_allows_and_each_download_is_audited(app, w, with_form):
    file_form(login_as(app, w.counter), w, GOOD, FILES)
    request = ServiceRequest.get()
    url = f"/admin/request/attachment/?id={request.id}&key="
    administrator = login_as(app, w.amb_admin)
    # The proof is personal data: for those handling the request; the photo is not.
    assert administrator.get(url + "proof").status_code == 404
    assert administrator.get(url + "photo").data == PNG
    details = administrator.get(f"/admin/request/details/?id={request.id}").get_data(as_text=True)
    assert "key=photo" in details and "key=proof" not in details
    assert login_as(app, w.counter).get(url + "proof").data == PDF
    assert login_as(app, w.hsr_field).get(url + "photo").status_code in (302, 404)
    assert AuditEntry.select().where(AuditEntry.note == "attached document").count() == 2


def test_the_counter_offers_only_the_services_offered_in_its_district(app, w, with_form):
    hisar_only = Service.create(code="REV-HSR", name_en="Hisar only", name_hi="केवल हिसार",
                                department=w.service.department, category="certificates", tat_value=3,
                                tat_unit="working_days", status="published")
    forms.set_places(hisar_only, [(w.hsr, None)])
    page = login_as(app, w.counter).get("/admin/counter/").get_data(as_text=True)
    choices = re.search(r'<select[^>]*name="service".*?</select>', page, re.S).group(0)
    assert "SC certificate" in choices and "Hisar only" not in choices


def test_choosing_another_service_shows_its_form_and_files_nothing(app, w, with_form):
    Service.create(code="REV-AAA", name_en="Plain", name_hi="सादा", department=w.service.department,
                   category="certificates", tat_value=3, tat_unit="working_days", status="published")
    client = login_as(app, w.counter)
    first = client.get("/admin/counter/").get_data(as_text=True)
    assert 'name="details"' in first and "answer-name" not in first  # REV-AAA comes first, and has no form
    before = state()
    page = client.post("/admin/counter/", data={"service": w.service.id, "choose": "1", "mobile": "",
                                                "csrf_token": csrf(client.get("/admin/counter/"))})
    assert 'name="answer-name"' in page.get_data(as_text=True) and 'name="details"' not in page.get_data(as_text=True)
    assert state() == before


def test_an_attached_document_downloads_under_its_own_name_only_and_is_never_sniffed(app, w, with_form):
    # The name is the uploader's: a path in it was sent as given, and without nosniff.
    file_form(login_as(app, w.counter), w, GOOD, {**FILES, "answer-photo": ("../../etc/passwd\x07.png", PNG)})
    request = ServiceRequest.get()
    response = login_as(app, w.amb_admin).get(f"/admin/request/attachment/?id={request.id}&key=photo")
    assert response.data == PNG
    assert response.headers["Content-Disposition"] == "attachment; filename=passwd.png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-store"
