"""Canned responses: the answers agents give again and again, in English and Hindi, kept by the agents.

The ticket screen offers each in the requester's language first; the agent
reads it over and edits it in the reply box before it goes.
"""
from peewee import CharField, DateTimeField, TextField

from .db import BaseModel
from .timeutil import utcnow


class CannedResponse(BaseModel):
    title = CharField(max_length=120, unique=True)  # what agents pick it by
    body_en = TextField()
    body_hi = TextField()
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "canned_response"

    def __str__(self):
        return self.title

    def body(self, language):
        """The text in `language` ("en" or "hi"), the other when that one is empty."""
        return (self.body_hi or self.body_en) if language == "hi" else (self.body_en or self.body_hi)
