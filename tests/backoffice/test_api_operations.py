"""Every operation the mobile app sends runs against the catalogue without errors."""
import pytest
from graphql import OperationDefinitionNode, parse

from tests.backoffice.test_api_schema import OPERATIONS

# Variables for the operations that need some; the others run with none.
VARIABLES = {
    "Services": {"department": "REV", "search": "प्रमाण पत्र", "first": 2},
    "Service": {"code": "DHBVN-SUPPLY-RESTORE"},
}


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


@pytest.mark.parametrize("document, name", operations())
def test_operation_runs(client, catalogue, document, name):
    response = client.post("/graphql", json={
        "query": document, "operationName": name, "variables": VARIABLES.get(name, {})})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert "errors" not in body, body["errors"]
    [result] = body["data"].values()
    assert result, f"{name} found nothing in the catalogue"
