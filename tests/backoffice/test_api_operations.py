"""Every operation the mobile app sends runs against the catalogue without errors."""
from datetime import timedelta

import pytest
from graphql import OperationDefinitionNode, parse

from backoffice import workflow
from backoffice.api import persisted
from backoffice.api.officer_circulars import _key as circular_key
from models import Area, Citizen, Designation, District, Post, Service, ServiceRequest, circulars, database, helpdesk
from models.timeutil import utcnow
from tests.backoffice.api_support import citizen_token, officer_token
from tests.backoffice.test_api_schema import OPERATIONS
from tests.conftest import PASSWORD, make_officer

# Variables for the operations that need some; the others run with none.
VARIABLES = {
    "Services": {"department": "REV", "search": "प्रमाण पत्र", "first": 2},
    "Service": {"code": "DHBVN-SUPPLY-RESTORE"},
    "RequestLoginCode": {"mobile": "9812300009"},
    # Answered with a Problem (a wrong code, an unknown officer): data all the same.
    "LogIn": {"mobile": "9812300009", "code": "000000"},
    "OfficerLogIn": {"email": "nobody@example.gov.in", "password": "wrong"},
    "SetLanguage": {"language": "HI"},
    "MyRequests": {"status": ["ASSIGNED", "SUBMITTED"], "first": 5},
    "AnswerQuery": {"answer": "Naraingarh"},
    "RaiseTicket": {"subject": "Certificate", "text": "When will it come?"},
    "ReplyToTicket": {"text": "Any news?"},
    "MyQueue": {"due": "OVERDUE"},
    "TakeStep": {"step": "START"},
    # A service without a form takes any answers; the operations with files are run by test_api_submit.py.
    "Submit": {"input": {"service": "REV-SC-CERT", "district": "AMB", "answers": [
        {"key": "details", "value": "For a college admission."}]}},
    # Answered with a Problem (the request is neither rejected nor decided yet): data all the same.
    "Appeal": {"grounds": "The officer did not read my documents."},
    "Rate": {"stars": 5, "comment": "Quick."},
    "Areas": {"district": "AMB", "search": "ambala"},
}
# Sent with a citizen's bearer token; those naming a tracking number name his request's.
AS_CITIZEN = {"LogOut", "Me", "SetLanguage", "MyRequests", "Track", "Withdraw", "AnswerQuery",
              "MyTickets", "ReadTicket", "RaiseTicket", "ReplyToTicket", "Submit", "Download", "Appeal", "Rate"}
# Sent with a field officer's token, naming a request assigned to him (an overdue one) and a circular to him.
AS_OFFICER = {"MyQueue", "OfficerTrack", "TakeStep", "UnreadCirculars", "AcknowledgeCircular"}


def as_citizen(app):
    """A citizen's token, and a request of his (the variables naming it)."""
    with app.app_context(), database.connection_context():
        citizen = Citizen.create(mobile="9812300001", name="Ram Lal")
        request = workflow.file_request(Service.get(Service.code == "REV-SC-CERT"), citizen,
                                        District.get(District.code == "AMB"))
        ticket = helpdesk.open_ticket(citizen, "Certificate", "When will it come?")
    token = citizen_token(app.test_client(), citizen.mobile)
    return {"Authorization": f"Bearer {token}"}, {"trackingNumber": request.tracking_number,
                                                  "version": request.version, "number": ticket.number}


def as_officer(app):
    """A tehsildar's token, a request overdue with him and a circular to him (the variables naming them)."""
    with app.app_context(), database.connection_context():
        amb = District.get(District.code == "AMB")
        officer = make_officer("tehsildar@example.gov.in")
        Post.create(officer=officer, designation=Designation.select().first(), district=amb)
        request = workflow.file_request(Service.get(Service.code == "REV-SC-CERT"),
                                        Citizen.create(mobile="9812300001", name="Ram Lal"), amb)
        ServiceRequest.update(assigned_officer=officer, status="assigned", due_at=utcnow() - timedelta(days=1)).where(
            ServiceRequest.id == request.id).execute()
        circular = circulars.publish(make_officer("state@example.gov.in", "state_admin"), title_en="Camp",
                                     title_hi="शिविर", body_en="On Monday.", body_hi="सोमवार को।", district=amb)
    token = officer_token(app.test_client(), officer.email, PASSWORD)
    return {"Authorization": f"Bearer {token}"}, {"trackingNumber": request.tracking_number,
                                                  "version": request.version, "key": circular_key(circular)}


def an_area(app):
    """A tehsil of Ambala, for the operation listing a district's areas (the bundled catalogue has none)."""
    with app.app_context(), database.connection_context():
        Area.create(district=District.get(District.code == "AMB"), code="AMB-T", name_en="Ambala tehsil",
                    name_hi="अम्बाला तहसील", kind="tehsil")
    return {}, {}


def operations():
    for path in OPERATIONS:
        text = path.read_text(encoding="utf-8")
        for definition in parse(text).definitions:
            if isinstance(definition, OperationDefinitionNode):
                yield pytest.param(text, definition.name.value, id=f"{path.stem}:{definition.name.value}")


def test_operation_names_are_unique():
    names = [param.values[1] for param in operations()]
    assert len(names) == len(set(names)), names
    assert {"Districts", "Departments", "Services", "Service"} <= set(names)


@pytest.mark.parametrize("persisted_only", [False, True], ids=["text", "by-hash"])
@pytest.mark.parametrize("document, name", operations())
def test_operation_runs(app, client, catalogue, document, name, persisted_only):
    headers, variables = (as_citizen(app) if name in AS_CITIZEN else as_officer(app) if name in AS_OFFICER
                          else an_area(app) if name == "Areas" else ({}, {}))
    # In persisted-operations mode the app sends the document's sha256 alone (docs/api.md).
    app.config["GRAPHQL_PERSISTED_ONLY"] = persisted_only
    sent = ({"extensions": {"persistedQuery": {"version": 1, "sha256Hash": persisted.digest(document)}}}
            if persisted_only else {"query": document})
    response = client.post("/graphql", headers=headers, json={
        **sent, "operationName": name, "variables": {**variables, **VARIABLES.get(name, {})}})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert "errors" not in body, body["errors"]
    [result] = body["data"].values()
    assert result, f"{name} found nothing in the catalogue"
