"""Calling the mobile app's GraphQL API as the app does: a bearer token, the code from the development SMS."""
import io
import json
import re

from models import DevelopmentSms, database

REQUEST_CODE = """mutation RequestLoginCode($mobile: String!) {
  requestLoginCode(mobile: $mobile) {
    __typename
    ... on LoginCodeSent { expiresAt resendAfterSeconds }
    ... on Problem { code message }
  }
}"""
LOG_IN = """mutation LogIn($mobile: String!, $code: String!) {
  logIn(mobile: $mobile, code: $code) {
    __typename
    ... on CitizenSession { token expiresAt me { mobile language } }
    ... on Problem { code message }
  }
}"""
OFFICER_LOG_IN = """mutation OfficerLogIn($email: String!, $password: String!, $code: String) {
  officerLogIn(email: $email, password: $password, code: $code) {
    __typename
    ... on OfficerSession { token expiresAt officer { name email } }
    ... on Problem { code message }
  }
}"""
ME = "{ me { name mobile language } }"


def call(client, query, token=None, language=None, **variables):
    """The whole JSON answer to one operation (HTTP 200 asserted)."""
    headers = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if language:
        headers["Accept-Language"] = language
    response = client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def ok(client, query, token=None, language=None, **variables):
    """The data of an operation that must not fail."""
    body = call(client, query, token, language, **variables)
    assert "errors" not in body, body["errors"]
    return body["data"]


def error_code(body):
    [error] = body["errors"]
    return error["extensions"]["code"]


def sent_code(mobile):
    """The code in the latest SMS the development backend 'sent' to `mobile` (10 digits)."""
    with database.connection_context():
        sms = DevelopmentSms.select().where(DevelopmentSms.mobile == mobile).order_by(DevelopmentSms.id.desc()).first()
    assert sms is not None, f"no SMS to {mobile}"
    return re.search(r"\b(\d{6})\b", sms.text).group(1)


def ask_code(client, mobile, language=None):
    return ok(client, REQUEST_CODE, language=language, mobile=mobile)["requestLoginCode"]


def log_in(client, mobile, code, language=None):
    return ok(client, LOG_IN, language=language, mobile=mobile, code=code)["logIn"]


def citizen_token(client, mobile="9812300001"):
    """A citizen's bearer token, got as the app gets it."""
    assert ask_code(client, mobile)["__typename"] == "LoginCodeSent"
    session = log_in(client, mobile, sent_code(mobile))
    assert session["__typename"] == "CitizenSession", session
    return session["token"]


def officer_token(client, email, password, code=None):
    session = ok(client, OFFICER_LOG_IN, email=email, password=password, code=code)["officerLogIn"]
    assert session["__typename"] == "OfficerSession", session
    return session["token"]


def operation(name):
    """The app's document for operation `name` (graphql/operations/), alone with the fragments it uses."""
    from graphql import parse, print_ast
    from graphql.utilities import separate_operations

    from backoffice.api.cli import SCHEMA_FILE
    for path in sorted((SCHEMA_FILE.parent / "operations").glob("*.graphql")):
        found = separate_operations(parse(path.read_text(encoding="utf-8"))).get(name)
        if found is not None:
            return print_ast(found)
    raise LookupError(f"no operation {name} in graphql/operations/")


def call_with_files(client, query, token=None, files=None, language=None, body=None, **variables):
    """One operation as a GraphQL multipart request: `files` maps a variable's path (``input.documents.0.file``)
    to (file name, bytes, content type), `body` is more of the operation's JSON (operationName, extensions);
    the HTTP status and the whole JSON answer."""
    files = files or {}
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if language:
        headers["Accept-Language"] = language
    data = {"operations": json.dumps({"query": query, "variables": variables, **(body or {})}),
            "map": json.dumps({str(n): [f"variables.{path}"] for n, path in enumerate(files)})}
    for n, (name, content, content_type) in enumerate(files.values()):
        data[str(n)] = (io.BytesIO(content), name, content_type)
    response = client.post("/graphql", data=data, headers=headers, content_type="multipart/form-data")
    return response.status_code, response.get_json()
