"""The GraphQL catalogue by district, and each service's application form (backoffice/api/schema.py, types.py)."""
from models import catalogue_file, database
from tests.backoffice.designer_support import EXAMPLE

QUERY = """query($district: String) { services(district: $district, first: 100) { totalCount edges { node {
  code form { version fields { key type required sensitive maxLength min max decimals choices { key labelHi }
  fileTypes maxKb pattern } } } } } }"""


def services(client, district):
    body = client.post("/graphql", json={"query": QUERY, "variables": {"district": district}}).get_json()
    assert "errors" not in body, body
    return {e["node"]["code"]: e["node"]["form"] for e in body["data"]["services"]["edges"]}


def test_a_district_gets_the_services_offered_there_with_their_forms(app, client, catalogue):
    with database.connection_context():
        catalogue_file.load(EXAMPLE)
    everywhere = services(client, None)
    gurugram, ambala = services(client, "ggm"), services(client, "AMB")
    assert "HLT-COVID-OXYGEN-REFILL" in gurugram and "HLT-COVID-OXYGEN-REFILL" not in ambala
    # The state-wide services are offered in every district.
    assert set(everywhere) - {"HLT-COVID-OXYGEN-REFILL"} == set(ambala) and set(everywhere) == set(gurugram)
    assert services(client, "NOWHERE") == {}
    form = gurugram["HLT-COVID-OXYGEN-REFILL"]
    fields = {f["key"]: f for f in form["fields"]}
    assert form["version"] == 1 and len(fields) == 8
    assert (fields["cylinders"]["min"], fields["cylinders"]["max"], fields["cylinders"]["decimals"]) == ("1", "2", 0)
    assert fields["patient_aadhaar"]["sensitive"] and fields["positive_on"]["min"] == "2020-03-01"
    assert [c["key"] for c in fields["cylinder_type"]["choices"]] == ["b_type", "d_type"]
    assert fields["test_report"]["fileTypes"] == ["pdf", "jpeg", "png"] and fields["test_report"]["maxKb"] == 2048
    assert fields["patient_name"]["choices"] is None and fields["patient_name"]["maxLength"] == 100
    # A service without a form has none.
    assert everywhere[next(code for code in everywhere if code != "HLT-COVID-OXYGEN-REFILL")] is None
