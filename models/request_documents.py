"""The documents a citizen attached to his application: kept with the request, bytes and all.

The form's check (form_fields.validate_submission) decides a document by its
bytes and describes it in the request's answers (name, type, size, SHA-256);
this keeps the bytes beside them, in the database as a delivered document is
(every app server serves it, every backup holds it). Who may open one is
models/scope.py's rule for personal data: those handling the request.
"""
from peewee import BlobField, CharField, ForeignKeyField, IntegerField

from .db import BaseModel
from .requests import ServiceRequest


class RequestDocument(BaseModel):
    """One attached document: the answer to the form's document field `key`."""
    request = ForeignKeyField(ServiceRequest, backref="documents", on_delete="CASCADE")
    key = CharField(max_length=40)
    filename = CharField(max_length=200)
    content_type = CharField(max_length=100)
    size = IntegerField()
    sha256 = CharField(max_length=64)
    content = BlobField()

    class Meta:
        table_name = "request_document"
        indexes = ((("request", "key"), True),)

    def __str__(self):
        return self.filename


def keep(request, answers, documents):
    """Store the `documents` (by key) whose checked description is among the request's clean `answers`."""
    for key, document in (documents or {}).items():
        described = answers.get(key)
        if isinstance(described, dict) and "sha256" in described:
            RequestDocument.create(request=request, key=key, filename=described["filename"],
                                   content_type=described["content_type"], size=described["size"],
                                   sha256=described["sha256"], content=document.content)


def document(request, key):
    """The request's document for field `key`, or None."""
    return RequestDocument.get_or_none(RequestDocument.request == request, RequestDocument.key == key)
