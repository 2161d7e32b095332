"""Persisted operations only (GRAPHQL_PERSISTED_ONLY): the server runs the app's own documents and nothing else.

Each file of graphql/operations/ is a document, known by the sha256 of its
bytes (`sha256sum graphql/operations/*.graphql`); the app names the operation
in it by `operationName`. A client sends the hash the way Apollo's and other
mobile clients do, `extensions.persistedQuery.sha256Hash`, with or without the
text: the server runs its own copy of the document, never text sent with a
hash. Text without a hash runs only when it is one of the documents, byte for
byte. Anything else is refused before it is parsed, so a stolen token cannot
explore the schema or send a costly query of its own.
"""
import dataclasses
import functools
import hashlib

from flask_babel import gettext

from ..config import ROOT

OPERATIONS_DIR = ROOT / "graphql" / "operations"
NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
REQUIRED = "PERSISTED_QUERY_REQUIRED"


class Refused(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message

    def response(self):
        """The answer's JSON, in GraphQL's shape, so that every client reads it as an error."""
        return {"data": None, "errors": [{"message": self.message, "extensions": {"code": self.code}}]}


def digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.cache
def documents(folder=OPERATIONS_DIR):
    """{sha256 of a document's bytes: its text}, read once per process (the files ship with the code)."""
    return {hashlib.sha256(path.read_bytes()).hexdigest(): path.read_text(encoding="utf-8")
            for path in sorted(folder.glob("*.graphql"))}


def resolve(data):
    """The request data (Strawberry's GraphQLRequestData) with the stored document as its query, or Refused."""
    persisted = (data.extensions or {}).get("persistedQuery")
    if persisted is not None:
        sha = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
        text = documents().get(str(sha).lower()) if isinstance(sha, str) else None
        if text is None:
            raise Refused(NOT_FOUND, gettext(
                "No operation of the app has this sha256Hash: update the app, or send one of the documents "
                "in graphql/operations/."))
        return dataclasses.replace(data, query=text)
    if data.query is not None and digest(data.query) in documents():
        return data
    raise Refused(REQUIRED, gettext(
        "This server runs only the app's own operations: send the sha256Hash of one of the documents in "
        "graphql/operations/ as extensions.persistedQuery."))
