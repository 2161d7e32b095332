"""Admin forms that cannot reach past the officer's scope (models/scope.py).

A foreign key's select lists only the rows he may point it at, so a forged id
on submit is "Not a valid choice". A saved row, and each row edited inline with
it (an officer's posts and role grants), must be one he may create or change;
an inline row is deleted only if he may delete it.
"""
from flask_admin.model.form import InlineFormAdmin
from flask_babel import gettext as _
from flask_login import current_user
from wtfpeewee.fields import SelectQueryField
from wtforms.utils import unset_value
from wtforms.validators import ValidationError

from models import scope

from . import labels
from .ids import row_id


def viewer():
    """The officer the request acts for: the object itself, on which models.scope caches his jurisdiction."""
    return current_user._get_current_object()


class ScopedSelect(SelectQueryField):
    """The rows the officer may point the foreign key `column` at (optionally from `query`, for its order)."""

    def __init__(self, label=None, validators=None, column=None, query=None, **kwargs):
        query = column.rel_model.select() if query is None else query
        super().__init__(label, validators, query=query.where(scope.targets(viewer(), column)), **kwargs)

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        # Saved back as it is, a value he could not choose himself (an officer's
        # post in another department) changes nothing, so it stays a choice.
        if isinstance(self.object_data, self.model):
            self.query = self.query.orwhere(self.model._meta.primary_key == self.object_data._pk)


def refuse_outside(row, is_created):
    """Raise unless the officer may save `row`: placed in his one jurisdiction if new."""
    officer = viewer()
    if is_created:
        scope.place(officer, row)
    if not (scope.may_create(officer, row) if is_created else scope.may_change(officer, row)):
        raise ValidationError(_("Not saved: this would put the row outside your jurisdiction."))


def refuse_inline_deletes(form):
    """Raise if the form deletes an inline row the officer may not delete."""
    for field in form:
        if field.type != "InlineModelFormList":
            continue
        for entry in field.entries:
            pk = row_id(entry.get_pk())
            # An id that is not a number names no row, and Flask-Admin adds such an entry as new.
            if field.should_delete(entry) and pk and scope.get(viewer(), field.model, pk, "delete") is None:
                raise ValidationError(_("Not saved: you may not remove one of these %(kind)s.",
                                        kind=labels.row_kind(field.model)))


class ScopedInline(InlineFormAdmin):
    """An inline row is saved only as models.scope allows."""

    def on_model_change(self, form, row, is_created):
        refuse_outside(row, is_created)
