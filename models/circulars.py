"""Circulars: an administrator's directions to the field officers he chooses.

A circular names its audience by department, district and designation (any
left empty matches all). It is addressed when published: one CircularRecipient
row for each officer reached then, so "who has not acknowledged" is a plain
query, and a later transfer or new post rewrites nobody's history. Who may
address whom is models/scope.py's rule; `publish` asks it.
"""
from collections import namedtuple

from peewee import BlobField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField, chunked

from . import scope
from .catalogue import Area, Department, Designation, District
from .db import BaseModel, database
from .errors import DomainError
from .people import Officer, Post
from .timeutil import utcnow

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# What an attachment may be, told by its first bytes: not by its name or the browser's word for its type.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
INSERT_BATCH = 500

Attachment = namedtuple("Attachment", "filename content")


class Circular(BaseModel):
    title_en = CharField(max_length=200)
    title_hi = CharField(max_length=200)
    body_en = TextField()
    body_hi = TextField()
    # The audience: an officer holding a post that matches every filter given.
    department = ForeignKeyField(Department, null=True, backref="+", on_delete="RESTRICT")
    district = ForeignKeyField(District, null=True, backref="+", on_delete="RESTRICT")
    designation = ForeignKeyField(Designation, null=True, backref="+", on_delete="RESTRICT")
    sent_by = ForeignKeyField(Officer, backref="+", on_delete="RESTRICT")
    sent_at = DateTimeField(default=utcnow, index=True)

    class Meta:
        table_name = "circular"

    def __str__(self):
        return self.title_en

    def title(self, language):
        return self.title_hi if language == "hi" else self.title_en

    def body(self, language):
        return self.body_hi if language == "hi" else self.body_en


class CircularAttachment(BaseModel):
    """A circular's file, in a table of its own so that listing circulars never reads the bytes."""
    circular = ForeignKeyField(Circular, unique=True, backref="attachments", on_delete="CASCADE")
    filename = CharField(max_length=200)
    content_type = CharField(max_length=100)
    size = IntegerField()
    content = BlobField()

    class Meta:
        table_name = "circular_attachment"


class CircularRecipient(BaseModel):
    circular = ForeignKeyField(Circular, backref="recipients", on_delete="CASCADE")
    officer = ForeignKeyField(Officer, backref="+", on_delete="RESTRICT")
    acknowledged_at = DateTimeField(null=True)

    class Meta:
        table_name = "circular_recipient"
        indexes = ((("circular", "officer"), True),)


def audience(department=None, district=None, designation=None):
    """The active officers a circular with these filters reaches (None: any), as a query.

    A post is in a district when it is the post's own district or its area's.
    A circular to a whole department also reaches the officers it employs who
    hold no post of its own (just appointed, or on deputation).
    """
    posts = Post.select(Post.officer).join(Designation, on=(Post.designation == Designation.id))
    if department is not None:
        posts = posts.where(Designation.department == department)
    if designation is not None:
        posts = posts.where(Post.designation == designation)
    if district is not None:
        areas = Area.select(Area.id).where(Area.district == district)
        posts = posts.where((Post.district == district) | Post.area.in_(areas))
    reached = Officer.id.in_(posts)
    if department is not None and district is None and designation is None:
        reached |= Officer.department == department
    return Officer.select().where(reached, Officer.active == True)  # noqa: E712


def publish(sender, *, title_en, title_hi, body_en, body_hi, department=None, district=None, designation=None,
            attachment=None, at=None):
    """Publish a circular to its audience, all or nothing; returns it.

    `attachment` is an Attachment (file name, bytes) or None. The sender is
    never among the recipients: he need not acknowledge his own directions.
    """
    circular = Circular(title_en=title_en.strip(), title_hi=title_hi.strip(), body_en=body_en.strip(),
                        body_hi=body_hi.strip(), department=department, district=district,
                        designation=designation, sent_by=sender, sent_at=at or utcnow())
    if not all((circular.title_en, circular.title_hi, circular.body_en, circular.body_hi)):
        raise DomainError("circular_incomplete")
    if not scope.may_create(sender, circular):
        raise DomainError("circular_audience_forbidden")
    file_fields = _checked_attachment(attachment) if attachment is not None else None
    with database.atomic():
        officers = [pk for (pk,) in audience(circular.department_id, circular.district_id, circular.designation_id)
                    .select(Officer.id).where(Officer.id != sender.id).tuples()]
        if not officers:
            raise DomainError("circular_audience_empty")
        circular.save()
        if file_fields:
            CircularAttachment.create(circular=circular, **file_fields)
        for batch in chunked(officers, INSERT_BATCH):
            CircularRecipient.insert_many([(circular.id, pk) for pk in batch],
                                          fields=[CircularRecipient.circular, CircularRecipient.officer]).execute()
    return circular


def _checked_attachment(attachment):
    content = attachment.content or b""
    # Only the name, whatever path a browser sends with it.
    filename = (attachment.filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200] or "attachment"
    if not content:
        raise DomainError("document_empty", filename=filename)
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise DomainError("document_too_large", filename=filename, max_mb=MAX_ATTACHMENT_BYTES // 2**20)
    content_type = next((kind for signature, kind in SIGNATURES if content.startswith(signature)), None)
    if content_type is None:
        raise DomainError("circular_attachment_type", filename=filename)
    return dict(filename=filename, content_type=content_type, size=len(content), content=content)


def addressed_to(officer):
    """The officer's CircularRecipient rows, each with its circular and sender: unread first, then newest first."""
    return (CircularRecipient.select(CircularRecipient, Circular, Officer)
            .join(Circular, on=(CircularRecipient.circular == Circular.id))
            .join(Officer, on=(Circular.sent_by == Officer.id))
            .where(CircularRecipient.officer == officer)
            .order_by(CircularRecipient.acknowledged_at.is_null(False), Circular.sent_at.desc(), Circular.id.desc()))


def unread(officer):
    """The circulars addressed to `officer` that he has not acknowledged, newest first."""
    waiting = CircularRecipient.select(CircularRecipient.circular).where(
        CircularRecipient.officer == officer, CircularRecipient.acknowledged_at.is_null())
    return Circular.select().where(Circular.id.in_(waiting)).order_by(Circular.sent_at.desc(), Circular.id.desc())


def acknowledge(officer, circular, at=None):
    """Record that `officer` has read `circular`; the first acknowledgement stands.

    Returns whether this one was the first.
    """
    recipient = CircularRecipient.get_or_none(circular=circular, officer=officer)
    if recipient is None:
        raise DomainError("circular_not_addressed")
    return bool(CircularRecipient.update(acknowledged_at=at or utcnow())
                .where(CircularRecipient.id == recipient.id, CircularRecipient.acknowledged_at.is_null())
                .execute())


def recipients(circular):
    """Its recipients with their officers, those who have not acknowledged first, then by name."""
    return (CircularRecipient.select(CircularRecipient, Officer)
            .join(Officer, on=(CircularRecipient.officer == Officer.id))
            .where(CircularRecipient.circular == circular)
            .order_by(CircularRecipient.acknowledged_at.is_null(False), Officer.name, Officer.id))
