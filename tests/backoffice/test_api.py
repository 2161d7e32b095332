"""The mobile app's catalogue API, over HTTP as the app calls it."""
import base64
import logging

import pytest

from backoffice import create_app
from models import Department, Service, database
from tests.conftest import PRODUCTION_NEEDS

ACCEPTANCE_QUERY = "{ services(first: 5) { edges { node { code nameHi timeLimit { value unit } } } } }"
SERVICES = """
query Services($department: String, $category: String, $search: String, $first: Int, $after: String) {
  services(department: $department, category: $category, search: $search, first: $first, after: $after) {
    totalCount
    edges { cursor node { code nameEn nameHi category department { code } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def gql(client, query, headers=None, **variables):
    response = client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def data(client, query, **variables):
    body = gql(client, query, **variables)
    assert "errors" not in body, body["errors"]
    return body["data"]


def services(client, **variables):
    return data(client, SERVICES, **variables)["services"]


def codes(connection):
    return [edge["node"]["code"] for edge in connection["edges"]]


def published(*conditions):
    """Codes of published services, straight from the database, in code order."""
    with database.connection_context():
        query = Service.select().where(Service.status == "published", *conditions)
        return sorted(service.code for service in query)


def test_acceptance_query(client, catalogue):
    edges = data(client, ACCEPTANCE_QUERY)["services"]["edges"]
    assert [edge["node"]["code"] for edge in edges] == published()[:5]
    assert all(edge["node"]["nameHi"] and edge["node"]["timeLimit"]["value"] > 0 for edge in edges)


def test_query_by_get(client, catalogue):
    response = client.get("/graphql", query_string={"query": ACCEPTANCE_QUERY})
    assert response.status_code == 200
    assert len(response.get_json()["data"]["services"]["edges"]) == 5


def test_districts(client, catalogue):
    districts = data(client, "{ districts { code nameEn nameHi division } }")["districts"]
    assert len(districts) == 22
    assert [d["code"] for d in districts] == sorted(d["code"] for d in districts)
    assert {"code": "AMB", "nameEn": "Ambala", "nameHi": "अंबाला", "division": "Ambala"} in districts


def test_departments(client, catalogue):
    departments = data(client, "{ departments { code nameEn nameHi kind } }")["departments"]
    with database.connection_context():
        assert [d["code"] for d in departments] == sorted(d.code for d in Department.select())
    assert {"code": "REV", "nameEn": "Revenue and Disaster Management",
            "nameHi": "राजस्व एवं आपदा प्रबंधन", "kind": "DEPARTMENT"} in departments
    kinds = {d["code"]: d["kind"] for d in departments}
    assert kinds["DHBVN"] == "CORPORATION" and kinds["REV"] == "DEPARTMENT"


def test_paging_through_every_service(client, catalogue):
    seen, after, pages = [], None, 0
    while True:
        connection = services(client, first=7, after=after)
        pages += 1
        assert connection["totalCount"] == len(published())
        seen += codes(connection)
        assert connection["pageInfo"]["endCursor"] == connection["edges"][-1]["cursor"]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == published() and len(seen) == len(set(seen))
    assert pages == -(-len(seen) // 7)


def test_page_after_the_last_is_empty(client, catalogue):
    last = services(client, first=100)
    assert not last["pageInfo"]["hasNextPage"]
    beyond = services(client, after=last["pageInfo"]["endCursor"])
    assert beyond["edges"] == [] and beyond["pageInfo"] == {"hasNextPage": False, "endCursor": None}


def test_first_zero_counts_without_rows(client, catalogue):
    connection = services(client, first=0)
    assert connection["edges"] == []
    assert connection["pageInfo"]["hasNextPage"] is True
    assert connection["totalCount"] == len(published())


def test_first_null_means_the_default_page(client, catalogue):
    assert codes(services(client, first=None)) == published()[:20]


def test_filter_by_department(client, catalogue):
    connection = services(client, department="FCS", first=100)
    assert codes(connection) == published(Service.department.in_(
        Department.select().where(Department.code == "FCS")))
    assert connection["totalCount"] > 0
    assert {edge["node"]["department"]["code"] for edge in connection["edges"]} == {"FCS"}


def test_unknown_department_gives_an_empty_page(client, catalogue):
    connection = services(client, department="NOPE")
    assert connection["edges"] == [] and connection["totalCount"] == 0
    assert connection["pageInfo"]["hasNextPage"] is False


def test_filter_by_category(client, catalogue):
    ration = services(client, category="ration", first=100)
    assert codes(ration) == published(Service.category == "ration") != []
    # Every COVID-19 service lacks a notified time limit, so none is published.
    assert services(client, category="covid-19")["totalCount"] == 0


def test_filters_combine(client, catalogue):
    connection = services(client, department="REV", category="certificates", first=100)
    assert {(e["node"]["department"]["code"], e["node"]["category"]) for e in connection["edges"]} \
        == {("REV", "certificates")}


def test_empty_filters_do_not_filter(client, catalogue):
    assert services(client, department="", category="", search="  ")["totalCount"] == len(published())


def test_search_hindi_name(client, catalogue):
    found = codes(services(client, search="प्रमाण पत्र", first=100))
    assert found == published(Service.name_hi.contains("प्रमाण पत्र"))
    assert "REV-SC-CERT" in found
    assert "REV-INCOME-CERT" not in found  # a draft


def test_search_english_name_ignores_case(client, catalogue):
    found = codes(services(client, search="CERTIFICATE", first=100))
    with database.connection_context():
        expected = sorted(s.code for s in Service.select().where(Service.status == "published")
                          if "certificate" in s.name_en.lower())
    assert found == expected and "REV-SC-CERT" in found


def test_search_wildcards_are_literal(client, catalogue):
    assert services(client, search="%")["totalCount"] == 0
    assert services(client, search="_")["totalCount"] == 0


def test_drafts_and_retired_services_never_appear(client, catalogue):
    with database.connection_context():
        draft = Service.get(Service.code == "REV-INCOME-CERT")
        assert (draft.status, draft.tat_value) == ("draft", None)
        Service.update(status="retired").where(Service.code == "REV-SC-CERT").execute()
    listed = codes(services(client, first=100))
    assert "REV-INCOME-CERT" not in listed and "REV-SC-CERT" not in listed
    assert listed == published()
    for code in ("REV-INCOME-CERT", "REV-SC-CERT"):
        assert data(client, "query($code: String!) { service(code: $code) { code } }", code=code) \
            == {"service": None}


def test_service_by_code(client, catalogue):
    service = data(client, """{ service(code: "DHBVN-SUPPLY-RESTORE") {
        code nameEn nameHi category fee descriptionEn descriptionHi eligibilityEn eligibilityHi
        timeLimit { value unit } department { code kind } } }""")["service"]
    assert service["timeLimit"] == {"value": 4, "unit": "HOURS"}
    assert service["department"] == {"code": "DHBVN", "kind": "CORPORATION"}
    assert service["nameHi"] == "बिजली आपूर्ति बहाली (शहरी)"
    assert service["category"] == "utilities"
    assert service["fee"] == "0.00"  # same shape on SQLite and PostgreSQL


def test_unknown_service_is_null(client, catalogue):
    assert data(client, '{ service(code: "NO-SUCH-SERVICE") { code } }') == {"service": None}


def test_working_days_unit(client, catalogue):
    service = data(client, '{ service(code: "REV-SC-CERT") { timeLimit { value unit } } }')["service"]
    assert service["timeLimit"] == {"value": 7, "unit": "WORKING_DAYS"}


def error(body):
    assert body["data"] is None
    [only] = body["errors"]
    assert only["extensions"]["code"] == "BAD_USER_INPUT"
    return only["message"]


@pytest.mark.parametrize("first", [101, -1])
def test_first_outside_the_cap_is_an_error(client, catalogue, first):
    message = error(gql(client, SERVICES, first=first))
    assert message == f'"first" must be between 0 and 100, not {first}.'


def test_cap_comes_from_the_setting(app, client, catalogue):
    app.config["GRAPHQL_MAX_PAGE_SIZE"] = 3
    assert len(codes(services(client, first=3))) == 3
    assert "between 0 and 3" in error(gql(client, SERVICES, first=4))


@pytest.mark.parametrize("cursor", [
    "not a cursor!",
    base64.urlsafe_b64encode(b"REV-SC-CERT").decode(),   # base64, but not ours
    base64.urlsafe_b64encode(b"\xff\xfe").decode(),      # not UTF-8 inside
    "",
    "ÿ",                                                  # not even ASCII
])
def test_malformed_cursor_is_an_error(client, catalogue, cursor):
    message = error(gql(client, SERVICES, after=cursor))
    assert message.startswith('"after" is not a cursor from this API')


def test_services_cost_a_fixed_number_of_queries(client, catalogue, caplog):
    # Department is joined: a page of many services takes no query per service.
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        connection = services(client, first=100)
    assert len(connection["edges"]) > 2
    statements = [r for r in caplog.records if r.name == "peewee"]
    assert len(statements) == 2, [r.getMessage() for r in statements]  # the count and the page


def test_invalid_query_is_reported(client, catalogue):
    body = gql(client, "{ services { edges { node { id } } } }")
    assert "Cannot query field 'id'" in body["errors"][0]["message"]


@pytest.mark.parametrize("app_env, graphiql", [("development", True), ("test", False), ("production", False)])
def test_graphiql_only_in_development(app, app_env, graphiql):
    other = create_app({"APP_ENV": app_env, "DATABASE_URL": app.config["DATABASE_URL"],
                        "SECRET_KEY": "test-secret", **PRODUCTION_NEEDS})
    response = other.test_client().get("/graphql", headers={"Accept": "text/html"})
    if graphiql:
        assert response.status_code == 200
        assert "graphiql" in response.get_data(as_text=True).lower()
    else:
        assert response.status_code == 404


def test_fee_always_has_two_decimals(client, catalogue):
    with database.connection_context():
        Service.update(fee="25.5").where(Service.code == "REV-SC-CERT").execute()
    assert data(client, '{ service(code: "REV-SC-CERT") { fee } }') == {"service": {"fee": "25.50"}}


def test_bad_input_is_not_logged_as_a_server_fault(client, catalogue, caplog):
    with caplog.at_level(logging.ERROR, logger="strawberry.execution"):
        error(gql(client, SERVICES, first=-1))
        gql(client, "{ nonsense }")
    # Only the invalid query is logged (strawberry's default), not the refused argument.
    [logged] = caplog.records
    assert logged.getMessage().startswith("Cannot query field 'nonsense'")
