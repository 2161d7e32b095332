"""Loading catalogue CSV files: the bundled Haryana catalogue, upserts, and all-or-nothing failures."""
import csv
import io
import shutil
from decimal import Decimal

import pytest

from models import ALL_MODELS, Department, District, Service
from models import catalogue_file
from models.catalogue_file import CatalogueError
from tests.rows import snapshot

SERVICE_HEADER = "code,department,name_en,name_hi,category,tat,tat_unit"
# REV-SC-CERT with a new English and Hindi name and a time limit of 5 working days.
SC_CERT = SERVICE_HEADER + "\nREV-SC-CERT,REV,SC certificate,x,certificates,5,working_days\n"


def csv_line(*cells):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


def bundled_copy(tmp_path, **appended):
    """The bundled catalogue copied into tmp_path, `appended` lines added to the end of a file."""
    directory = tmp_path / "catalogue"
    shutil.copytree(catalogue_file.BUNDLED, directory)
    for kind, lines in appended.items():
        with open(directory / f"{kind}.csv", "a", encoding="utf-8") as f:
            f.write(lines)
    return directory


def write(directory, name, text, encoding="utf-8"):
    directory.mkdir(exist_ok=True)
    path = directory / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path




def problems_of(error):
    return [(p.file, p.line, p.code) for p in error.value.problems]


def fails(path, *expected):
    """Load `path`, which must fail with exactly the `expected` (file, line, code) and write nothing."""
    before = snapshot()
    with pytest.raises(CatalogueError) as error:
        catalogue_file.load(path)
    assert error.value.code == "catalogue_invalid"
    assert problems_of(error) == list(expected)
    assert snapshot() == before
    return error.value


# The bundled catalogue

def test_bundled_catalogue_loads(db):
    report = catalogue_file.load()
    assert report == {
        "districts": {"created": 22, "updated": 0, "unchanged": 0},
        "departments": {"created": 9, "updated": 0, "unchanged": 0},
        "designations": {"created": 32, "updated": 0, "unchanged": 0},
        "services": {"created": 44, "updated": 0, "unchanged": 0},
    }
    assert District.get(District.code == "MHG").headquarters == "Narnaul"
    assert District.get(District.code == "GGM").name_hi == "गुरुग्राम"
    assert Department.get(Department.code == "DHBVN").kind == "corporation"

    power = Service.get(Service.code == "DHBVN-SUPPLY-RESTORE")
    assert (power.tat_value, power.tat_unit, power.status) == (4, "hours", "published")
    assert power.name_hi == "बिजली आपूर्ति बहाली (शहरी)"
    officer = power.designated_officer
    assert (officer.name, officer.department.code) == ("Junior Engineer", "DHBVN")

    fard = Service.get(Service.code == "REV-FARD-COPY")
    assert (fard.tat_value, fard.tat_unit) == (1, "working_days")
    assert [p.name for p in (fard.designated_officer, fard.first_appellate, fard.second_appellate)] == [
        "Duty Patwari", "Tehsildar", "SDM"]
    assert fard.fee == 0

    income = Service.get(Service.code == "REV-INCOME-CERT")
    assert (income.tat_value, income.tat_unit, income.status) == (None, None, "draft")
    assert income.note == "time limit not found in public sources"
    assert Service.select().where(Service.status == "draft").count() == 6
    assert not Service.select().where(Service.status == "draft", Service.tat_value.is_null(False)).exists()


def test_posts_resolve_in_own_department_first_then_across(db):
    catalogue_file.load()
    waste = Service.get(Service.code == "ULB-WASTE")
    assert (waste.second_appellate.name, waste.second_appellate.department.code) == ("SDM", "REV")
    birth = Service.get(Service.code == "ULB-BD-COPY-MC-CUR")
    assert birth.first_appellate.department.code == "REV"
    assert birth.second_appellate.department.code == "REV"
    # ULB and DHBVN both have a Junior Engineer: each service gets its own.
    lights = Service.get(Service.code == "ULB-STREETLIGHT")
    assert lights.designated_officer.department.code == "ULB"


def test_a_post_of_the_own_department_wins_over_another(db, tmp_path):
    catalogue_file.load()
    directory = tmp_path / "own"
    write(directory, "designations.csv", "department,name,level\nULB,SDM,area\n")
    write(directory, "services.csv", "code,department,name_en,name_hi,category,tat,tat_unit,first_appellate\n"
                                     "ULB-WASTE,ULB,x,y,civic amenities,2,working_days,SDM\n")
    catalogue_file.load(directory)
    assert Service.get(Service.code == "ULB-WASTE").first_appellate.department.code == "ULB"


def test_loading_twice_changes_nothing(db):
    catalogue_file.load()
    before = snapshot()
    report = catalogue_file.load()
    assert {kind: counts["created"] + counts["updated"] for kind, counts in report.items()} == dict.fromkeys(
        catalogue_file.KINDS, 0)
    assert report["services"]["unchanged"] == 44
    assert snapshot() == before


# Upserts

def test_rows_absent_from_the_files_are_left_alone(db, tmp_path):
    catalogue_file.load()
    hansi = District.create(code="HNS", name_en="Hansi", name_hi="हांसी", division="Hisar")
    report = catalogue_file.load(write(tmp_path / "one", "services.csv", SC_CERT))
    assert report == {"services": {"created": 0, "updated": 1, "unchanged": 0}}
    assert Service.select().count() == 44
    assert District.get_by_id(hansi.id).name_en == "Hansi"
    assert Service.get(Service.code == "REV-BC-CERT").tat_value == 7


def test_only_the_columns_in_the_file_are_updated(db, tmp_path):
    catalogue_file.load()
    service = Service.get(Service.code == "REV-SC-CERT")
    service.description_en = "Written by an admin"
    service.fee = Decimal("10.00")
    service.status = "retired"
    service.save()
    loaded_at = service.updated_at

    catalogue_file.load(write(tmp_path / "one", "services.csv", SC_CERT))
    service = Service.get_by_id(service.id)
    assert (service.name_en, service.name_hi, service.tat_value) == ("SC certificate", "x", 5)
    admin_edits = ("Written by an admin", Decimal("10.00"), "retired")
    assert (service.description_en, service.fee, service.status) == admin_edits
    assert service.designated_officer.name == "Tehsildar"
    assert service.updated_at > loaded_at

    catalogue_file.load()  # the bundled file has neither description nor fee nor status
    service = Service.get_by_id(service.id)
    assert (service.name_en, service.tat_value) == ("Scheduled Caste certificate", 7)
    assert (service.description_en, service.fee, service.status) == admin_edits


def test_a_reload_keeps_a_draft_a_draft(db, tmp_path):
    catalogue_file.load()
    path = write(tmp_path / "one", "services.csv",
                 SERVICE_HEADER + "\nREV-INCOME-CERT,REV,Income certificate,आय,certificates,15,working_days\n")
    catalogue_file.load(path)
    income = Service.get(Service.code == "REV-INCOME-CERT")
    assert (income.tat_value, income.status) == (15, "draft")


def test_a_status_column_sets_the_status_and_the_optional_columns_load(db, tmp_path):
    catalogue_file.load()
    path = write(tmp_path / "one", "services.csv",
                 SERVICE_HEADER + ",status,fee,description_hi,designated_officer\n"
                 "REV-DEMARCATION,REV,Demarcation,निशानदेही,land records,45,working_days,retired,25.50,विवरण,\n"
                 "REV-INCOME-CERT,REV,Income certificate,आय,certificates,15,working_days,published,,,Tehsildar\n")
    assert catalogue_file.load(path)["services"]["updated"] == 2
    demarcation = Service.get(Service.code == "REV-DEMARCATION")
    assert (demarcation.status, demarcation.fee) == ("retired", Decimal("25.5"))
    assert demarcation.description_hi == "विवरण"
    assert demarcation.designated_officer is None
    income = Service.get(Service.code == "REV-INCOME-CERT")
    assert (income.status, income.fee, income.designated_officer.name) == ("published", 0, "Tehsildar")
    assert catalogue_file.load(path)["services"] == {"created": 0, "updated": 0, "unchanged": 2}


def test_one_load_creates_a_department_its_posts_and_services(db, tmp_path):
    directory = tmp_path / "new"
    write(directory, "departments.csv", "code,name_en,name_hi,kind\nHSVP,Urban Development,हशविप,board\n")
    write(directory, "designations.csv", "department,name,level,note\nHSVP,Estate Officer,district,\n")
    write(directory, "services.csv", SERVICE_HEADER + ",designated_officer\n"
                                     "HSVP-NOC,HSVP,No dues,अदेय,certificates,10,working_days,Estate Officer\n")
    report = catalogue_file.load(directory)
    assert {kind: counts["created"] for kind, counts in report.items()} == {
        "departments": 1, "designations": 1, "services": 1}
    service = Service.get(Service.code == "HSVP-NOC")
    assert service.department.kind == "board"
    assert (service.designated_officer.name, service.status) == ("Estate Officer", "published")


def test_a_file_may_use_a_bom_crlf_and_columns_in_any_order(db, tmp_path):
    path = write(tmp_path / "one", "districts.csv", "\ufeffname_hi,code,name_en\r\nहांसी,HNS,Hansi\r\n\r\n")
    assert catalogue_file.load(path) == {"districts": {"created": 1, "updated": 0, "unchanged": 0}}
    assert District.get(District.code == "HNS").name_hi == "हांसी"


# Bad rows: all or nothing, each reported with file, line and reason

def service(code="NEW-SERVICE", department="REV", tat="5", unit="working_days", post="Tehsildar",
            name_hi="नई सेवा"):
    return csv_line(code, department, "New service", name_hi, "certificates", tat, unit, post, "", "", "")


@pytest.mark.parametrize("row, code", [
    (service(department="XYZ"), "catalogue_department_unknown"),
    (service(tat="-3"), "service_time_limit_not_positive"),
    (service(tat="0"), "service_time_limit_not_positive"),
    (service(tat="4.5"), "catalogue_time_limit_not_integer"),
    (service(tat="seven"), "catalogue_time_limit_not_integer"),
    (service(tat="99999999999"), "service_time_limit_too_long_working_days"),
    (service(tat="366"), "service_time_limit_too_long_working_days"),
    (service(tat="721", unit="hours"), "service_time_limit_too_long_hours"),
    (service(code="a b 🙏 <x>"), "service_code_invalid"),
    (service(code="rev-x"), "service_code_invalid"),
    (service(unit="days"), "service_time_unit_unknown"),
    (service(unit=""), "service_time_limit_incomplete"),
    (service(tat=""), "service_time_limit_incomplete"),
    (service(code="REV-SC-CERT"), "catalogue_duplicate"),
    (service(name_hi=""), "catalogue_value_missing"),
    (service(code="X" * 41), "catalogue_value_too_long"),
    (service(post="Collector"), "catalogue_designation_unknown"),
    (service(post="Junior Engineer"), "catalogue_designation_ambiguous"),
    ("NEW-SERVICE,REV,New service,नई सेवा,certificates,5\n", "catalogue_row_width"),
])
def test_a_bad_last_row_of_the_last_file_loads_nothing(db, tmp_path, row, code):
    fails(bundled_copy(tmp_path, services=row), ("services.csv", 46, code))
    assert all(model.select().count() == 0 for model in ALL_MODELS)


@pytest.mark.parametrize("kind, row, line, code", [
    ("districts", "AMB,Ambala again,अंबाला,Ambala,Ambala\n", 24, "catalogue_duplicate"),
    ("districts", "HANSI-DISTRICT,Hansi,हांसी,Hisar,Hansi\n", 24, "catalogue_value_too_long"),
    ("departments", "EDU,Education,शिक्षा,ministry\n", 11, "catalogue_department_kind_unknown"),
    ("departments", "REV,Revenue,राजस्व,department\n", 11, "catalogue_duplicate"),
    ("designations", "XYZ,Clerk,area,\n", 34, "catalogue_department_unknown"),
    ("designations", "REV,Clerk,village,\n", 34, "catalogue_designation_level_unknown"),
    ("designations", "REV,Tehsildar,district,\n", 34, "catalogue_duplicate"),
    ("designations", "REV,,area,\n", 34, "catalogue_value_missing"),
])
def test_a_bad_row_in_an_earlier_file_loads_nothing(db, tmp_path, kind, row, line, code):
    fails(bundled_copy(tmp_path, **{kind: row}), (f"{kind}.csv", line, code))
    assert all(model.select().count() == 0 for model in ALL_MODELS)


def test_a_failed_load_leaves_a_loaded_database_as_it_was(db, tmp_path):
    catalogue_file.load()
    Service.update(name_en="Edited by an admin").where(Service.code == "REV-SC-CERT").execute()
    directory = bundled_copy(tmp_path, services=service(tat="-1"))
    error = fails(directory, ("services.csv", 46, "service_time_limit_not_positive"))
    assert error.problems[0].params == {"code": "NEW-SERVICE", "value": -1}
    assert Service.get(Service.code == "REV-SC-CERT").name_en == "Edited by an admin"


def test_a_service_cannot_be_published_without_time_limit(db, tmp_path):
    catalogue_file.load()
    row = "REV-NEW,REV,New service,नई सेवा,certificates,,,published\n"
    path = write(tmp_path / "one", "services.csv", SERVICE_HEADER + ",status\n" + row)
    fails(path, ("services.csv", 2, "service_published_without_time_limit"))


@pytest.mark.parametrize("cells, code", [
    ("5,working_days,offered,", "catalogue_status_unknown"),
    ("5,working_days,,", "catalogue_status_unknown"),
    ("5,working_days,draft,-10", "catalogue_fee_invalid"),
    ("5,working_days,draft,100000.01", "catalogue_fee_invalid"),
    ("5,working_days,draft,12.345", "catalogue_fee_invalid"),
    ("5,working_days,draft,free", "catalogue_fee_invalid"),
    ("5,working_days,draft,NaN", "catalogue_fee_invalid"),
])
def test_bad_status_and_fee(db, tmp_path, cells, code):
    catalogue_file.load()
    row = "REV-SC-CERT,REV,SC certificate,x,certificates," + cells
    path = write(tmp_path / "one", "services.csv", SERVICE_HEADER + ",status,fee\n" + row + "\n")
    fails(path, ("services.csv", 2, code))


def test_every_problem_is_reported_not_only_the_first(db, tmp_path):
    directory = tmp_path / "many"
    write(directory, "departments.csv", "code,name_en,name_hi,kind\nREV,Revenue,राजस्व,ministry\n")
    write(directory, "services.csv", SERVICE_HEADER + "\n"
          'A,REV,"A name\nover two lines",ए,certificates,1,hours\n'
          "B,HLT,B,बी,certificates,1,weeks\n"
          "C,REV,C,सी,certificates,0,hours\n"
          "A,REV,A,ए,certificates,1,hours\n")
    error = fails(directory,
                  ("departments.csv", 2, "catalogue_department_kind_unknown"),
                  ("services.csv", 4, "catalogue_department_unknown"),
                  ("services.csv", 4, "service_time_unit_unknown"),
                  ("services.csv", 5, "service_time_limit_not_positive"),
                  ("services.csv", 6, "catalogue_duplicate"))
    assert error.problems[-1].params == {"first_line": 2}


# Bad files and paths

@pytest.mark.parametrize("header, problems", [
    ("code,department,name_en,category,tat,tat_unit", [("catalogue_column_missing", "name_hi")]),
    (SERVICE_HEADER + ",colour", [("catalogue_column_unknown", "colour")]),
    (SERVICE_HEADER + ",note,note", [("catalogue_column_duplicate", "note")]),
    ("code,department,name,name_hi,category,tat", [
        ("catalogue_column_unknown", "name"),
        ("catalogue_column_missing", "name_en"),
        ("catalogue_column_missing", "tat_unit")]),
])
def test_a_wrong_column_set_loads_nothing(db, tmp_path, header, problems):
    directory = bundled_copy(tmp_path)
    rows = (directory / "services.csv").read_text(encoding="utf-8").split("\n", 1)[1]
    write(directory, "services.csv", header + "\n" + rows)
    error = fails(directory, *[("services.csv", 1, code) for code, _ in problems])
    assert [p.params["column"] for p in error.problems] == [column for _, column in problems]


@pytest.mark.parametrize("content, line, code", [
    ("code,name_en,name_hi\nAMB,Ambala,अंबाला\n".encode("utf-16"), 1, "catalogue_not_utf8"),
    (b"code,name_en,name_hi\nAMB,Ambala,x\nHSR,Hisar,\xe0\xa4\n", 3, "catalogue_not_utf8"),
    (b'code,name_en,name_hi\nAMB,"Ambala,x\n', 2, "catalogue_csv_malformed"),
    (b"code,name_en,name_hi\nAMB,Amb\x00ala,x\n", 2, "catalogue_csv_malformed"),
    (b"", 1, "catalogue_file_empty"),
    (b"\n\n", 1, "catalogue_file_empty"),
])
def test_an_unreadable_file_is_reported_not_a_crash(db, tmp_path, content, line, code):
    directory = bundled_copy(tmp_path)
    write(directory, "districts.csv", content)
    fails(directory, ("districts.csv", line, code))


def test_a_bad_path_is_reported(db, tmp_path):
    fails(tmp_path / "missing", (str(tmp_path / "missing"), None, "catalogue_path_missing"))
    fails(write(tmp_path, "areas.csv", "code\n"), ("areas.csv", None, "catalogue_file_unknown"))
    empty = tmp_path / "empty"
    empty.mkdir()
    fails(empty, (str(empty), None, "catalogue_no_files"))


def test_an_empty_time_limit_never_clears_one_an_admin_set(db):
    catalogue_file.load()
    service = Service.get(Service.code == "REV-INCOME-CERT")
    service.tat_value, service.tat_unit, service.status = 15, "working_days", "published"
    service.save()

    report = catalogue_file.load()
    assert report["services"]["created"] == 0 and report["services"]["updated"] == 0
    service = Service.get_by_id(service.id)
    assert (service.tat_value, service.tat_unit, service.status) == (15, "working_days", "published")
