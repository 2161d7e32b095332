"""`flask --app wsgi catalogue load [PATH] [--if-empty]`."""
from models import Department, Service, database


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
