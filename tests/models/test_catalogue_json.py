"""The catalogue as JSON (models/catalogue_json.py through catalogue_file's load): services with their forms
and places, the dry run, retiring the missing, and an export the load takes back unchanged."""
import itertools
import json
from decimal import Decimal
from pathlib import Path

import pytest

from models import (
    Area, Department, Designation, District, FormVersion, Service, ServiceOffering, catalogue_file, catalogue_json,
    forms,
)
from models.catalogue_file import CatalogueError, Change, Upload
from tests.rows import snapshot

EXAMPLE = Path(__file__).resolve().parent.parent.parent / "catalogue" / "examples" / "oxygen-refill.json"
OXYGEN = "HLT-COVID-OXYGEN-REFILL"


def example():
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def catalogue_rows():
    """Every row a catalogue load may write, to show that one wrote nothing."""
    return snapshot((District, Department, Designation, Service, ServiceOffering, FormVersion))


@pytest.fixture
def files(tmp_path):
    """write(document or text) puts it in a JSON file of its own and returns the path."""
    count = itertools.count()

    def write(document):
        path = tmp_path / f"catalogue{next(count)}.json"
        text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False, indent=2)
        path.write_text(text, encoding="utf-8")
        return path
    return write


def fails(path, *expected, retire_missing=False):
    """Load `path`, which must fail with exactly the `expected` (line, code) and write nothing."""
    before = catalogue_rows()
    with pytest.raises(CatalogueError) as error:
        catalogue_file.load(path, retire_missing=retire_missing)
    assert [(p.line, p.code) for p in error.value.problems] == list(expected)
    assert catalogue_rows() == before
    return error.value.problems


@pytest.fixture
def loaded(db):
    catalogue_file.load()


def test_the_example_loads_a_service_with_its_form_and_places(loaded):
    assert catalogue_file.load(EXAMPLE) == {"services": {"created": 1, "updated": 0, "unchanged": 0}}
    service = Service.get(Service.code == OXYGEN)
    assert (service.tat_value, service.tat_unit, service.status) == (24, "hours", "published")
    assert (service.designated_officer.name, service.first_appellate.department.code) == ("District officer", "REV")
    assert [p.district.code for p in forms.places(service)] == ["FBD", "GGM", "HSR"]
    assert forms.offered_in(service, District.get(District.code == "GGM"))
    assert not forms.offered_in(service, District.get(District.code == "AMB"))
    version = forms.current_version(service)
    assert version.number == 1 and version.created_by is None
    fields = version.fields
    assert len(fields) == 8 and [f["type"] for f in fields].count("document") == 2
    assert len({f["type"] for f in fields}) == 7
    assert forms.sensitive_keys(version) == {"patient_aadhaar"}

    before = catalogue_rows()
    assert catalogue_file.load(EXAMPLE) == {"services": {"created": 0, "updated": 0, "unchanged": 1}}
    assert catalogue_rows() == before


def test_a_changed_form_of_a_published_service_is_a_new_version(loaded, files):
    catalogue_file.load(EXAMPLE)
    document = example()
    document["services"][0]["form"][4]["max"] = 3
    assert catalogue_file.preview(files(document)) == [Change("services", OXYGEN, "change", ("form",))]
    report = catalogue_file.load(files(document))
    assert report["services"]["updated"] == 1
    service = Service.get(Service.code == OXYGEN)
    assert [v.number for v in service.form_versions.order_by(FormVersion.number)] == [1, 2]
    assert forms.current_version(service).fields[4]["max"] == 3
    assert forms.version(service, 1).superseded_at is not None


def test_a_new_department_post_district_and_service_in_one_file(db, files):
    document = {
        "districts": [{"code": "HNS", "name_en": "Hansi", "name_hi": "हांसी"}],
        "departments": [{"code": "HLT", "name_en": "Health", "name_hi": "स्वास्थ्य"}],
        "designations": [{"department": "HLT", "name": "Civil Surgeon", "level": "district"}],
        "services": [{"code": "HLT-X", "department": "HLT", "name_en": "X", "name_hi": "एक्स", "category": "c",
                      "tat": 5, "tat_unit": "working_days", "designated_officer": "Civil Surgeon", "fee": 12.5,
                      "offered_in": [{"district": "HNS"}]}],
    }
    report = catalogue_file.load(files(document))
    assert {kind: counts["created"] for kind, counts in report.items()} == dict.fromkeys(catalogue_file.KINDS, 1)
    service = Service.get(Service.code == "HLT-X")
    assert (service.fee, service.status, service.designated_officer.name) == (Decimal("12.5"), "published",
                                                                             "Civil Surgeon")
    assert [p.district.code for p in forms.places(service)] == ["HNS"]
    assert forms.current_version(service) is None


def test_places_by_area_and_back_to_the_whole_state(loaded, files):
    ggm = District.get(District.code == "GGM")
    Area.create(district=ggm, code="GGM-MC", name_en="Gurugram MC", name_hi="गुरुग्राम नि.",
                kind="municipal corporation")
    document = example()
    document["services"][0]["offered_in"] = [{"district": "GGM", "area": "GGM-MC"}, {"district": "FBD"}]
    catalogue_file.load(files(document))
    service = Service.get(Service.code == OXYGEN)
    assert [(p.district.code, p.area and p.area.code) for p in forms.places(service)] == [
        ("FBD", None), ("GGM", "GGM-MC")]
    document["services"][0]["offered_in"] = "state"
    assert catalogue_file.preview(files(document)) == [Change("services", OXYGEN, "change", ("offered_in",))]
    catalogue_file.load(files(document))
    assert ServiceOffering.select().count() == 0


def test_keys_left_out_leave_the_form_and_places_alone(loaded, files):
    catalogue_file.load(EXAMPLE)
    document = example()
    service = document["services"][0]
    del service["form"], service["offered_in"]
    service["name_en"] = "Oxygen refill"
    assert catalogue_file.preview(files(document)) == [Change("services", OXYGEN, "change", ("name_en",))]
    catalogue_file.load(files(document))
    service = Service.get(Service.code == OXYGEN)
    assert service.name_en == "Oxygen refill"
    assert len(forms.places(service)) == 3 and forms.current_version(service).number == 1


# The dry run

def test_a_dry_run_says_what_would_change_and_writes_nothing(loaded, files):
    document = example()
    document["services"].append({"code": "REV-SC-CERT", "department": "REV", "name_en": "SC certificate",
                                 "name_hi": "अनुसूचित जाति प्रमाण पत्र", "category": "certificates", "tat": 5,
                                 "tat_unit": "working_days"})
    before = catalogue_rows()
    changes = catalogue_file.preview(files(document), retire_missing=True)
    assert catalogue_rows() == before
    assert changes[:2] == [Change("services", OXYGEN, "create", ()),
                           Change("services", "REV-SC-CERT", "change", ("name_en", "tat_value"))]
    retired = [c.key for c in changes if c.action == "retire"]
    assert len(retired) == 43 and "REV-SC-CERT" not in retired
    assert all(c.fields == ("status",) for c in changes[2:])


# Retiring the services a file does not name

def test_retire_missing_retires_the_others_and_only_with_it(loaded):
    catalogue_file.load(EXAMPLE)
    assert Service.select().where(Service.status == "retired").count() == 0
    report = catalogue_file.load(EXAMPLE, retire_missing=True)
    assert report == {"services": {"created": 0, "updated": 0, "unchanged": 1, "retired": 44}}
    assert Service.select().where(Service.status != "retired").count() == 1
    assert catalogue_file.load(EXAMPLE, retire_missing=True)["services"]["retired"] == 0


def test_retire_missing_needs_services_in_the_files(loaded, files, tmp_path):
    path = files({"districts": [{"code": "AMB", "name_en": "Ambala", "name_hi": "अंबाला"}]})
    fails(path, (None, "catalogue_retire_needs_services"), retire_missing=True)
    csv = tmp_path / "districts.csv"
    csv.write_text("code,name_en,name_hi\nAMB,Ambala,अंबाला\n", encoding="utf-8")
    fails(csv, (None, "catalogue_retire_needs_services"), retire_missing=True)


# The round trip

def test_an_export_loads_back_changing_nothing(loaded, files):
    catalogue_file.load(EXAMPLE)
    ggm = District.get(District.code == "GGM")
    area = Area.create(district=ggm, code="GGM-MC", name_en="MC", name_hi="नि.", kind="municipal corporation")
    forms.set_places(Service.get(Service.code == "ULB-WASTE"), [(ggm, area), (District.get(District.code == "AMB"),
                                                                            None)])
    draft = Service.get(Service.code == "REV-INCOME-CERT")
    forms.save_form(draft, [{"key": "income", "type": "number", "label_en": "Income", "label_hi": "आय",
                             "decimals": 2, "min": 0}])
    exported = json.dumps(catalogue_json.export(), ensure_ascii=False)
    path = files(json.loads(exported))
    assert catalogue_file.preview(path, retire_missing=True) == []
    before = catalogue_rows()
    report = catalogue_file.load(path, retire_missing=True)
    assert all(counts["created"] == counts["updated"] == 0 for counts in report.values())
    assert catalogue_rows() == before
    assert json.dumps(catalogue_json.export(), ensure_ascii=False) == exported


def test_an_export_loads_into_an_empty_database(db, files):
    catalogue_file.load()
    catalogue_file.load(EXAMPLE)
    exported = catalogue_json.export()
    for model in (FormVersion, ServiceOffering, Service):
        model.delete().execute()
    report = catalogue_file.load(files(exported))
    assert report["services"]["created"] == 45
    assert catalogue_json.export() == exported


def test_an_upload_loads_as_a_file_does(loaded):
    upload = Upload("oxygen.json", EXAMPLE.read_bytes())
    assert catalogue_file.preview(upload) == [Change("services", OXYGEN, "create", ())]
    assert catalogue_file.load(upload)["services"]["created"] == 1
    with pytest.raises(CatalogueError) as error:
        catalogue_file.load(Upload("oxygen.txt", b"{}"))
    assert [(p.file, p.code) for p in error.value.problems] == [("oxygen.txt", "catalogue_file_unknown")]


# Bad files: all or nothing, every problem with its line

def test_every_problem_of_a_json_file_with_its_line_and_nothing_written(loaded, files):
    document = example()
    service = document["services"][0]
    service["offered_in"] = [{"district": "XYZ"}, {"district": "GGM", "area": "NOWHERE"}, "AMB"]
    service["form"][1]["key"] = "patient_name"  # a duplicate key
    service["form"][3]["choices"] = []
    service["form"][5]["min"] = "2021-01-02"
    service["form"][5]["max"] = "2021-01-01"
    service["form"][6]["max_kb"] = 99999
    document["services"].append({"code": "X", "department": "HLT", "name_en": "X", "name_hi": "X",
                                 "category": "c", "tat": "seven", "tat_unit": "hours", "colour": "red"})
    document["services"].append({"code": "Y", "department": "HLT", "name_en": "Y", "name_hi": "Y",
                                 "category": "c", "tat": 1, "tat_unit": "hours",
                                 "form": [{"key": "p", "type": "short_text", "label_en": "P", "label_hi": "P",
                                           "pattern": "(\\d)\\1", "pattern_message_en": "m",
                                           "pattern_message_hi": "m"}]})
    path = files(document)
    lines = path.read_text(encoding="utf-8").splitlines()

    def line_of(text, after=0):
        return next(n for n, line in enumerate(lines, 1) if n > after and text in line)

    service_line = line_of('"code": "HLT-COVID-OXYGEN-REFILL"') - 1
    form_lines = [n - 1 for n, line in enumerate(lines, 1) if '"key": "' in line and n > service_line][:8]
    problems = fails(
        path,
        (line_of('"offered_in": ['), "catalogue_offered_in_invalid"),  # "AMB", not a place: at its list
        (line_of('"district": "XYZ"') - 1, "catalogue_district_unknown"),
        (line_of('"area": "NOWHERE"') - 2, "catalogue_area_unknown"),
        (form_lines[1], "form_key_duplicate"),
        (form_lines[3], "form_choices_missing"),
        (form_lines[5], "form_min_above_max"),
        (form_lines[6], "form_document_over_limit"),
        (line_of('"code": "X"') - 1, "catalogue_column_unknown"),
        (line_of('"key": "p"') - 1, "form_pattern_unsupported"),
    )
    assert problems[3].params["number"] == 2 and problems[3].file == path.name


@pytest.mark.parametrize("text, line, code", [
    ('{"services": [\n  {"code": "A",}\n]}', 2, "catalogue_json_malformed"),
    ('[]', 1, "catalogue_json_not_object"),
    ('{\n"services": {}}', 1, "catalogue_section_not_list"),
    ('{\n"areas": []}', 1, "catalogue_section_unknown"),
    ('{"services": [\n 5]}', 1, "catalogue_entry_not_object"),
    ('{"districts": [\n{"code": "A", "code": "B", "name_en": "x", "name_hi": "y"}]}', 2,
     "catalogue_column_duplicate"),
    ('{"districts": [\n{"code": "A", "name_en": ["x"], "name_hi": "y"}]}', 2, "catalogue_value_type"),
    ('{"districts": [\n{"code": "A", "name_en": "x\\u0000", "name_hi": "y"}]}', 2, "catalogue_json_malformed"),
    ('{"districts": [\n{"code": "A", "name_en": "x"}]}', 2, "catalogue_column_missing"),
    ('{"districts": [\n{"code": "A", "name_en": "x", "name_hi": "y", "form": []}]}', 2, "catalogue_column_unknown"),
    # Nested past the decoder's recursion (a RecursionError), and just past the limit; brackets in strings do not count.
    ('{"services":\n' + "[" * 100_000 + "]" * 100_000 + "}", 2, "catalogue_json_too_deep"),
    ('{"services": [{"code": "[[[[", "form": [\n' + "[" * 30 + "]" * 30 + "]}]}", 2, "catalogue_json_too_deep"),
])
def test_an_unreadable_json_file_is_reported_not_a_crash(loaded, files, text, line, code):
    fails(files(text), (line, code))


def test_a_json_file_that_is_not_utf8(loaded, tmp_path):
    path = tmp_path / "latin.json"
    path.write_bytes('{"districts": [\n{"code": "A", "name_en": "Amb\u00e0la", "name_hi": "y"}]}'.encode("latin-1"))
    fails(path, (2, "catalogue_not_utf8"))


def test_a_failed_json_load_leaves_forms_and_places_as_they_were(loaded, files):
    catalogue_file.load(EXAMPLE)
    document = example()
    document["services"][0]["offered_in"] = "state"
    document["services"][0]["form"] = document["services"][0]["form"][:2]
    document["services"].append({"code": "BAD", "department": "NOPE", "name_en": "x", "name_hi": "y",
                                 "category": "c", "tat": 1, "tat_unit": "hours"})
    before = catalogue_rows()
    with pytest.raises(CatalogueError):
        catalogue_file.load(files(document))
    assert catalogue_rows() == before
