"""graphql/ is the mobile team's contract: it must match the code."""
from pathlib import Path

from graphql import parse, validate

from backoffice.api.cli import SCHEMA_FILE
from backoffice.api.schema import schema, schema_sdl

OPERATIONS = sorted((SCHEMA_FILE.parent / "operations").glob("*.graphql"))


def test_schema_file_matches_the_code():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_sdl(), (
        f"{SCHEMA_FILE} is out of date: run `flask --app wsgi graphql export` and commit it")


def test_export_command_writes_the_schema(app, tmp_path):
    output = tmp_path / "schema.graphql"
    result = app.test_cli_runner().invoke(args=["graphql", "export", "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert output.read_text(encoding="utf-8") == schema_sdl()


def test_no_graphql_python_package_at_the_root():
    # A graphql/__init__.py would shadow graphql-core, which Strawberry imports as `graphql`.
    assert not list(SCHEMA_FILE.parent.rglob("*.py"))
    import graphql
    assert Path(graphql.__file__).parent != SCHEMA_FILE.parent


def test_no_database_ids_or_designations_are_exposed():
    for name, graphql_type in schema._schema.type_map.items():
        fields = getattr(graphql_type, "fields", {}) if not name.startswith("__") else {}
        for field in fields:
            assert field != "id" and "designat" not in field.lower(), f"{name}.{field}"


def test_operations_are_valid_against_the_schema():
    assert OPERATIONS, "no operation documents in graphql/operations/"
    for path in OPERATIONS:
        errors = validate(schema._schema, parse(path.read_text(encoding="utf-8")))
        assert not errors, f"{path.name}: {[e.message for e in errors]}"


def test_invalid_operation_is_caught():
    errors = validate(schema._schema, parse("query Broken { services { edges { node { id } } } }"))
    assert [e.message for e in errors] == ["Cannot query field 'id' on type 'Service'."]
