"""Documents the app downloads: the one issued on delivery, and those the citizen attached to his application.

GraphQL names them (`Request.delivery`, `Request.documents`) with a `url`;
the bytes come from that URL, a plain GET with the same bearer token, so
that a PDF of megabytes never travels inside JSON. Who may download is the
admin's rule (backoffice/admin/requests.py): the citizen his own requests'
documents (models.scope.own); an officer those of the requests he sees
(models.scope.condition), and an attached document of a field marked personal
data only on a request he handles. Anyone else gets 404, as for a request
that does not exist; each download is written to the audit log.
"""
import datetime

import strawberry
from flask import abort, request, url_for

from models import (
    Citizen, Delivery, RequestDocument, ServiceRequest, audit, forms, request_documents, scope, tokens, tracking,
)

from .. import downloads
from .view import bearer_token, unauthenticated_response


@strawberry.type(description="A document to download: GET `url` with the bearer token.")
class DocumentFile:
    filename: str
    content_type: str
    size: int = strawberry.field(description="In bytes.")
    url: str


@strawberry.type(name="Delivery", description="What was issued on delivery: the document (a PDF), a note, or both.")
class DeliveryResult:
    delivered_at: datetime.datetime
    note: str
    document: DocumentFile | None


@strawberry.type(description="A document the citizen attached to his application, by the form field's key.")
class AttachedDocument:
    key: str
    document: DocumentFile


def _url(number, key=None):
    """The delivered document's address, or with `key` an attached one's."""
    if key is None:
        return url_for("api_delivered_document", number=number, _external=True)
    return url_for("api_attached_document", number=number, key=key, _external=True)


def delivery(request_id, number):
    """The request's DeliveryResult, or None; the document's bytes are not read."""
    row = (Delivery.select(*[f for f in Delivery._meta.sorted_fields if f is not Delivery.content])
           .where(Delivery.request == request_id).first())
    if row is None:
        return None
    document = DocumentFile(filename=row.filename or "document.pdf", content_type="application/pdf", size=row.size,
                            url=_url(number)) if row.sha256 else None
    return DeliveryResult(delivered_at=row.delivered_at.replace(tzinfo=datetime.timezone.utc), note=row.note,
                          document=document)


def attached(request_id, number):
    """The documents attached to the request, in the order of their keys; the bytes are not read."""
    rows = (RequestDocument.select(RequestDocument.key, RequestDocument.filename, RequestDocument.content_type,
                                   RequestDocument.size)
            .where(RequestDocument.request == request_id).order_by(RequestDocument.key))
    return [AttachedDocument(key=r.key, document=DocumentFile(filename=r.filename, content_type=r.content_type,
                                                                size=r.size, url=_url(number, r.key)))
            for r in rows]


def _request(viewer, number):
    """The request by its number if the viewer may see it, else None: missing and not his look alike."""
    where = scope.own(viewer, ServiceRequest) if isinstance(viewer, Citizen) else scope.condition(
        viewer, ServiceRequest)
    canonical = tracking.normalize(number)
    return ServiceRequest.select().where(where, ServiceRequest.tracking_number == canonical).first() if (
        canonical) else None


def _delivered(row):
    """(the Delivery with a document, its file name, its type), or None."""
    found = Delivery.get_or_none(Delivery.request == row.id, Delivery.content.is_null(False))
    return found and (found, found.filename or "document.pdf", "application/pdf")


def _attached(row, officer, key):
    """(the RequestDocument answering `key`, its file name, its type), or None; a field marked personal data
    opens for the citizen and those handling the request only, as its answer is shown."""
    version = row.form_version if row.form_version_id else None
    answer = next((a for a in forms.labelled(version, row.form_values) if a.key == key and a.field), None)
    found = answer and request_documents.document(row, key)
    if not found or (answer.sensitive and officer is not None and not scope.handles(officer, row)):
        return None
    return found, found.filename, found.content_type


def download(number, key=None):
    """GET /api/documents/<number>/delivered, or /attached/<key>: the delivered document, or an attached one."""
    viewer = tokens.holder(bearer_token(request))
    if viewer is None:
        return unauthenticated_response()
    row = _request(viewer, number)
    # A citizen has no officer's row in the audit log: the request names him.
    officer = None if isinstance(viewer, Citizen) else viewer
    found = row and (_delivered(row) if key is None else _attached(row, officer, key))
    if not found:
        abort(404)
    document, name, content_type = found
    what = "delivered document" if key is None else "attached document"
    audit.record_view(officer, document, f"{what}, from the app" + (" by the citizen" if officer is None else ""))
    return downloads.download(bytes(document.content), content_type, name, "document")
