"""`flask --app wsgi catalogue load [PATH] [--if-empty] [--dry-run] [--retire-missing]` and `catalogue export`."""
import json

from models import Department, FormVersion, Service, ServiceOffering, database
from tests.rows import snapshot


def load(app, *args):
    return app.test_cli_runner().invoke(args=["catalogue", "load", *args])


def count(model):
    with database.connection_context():
        return model.select().count()


def test_load_the_bundled_catalogue_then_again(app):
    result = load(app)
    assert result.exit_code == 0, result.output
    assert "services: 44 created, 0 updated, 0 unchanged" in result.output
    assert "6 service(s) have no time limit" in result.output

    result = load(app)
    assert result.exit_code == 0, result.output
    assert "districts: 0 created, 0 updated, 22 unchanged" in result.output
    assert "services: 0 created, 0 updated, 44 unchanged" in result.output


def test_if_empty_loads_into_an_empty_database_only(app):
    result = load(app, "--if-empty")
    assert result.exit_code == 0, result.output
    assert count(Service) == 44

    with database.connection_context():
        Service.update(name_en="Edited by an admin").where(Service.code == "REV-SC-CERT").execute()
    result = load(app, "--if-empty")
    assert result.exit_code == 0, result.output
    assert "nothing loaded (--if-empty)" in result.output
    with database.connection_context():
        assert Service.get(Service.code == "REV-SC-CERT").name_en == "Edited by an admin"


def test_a_bad_file_exits_1_lists_every_problem_and_writes_nothing(app, tmp_path):
    (tmp_path / "departments.csv").write_text("code,name_en,name_hi\nEDU,Education,शिक्षा\n", encoding="utf-8")
    (tmp_path / "services.csv").write_text(
        "code,department,name_en,name_hi,category,tat,tat_unit\n"
        "EDU-TC,EDU,Transfer certificate,स्थानांतरण प्रमाण पत्र,certificates,7,working_days\n"
        "X-1,XYZ,Something,कुछ,certificates,-2,hours\n", encoding="utf-8")
    result = load(app, str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "services.csv:3: Unknown department XYZ.",
        "services.csv:3: Service X-1: the time limit must be a positive number, not -2.",
        "The catalogue has 2 problem(s); nothing was loaded.",
    ]
    assert count(Department) == 0 and count(Service) == 0


def test_a_missing_path_exits_1(app, tmp_path):
    result = load(app, str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert f"{tmp_path / 'nowhere'}: No such file or directory." in result.stderr


def test_every_problem_is_worded(app, tmp_path):
    (tmp_path / "departments.csv").write_text("code,name_en,name_hi,kind\nEDU,Education,शिक्षा,ministry\n")
    (tmp_path / "designations.csv").write_text("department,name,level\nXYZ,Clerk,village\nEDU,Clerk,area\n")
    (tmp_path / "districts.csv").write_bytes(b"code,name_en,name_hi\nAMB,Amb\xe0la,x\n")
    (tmp_path / "services.csv").write_text(
        "code,department,name_en,name_hi,category,tat,tat_unit,designated_officer,fee,status\n"
        "A,EDU,A,ए,certificates,seven,hours,Principal,free,offered\n"
        "A,EDU,,ए,certificates,99999999999,days,,,draft\n"
        "B,EDU,B,बी,certificates,,,,,published\n"
        "C,EDU,C,सी,certificates,1,hours\n")
    result = load(app, str(tmp_path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 14
    assert not [line for line in lines if "catalogue_" in line or "service_" in line]


# JSON catalogues, the dry run, retiring the missing, the export

EXAMPLE = "catalogue/examples/oxygen-refill.json"


def rows():
    """The catalogue's rows, to show that a command wrote nothing."""
    with database.connection_context():
        return snapshot((Department, Service, ServiceOffering, FormVersion))


def test_a_dry_run_prints_what_would_change_and_writes_nothing(app):
    load(app)
    before = rows()
    result = load(app, EXAMPLE, "--dry-run", "--retire-missing")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "would create service HLT-COVID-OXYGEN-REFILL"
    assert "would retire service REV-SC-CERT" in lines
    assert lines[-1] == "dry run: 1 to create, 0 to change, 44 to retire; nothing was written"
    assert rows() == before


def test_a_json_catalogue_loads_then_reports_unchanged(app):
    load(app)
    result = load(app, EXAMPLE)
    assert result.exit_code == 0, result.output
    assert "services: 1 created, 0 updated, 0 unchanged" in result.output
    with database.connection_context():
        assert FormVersion.select().count() == 1 and ServiceOffering.select().count() == 3
    result = load(app, EXAMPLE, "--dry-run")
    assert result.output == "dry run: 0 to create, 0 to change, 0 to retire; nothing was written\n"


def test_retire_missing(app):
    load(app)
    result = load(app, EXAMPLE, "--retire-missing")
    assert result.exit_code == 0, result.output
    assert "services: 1 created, 0 updated, 0 unchanged, 44 retired" in result.output
    with database.connection_context():
        assert Service.select().where(Service.status != "retired").count() == 1
    result = load(app, EXAMPLE)  # without the option the others are left alone
    assert "services: 0 created, 0 updated, 1 unchanged" in result.output


def test_the_export_loads_back_with_no_changes(app, tmp_path):
    load(app)
    load(app, EXAMPLE)
    path = tmp_path / "catalogue.json"
    result = app.test_cli_runner().invoke(args=["catalogue", "export", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    before = rows()
    result = load(app, str(path), "--dry-run", "--retire-missing")
    assert result.output == "dry run: 0 to create, 0 to change, 0 to retire; nothing was written\n"
    result = load(app, str(path), "--retire-missing")
    assert "services: 0 created, 0 updated, 45 unchanged, 0 retired" in result.output
    assert rows() == before

    printed = app.test_cli_runner().invoke(args=["catalogue", "export"])
    assert printed.exit_code == 0
    assert json.loads(printed.stdout) == json.loads(path.read_text(encoding="utf-8"))


def test_the_demos_illustrative_limits_are_not_exported_as_notified_ones(app, tmp_path, monkeypatch):
    load(app)
    pristine = rows()
    monkeypatch.setenv("DEMO_PASSWORD", "kesari mango rickshaw")
    assert app.test_cli_runner().invoke(args=["demo", "load", "--requests", "20"]).exit_code == 0
    with database.connection_context():
        demo_limited = Service.get(Service.code == "REV-INCOME-CERT")
    assert demo_limited.tat_is_demo and demo_limited.status == "published"
    path = tmp_path / "catalogue.json"
    assert app.test_cli_runner().invoke(args=["catalogue", "export", str(path)]).exit_code == 0
    exported = next(s for s in json.loads(path.read_text(encoding="utf-8"))["services"]
                    if s["code"] == "REV-INCOME-CERT")
    assert exported["tat"] is None and exported["tat_unit"] is None and "status" not in exported
    # With the demo still loaded its own export changes nothing ...
    with_demo = rows()
    result = load(app, str(path))
    assert result.exit_code == 0 and "0 updated" in result.output.split("services:")[1], result.output
    assert rows() == with_demo
    # ... and once it is gone, no illustrative limit comes back as a real one.
    assert app.test_cli_runner().invoke(args=["demo", "remove"]).exit_code == 0
    assert load(app, str(path)).exit_code == 0
    assert rows() == pristine


def test_a_bad_json_file_exits_1_lists_every_problem_and_writes_nothing(app, tmp_path):
    load(app)
    before = rows()
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"services": [
        {"code": "X", "department": "HLT", "name_en": "X", "name_hi": "एक्स", "category": "c", "tat": 1,
         "tat_unit": "hours", "offered_in": [{"district": "XYZ"}],
         "form": [{"key": "a", "type": "single_choice", "label_en": "A", "label_hi": "ए"},
                  {"key": "a", "type": "number", "label_en": "B", "label_hi": "बी", "min": 2, "max": 1}]},
    ]}, ensure_ascii=False, indent=2), encoding="utf-8")
    for extra in ((), ("--dry-run",)):
        result = load(app, str(path), *extra)
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [
            "bad.json:12: Unknown district XYZ.",
            "bad.json:17: Field 1 (a): a choice field needs its choices.",
            "bad.json:23: Field 2: the key a is already that of field 1.",
            "bad.json:23: Field 2 (a): the minimum 2 is greater than the maximum 1.",
            "The catalogue has 4 problem(s); nothing was loaded.",
        ]
    assert rows() == before


def test_a_json_file_nested_too_deeply_is_a_problem_not_a_traceback(app, tmp_path):
    load(app)
    before = rows()
    path = tmp_path / "deep.json"
    path.write_text('{"services":\n' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    result = load(app, str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "deep.json:2: The file nests lists and objects more than 32 levels deep.",
        "The catalogue has 1 problem(s); nothing was loaded.",
    ]
    assert rows() == before


def test_an_export_to_a_folder_that_does_not_exist_is_said_not_a_traceback(app, tmp_path):
    path = tmp_path / "nowhere" / "x.json"
    result = app.test_cli_runner().invoke(args=["catalogue", "export", str(path)])
    assert result.exit_code == 1 and not isinstance(result.exception, OSError)
    assert f"{path} cannot be written (No such file or directory); nothing was written." in result.output
