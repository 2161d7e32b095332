"""Issue 7's 'Done when', tried as a new user would, on SQLite and PostgreSQL.

A state administrator creates 'Oxygen cylinder refill permit (COVID-19)'
offered in three districts with six questions of different types and two
documents, all through the admin; previews it in Hindi; publishes it. The
GraphQL catalogue asked with a district returns it, and its form, only for
those districts. A counter operator files through the rendered form (his
mistakes shown on their fields, in his language, filing nothing). The
administrator adds a question, a new version appears, and the earlier request
still shows its original answers under the labels it was filed with.
"""
import html
import io
import re

from models import AuditEntry, Designation, District, FormVersion, Service, ServiceRequest
from tests.backoffice.designer_support import designer_url, example_form, press, row_values, type_field
from tests.backoffice.requests_support import csrf, login_as, state, text
from tests.backoffice.scope_support import form_data
from tests.conftest import make_officer
from tests.models.test_forms import GOOD_AADHAAR, PDF, PNG

NAME_EN = "Oxygen cylinder refill permit (COVID-19)"
NAME_HI = "ऑक्सीजन सिलेंडर रिफिल अनुमति (कोविड-19)"
OFFERED = ("FBD", "GGM", "HSR")
SERVICES = """query($district: String) { services(district: $district, first: 100) { edges { node {
  code form { version fields { key type labelHi choices { key } fileTypes } } } } } }"""


def district(code):
    return District.get(District.code == code)


def create_service(client):
    """The service's own screen: a draft with its names, department, time limit and post."""
    page = client.get("/admin/service/new/")
    data = {**{k: v[0] for k, v in form_data(page).items()}, "code": "HLT-COVID-OXYGEN-REFILL",
            "name_en": NAME_EN, "name_hi": NAME_HI, "category": "covid-19", "tat_value": "24", "tat_unit": "hours",
            "fee": "0", "status": "draft",
            "department": str(Service.department.rel_model.get(code="HLT").id),
            "designated_officer": str(Designation.get(name="District officer").id)}
    response = client.post("/admin/service/new/", data=data, follow_redirects=True)
    assert response.status_code == 200
    return Service.get(Service.code == "HLT-COVID-OXYGEN-REFILL")


def offered_codes(client, district_code):
    body = client.post("/graphql", json={"query": SERVICES, "variables": {"district": district_code}}).get_json()
    assert "errors" not in body, body
    return {edge["node"]["code"]: edge["node"]["form"] for edge in body["data"]["services"]["edges"]}


def test_a_service_designed_in_the_admin_is_offered_filed_and_versioned(app, admin_client, catalogue):
    client = admin_client
    service = create_service(client)

    # Six questions and two documents, typed into the designer's rows; places chosen; saved.
    page = client.get(designer_url(service))
    for field in example_form():
        page = type_field(client, service, page, field)
    places = [f"district:{district(code).id}" for code in OFFERED]
    page = press(client, service, page, "save", offered="chosen", place=places)
    assert "The form and its places are saved." in text(page)
    [v1] = FormVersion.select().where(FormVersion.service == service)
    assert [f["type"] for f in v1.fields] == ["short_text", "aadhaar", "mobile", "single_choice", "number", "date",
                                              "document", "document"]
    assert v1.fields[4]["min"] == 1 and v1.fields[3]["choices"][1]["label_hi"]

    # The preview in Hindi: every question with its Hindi label, the documents as file inputs.
    hindi = client.get(designer_url(service) + "&lang=hi").get_data(as_text=True)
    preview = hindi[hindi.index('id="preview-hi"'):]
    assert all(field["label_hi"] in preview for field in example_form())
    assert len(re.findall(r'type="file" name="answer-', preview)) == 2
    assert 'type="tel" name="answer-attendant_mobile"' in preview and 'type="date" name="answer-positive_on"' in preview

    # Not offered before it is published; then only where it is offered.
    assert "HLT-COVID-OXYGEN-REFILL" not in offered_codes(client, "GGM")
    edit = client.get(f"/admin/service/edit/?id={service.id}")
    client.post(f"/admin/service/edit/?id={service.id}",
                data={**{k: v[0] for k, v in form_data(edit).items()}, "status": "published"}, follow_redirects=True)
    assert Service.get_by_id(service.id).status == "published"
    for code in OFFERED:
        form = offered_codes(client, code)["HLT-COVID-OXYGEN-REFILL"]
        assert form["version"] == 1 and [f["key"] for f in form["fields"]] == [f["key"] for f in example_form()]
    assert "HLT-COVID-OXYGEN-REFILL" not in offered_codes(client, "AMB")
    assert "HLT-COVID-OXYGEN-REFILL" in offered_codes(client, None)

    # The counter operator of Gurugram files through the rendered form, in Hindi.
    counter = make_officer("counter@ggm.example.gov.in", "counter_operator", district=district("GGM"))
    operator = login_as(app, counter)
    url = f"/admin/counter/?service={service.id}&lang=hi"
    filing = operator.get(url).get_data(as_text=True)
    assert "रोगी का आधार नंबर" in filing and 'type="file" name="answer-test_report"' in filing
    answers = {"answer-patient_name": "Ramesh Kumar", "answer-patient_aadhaar": "2341 2341 2345",
               "answer-attendant_mobile": "98123 45678", "answer-cylinder_type": "b_type",
               "answer-cylinders": "3", "answer-positive_on": "2021-04-20"}
    base = {"mobile": "9812345678", "name": "Ramesh Kumar", "language": "hi", "service": service.id,
            "district": district("GGM").id, "area": "", "form_version": "1"}

    def file(answers, documents):
        data = {**base, **answers, **documents, "csrf_token": csrf(operator.get(url))}
        return operator.post(url, data=data, content_type="multipart/form-data", follow_redirects=True)

    before = state()
    refused = file(answers, {"answer-test_report": (_upload(b"not a scan"), "report.txt")})
    assert state() == before
    said = text(refused)
    assert "रोगी का आधार नंबर" in said and "अधिकतम 2" in said  # the check digit; at most 2 cylinders
    assert 'class="invalid-feedback d-block"' in refused.get_data(as_text=True)

    answers.update({"answer-patient_aadhaar": GOOD_AADHAAR, "answer-cylinders": "2"})
    filed = file(answers, {"answer-test_report": (_upload(PDF), "report.pdf"),
                           "answer-prescription": (_upload(PNG), "prescription.png")})
    request = ServiceRequest.get()
    assert request.tracking_number in text(filed)
    assert (request.form_version_id, request.filed_by_id) == (v1.id, counter.id)
    assert request.form_values["cylinders"] == 2 and request.form_values["test_report"]["content_type"] == (
        "application/pdf")

    # The administrator adds a question to the published form: version 2, version 1 superseded.
    page = client.get(designer_url(service) + "&lang=en")
    page = press(client, service, page, "save", **row_values(len(example_form()), {
        "key": "hospital", "type": "short_text", "label_en": "Treating hospital", "label_hi": "उपचार करने वाला अस्पताल"}))
    assert "Saved as version 2" in text(page)
    assert [v.number for v in FormVersion.select().where(FormVersion.service == service)
            .order_by(FormVersion.number)] == [1, 2]
    assert FormVersion.get(FormVersion.service == service, FormVersion.number == 1).superseded_at is not None
    assert offered_codes(client, "GGM")["HLT-COVID-OXYGEN-REFILL"]["version"] == 2

    # The earlier request keeps its answers, under version 1's labels; the Aadhaar number masked for the
    # administrator, who does not handle it, in full for the operator who filed it (and that view audited).
    details = text(client.get(f"/admin/request/details/?id={request.id}&lang=en"))
    assert "Number of cylinders: 2" in details and "Patient's name: Ramesh Kumar" in details
    assert "Treating hospital" not in details and GOOD_AADHAAR not in details
    assert "report.pdf" in details
    own_page = operator.get(f"/admin/request/details/?id={request.id}&lang=hi")
    own = text(own_page)
    assert f"रोगी का आधार नंबर: {GOOD_AADHAAR}" in own
    # The documents are kept: the test report opens from the request, as it was sent.
    link = re.search(r'href="([^"]*/attachment/[^"]*key=test_report[^"]*)"', own_page.get_data(as_text=True))
    report = operator.get(html.unescape(link.group(1)))
    assert (report.status_code, report.data, report.mimetype) == (200, PDF, "application/pdf")
    assert AuditEntry.select().where(AuditEntry.action == "view", AuditEntry.officer == counter.id,
                                     AuditEntry.note == "form_values").exists()


def _upload(content):
    return io.BytesIO(content)
