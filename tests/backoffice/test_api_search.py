"""The catalogue's search and a district's areas over GraphQL (backoffice/api/schema.py, places.py): English,
Hindi in its common spellings, Hindi in Roman letters; the services' keys kept between requests."""
import logging
import unicodedata

import pytest

from models import Area, District, Service, database
from models.timeutil import utcnow
from tests.backoffice.api_support import ok, operation

SERVICES = operation("Services")
AREAS = operation("Areas")


@pytest.fixture
def published(catalogue):
    """Every bundled service published: those without a notified limit given one, as `demo load` does."""
    with database.connection_context():
        Service.update(tat_value=7, tat_unit="working_days", status="published").where(
            Service.tat_value.is_null()).execute()


def found(client, search, **filters):
    connection = ok(client, SERVICES, search=search, first=100, **filters)["services"]
    return {edge["node"]["code"] for edge in connection["edges"]}


@pytest.mark.parametrize("search, expected", [
    ("Income certificate", {"REV-INCOME-CERT"}),
    ("आय प्रमाण पत्र", {"REV-INCOME-CERT"}),
    ("aay praman patra", {"REV-INCOME-CERT"}),
    ("pichhda varg", {"REV-BC-CERT"}),
    ("जाति", {"REV-SC-CERT"}),
    ("दस्तावेज", {"REV-DEED-COPY"}),  # the name has दस्तावेज़, with a nukta
    ("बिजली", {"DHBVN-SUPPLY-RESTORE"}),
    ("bijli aapurti", {"DHBVN-SUPPLY-RESTORE"}),
    ("vriddhavastha", {"SJE-OLD-AGE"}),
    ("no such service", set()),
])
def test_search_matches_english_hindi_and_roman_letters(client, published, search, expected):
    assert found(client, search) == expected


def test_nfd_and_nfc_queries_find_the_same(client, published):
    certificates = found(client, "प्रमाण पत्र")
    assert len(certificates) > 5 and found(client, unicodedata.normalize("NFD", "प्रमाणपत्र")) == certificates
    assert found(client, "pramaan patra") == certificates


def test_search_keeps_the_other_filters_and_pages(client, published):
    assert found(client, "praman patra", department="REV") == {
        "REV-SC-CERT", "REV-BC-CERT", "REV-INCOME-CERT", "REV-RESIDENT-CERT"}
    page = ok(client, SERVICES, search="praman patra", department="REV", first=2)["services"]
    assert page["totalCount"] == 4 and len(page["edges"]) == 2 and page["pageInfo"]["hasNextPage"]


def test_the_keys_are_kept_until_the_catalogue_changes(client, catalogue, caplog):
    found(client, "aay")

    def statements():
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="peewee"):
            codes = found(client, "bijli")
        return codes, [r.getMessage() for r in caplog.records if r.name == "peewee"]

    codes, sql = statements()
    # The catalogue's stamp, the count and the page: no statement reads every service's names again.
    assert codes == {"DHBVN-SUPPLY-RESTORE"} and len(sql) == 3, sql
    with database.connection_context():
        service = Service.get(Service.code == "ULB-STREETLIGHT")
        service.name_hi, service.updated_at = "बिजली के खंभे की लाइट बदलना", utcnow()
        service.save()
    assert found(client, "bijli") == {"DHBVN-SUPPLY-RESTORE", "ULB-STREETLIGHT"}


def test_a_districts_areas_and_their_search(client, catalogue):
    with database.connection_context():
        ambala = District.get(District.code == "AMB")
        for code, name_en, name_hi, kind in (("AMB-C", "Ambala Cantonment", "अम्बाला छावनी", "sub-division"),
                                             ("NRG", "Naraingarh", "नारायणगढ़", "tehsil")):
            Area.create(district=ambala, code=code, name_en=name_en, name_hi=name_hi, kind=kind)
    areas = ok(client, AREAS, district="amb")["areas"]
    assert [(a["code"], a["kind"]) for a in areas] == [("AMB-C", "SUB_DIVISION"), ("NRG", "TEHSIL")]
    assert [a["code"] for a in ok(client, AREAS, district="AMB", search="अंबाला")["areas"]] == ["AMB-C"]
    assert [a["code"] for a in ok(client, AREAS, district="AMB", search="narayangarh")["areas"]] == ["NRG"]
    assert ok(client, AREAS, district="HSR")["areas"] == [] and ok(client, AREAS, district="NOPE")["areas"] == []
