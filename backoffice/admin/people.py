"""Officers, with their posts and role grants inline, and citizens (read-only)."""
import re

from flask_admin.contrib.peewee.filters import BooleanEqualFilter
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from wtforms import PasswordField
from wtforms.validators import ValidationError

from models import Citizen, Officer, Post, RoleGrant

from ..auth.reset import send_link
from . import labels, personal
from .base import ReadOnlyModelView, RelatedFilter, SecureModelView
from .catalogue import DesignationSelect
from .scoped import ScopedInline

MIN_PASSWORD_LENGTH = 10


class NewPasswordField(PasswordField):
    """Goes through Officer.set_password; the plain text is never copied onto the officer."""

    def populate_obj(self, obj, name):
        pass


# Validators word their errors with gettext, not lazily: Flask-Admin shows a
# field's errors only when they are plain strings.
def password_rules(form, field):
    if not field.data:
        return
    if len(field.data) < MIN_PASSWORD_LENGTH:
        raise ValidationError(_("Use at least %(num)d characters.", num=MIN_PASSWORD_LENGTH))
    if field.data.strip().lower() == (form.email.data or "").strip().lower():
        raise ValidationError(_("The password must not be the e-mail address."))


def email_address(form, field):
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", field.data or ""):
        raise ValidationError(_("Enter an e-mail address."))


def lower_stripped(value):
    return value.strip().lower() if isinstance(value, str) else value


class PostInline(ScopedInline):
    def on_model_change(self, form, post, is_created):
        # An area lies in a district already; naming both could contradict.
        if post.district_id is not None and post.area_id is not None:
            raise ValidationError(_("A post is in a district or in an area, not both."))
        super().on_model_change(form, post, is_created)


class GrantInline(ScopedInline):
    form_excluded_columns = ["granted_by", "granted_at"]  # Flask-Admin appends it to a list

    def on_model_change(self, form, grant, is_created):
        if is_created:
            grant.granted_by = current_user.id
        super().on_model_change(form, grant, is_created)


class OfficerView(SecureModelView):
    scoped_models = (Officer,)
    # Listed, not excluded: a column added later (a secret, say) stays off the screens until named here.
    column_list = ("name", "email", "department", "mobile", "language", "active", "last_login_at")
    column_details_list = (*column_list, "created_at")
    column_searchable_list = ("name", "email", "mobile")
    column_filters = (RelatedFilter(Officer.department), BooleanEqualFilter(Officer.active, labels.column("active")))
    column_default_sort = "name"
    form_columns = ("name", "email", "mobile", "department", "language", "active")
    form_extra_fields = {
        "password": NewPasswordField(
            _l("Password"), validators=[password_rules],
            description=_l("At least 10 characters, not the e-mail address. Leave it empty to keep "
                           "the current password, or for a new officer to choose his own from the welcome e-mail.")),
    }
    form_args = {
        "email": {
            "filters": [lower_stripped],
            "validators": [email_address],
        },
    }
    form_overrides = {"designation": DesignationSelect}
    inline_models = (PostInline(Post), GrantInline(RoleGrant))

    def on_model_change(self, form, officer, is_created):
        if form.password.data:
            officer.set_password(form.password.data)
        super().on_model_change(form, officer, is_created)

    def after_model_change(self, form, officer, is_created):
        # Still inside the save's transaction (SecureModelView.create_model):
        # no officer without his welcome mail, no mail for an officer not saved.
        # One created inactive can use 'forgot password' once he is let in.
        if is_created and officer.active:
            send_link(officer, "welcome")


class CitizenView(personal.PersonalSearch, ReadOnlyModelView):
    scoped_models = (Citizen,)
    column_list = ("name", "mobile", "email", "language", "district", "created_at")
    column_searchable_list = ("name",)
    searched_whole = (Citizen.mobile, Citizen.email)
    column_filters = (RelatedFilter(Citizen.district),)
    column_formatters = {"mobile": personal.contact, "email": personal.contact}
    # Not by mobile number or e-mail address: their order would give masked ones away.
    column_sortable_list = ("name", "language", "district", "created_at")
    column_default_sort = ("created_at", True)

    def rows(self, action="view"):
        return personal.with_in_full(super().rows(action), Citizen)
