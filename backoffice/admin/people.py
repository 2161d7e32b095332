"""Officers, with their posts and role grants inline, and citizens (read-only).

An administrator moves all of an officer's open requests to another holder of
the post from the officer's row (leave, transfer, a charge handed over):
models.routing.move_open_requests decides and records it.
"""
import re

from flask import flash, redirect, request
from flask_admin import expose
from flask_admin.babel import gettext as admin_gettext
from flask_admin.contrib.peewee.filters import BooleanEqualFilter
from flask_admin.form import SecureForm
from flask_admin.helpers import get_redirect_target
from flask_admin.model.template import LinkRowAction
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from flask_login import current_user
from wtforms import PasswordField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from backoffice.messages import describe
from models import Citizen, Designation, DomainError, Officer, Post, RoleGrant, Service, ServiceRequest, routing, scope

from ..auth.reset import send_link
from . import labels, personal
from .base import ReadOnlyModelView, RelatedFilter, SecureModelView
from .catalogue import DesignationSelect
from .ids import row_id
from .scoped import ScopedInline, viewer

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
    column_list = ("name", "email", "department", "mobile", "language", "active", "on_leave", "last_login_at")
    column_details_list = (*column_list, "created_at")
    column_searchable_list = ("name", "email", "mobile")
    column_filters = (RelatedFilter(Officer.department), BooleanEqualFilter(Officer.active, labels.column("active")),
                      BooleanEqualFilter(Officer.on_leave, labels.column("on_leave")))
    column_default_sort = "name"
    form_columns = ("name", "email", "mobile", "department", "language", "active", "on_leave")
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

    def get_list_row_actions(self):
        return [*super().get_list_row_actions(),
                LinkRowAction("fa fa-exchange", self.move_url, _("Move open requests"))]

    def move_url(self, action, row_id, row):
        return self.get_url(".move_view", id=row_id, url=request.full_path)

    @expose("/move/", methods=("GET", "POST"))
    def move_view(self):
        """An officer's open requests, all or one post's, to another holder of the post."""
        return_url = get_redirect_target() or self.get_url(".index_view")
        leaving = scope.get(viewer(), Officer, row_id(request.args.get("id")))
        if leaving is None:
            # Outside his scope reads as missing, as on the other pages.
            flash(admin_gettext("Record does not exist."), "error")
            return redirect(return_url)
        form = move_form(leaving)
        if request.method == "POST" and form.validate():
            taking = Officer.get_by_id(form.to_officer.data)
            try:
                moved = routing.move_open_requests(leaving, taking, viewer(), note=form.note.data or "",
                                                   designation=form.designation.data or None)
            except DomainError as error:
                flash(describe(error), "error")
            else:
                flash(ngettext("%(num)d open request moved to %(name)s.", "%(num)d open requests moved to %(name)s.",
                               moved, name=taking.name), "success")
                return redirect(return_url)
        if form.csrf_token.errors:
            # Not a field of the form to show it under.
            flash(_("The form had expired or did not come from this site. Please try again."), "error")
        count = routing.open_counts([leaving]).get(leaving.id, 0)
        return self.render("admin/officer_move.html", form=form, leaving=leaving, count=count, return_url=return_url)


class MoveForm(SecureForm):
    designation = SelectField(_l("Requests of the post"), coerce=int)
    to_officer = SelectField(_l("Move them to"), coerce=int, validators=[InputRequired()])
    note = TextAreaField(_l("Note"), validators=[Length(max=1000)],
                         description=_l("Why they move (leave, transfer, a charge handed over); "
                                        "it goes into each request's history."))


def move_form(leaving):
    """The move form for `leaving`'s open requests, its choices within the viewer's scope.

    The posts are those of his open requests; the officers those the viewer
    sees who are at work and hold one of those posts somewhere. Whether one
    covers every request's place is for models.routing to say.
    """
    designations = (Service.select(Service.designated_officer)
                    .join(ServiceRequest, on=(ServiceRequest.service == Service.id))
                    .where(ServiceRequest.assigned_officer == leaving.id,
                           ServiceRequest.status.not_in(routing.CLOSED)))
    posts = list(Designation.select().where(Designation.id.in_(designations)).order_by(Designation.name))
    holders = Post.select(Post.officer).where(Post.designation.in_([d.id for d in posts]))
    officers = (scope.rows(viewer(), Officer)
                .where(Officer.id != leaving.id, Officer.id.in_(holders), routing.available())
                .order_by(Officer.name, Officer.id))
    form = MoveForm(request.form if request.method == "POST" else None)
    form.designation.choices = [(0, _("All his open requests"))] + [(d.id, str(d)) for d in posts]
    form.to_officer.choices = [(o.id, str(o)) for o in officers]
    return form


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
