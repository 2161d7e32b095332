"""Circulars: administrators publish them and follow who has acknowledged; every officer reads his own.

The "Circulars" screen is the administrators' (in their menu): the list, a
publish form whose audience choices are those models.scope.addressable
allows, and a details page with the recipients, those who have not
acknowledged first. "My circulars" is every officer's: his circulars, unread
first, each acknowledged with a button. After log-in an officer with unread
circulars lands there (backoffice/auth/login.py).
"""
from flask import abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_admin.form import SecureForm
from flask_admin.helpers import get_form_data
from flask_babel import get_locale, gettext as _, lazy_gettext as _l, ngettext
from markupsafe import Markup
from peewee import fn
from wtforms import FileField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from backoffice.messages import describe
from models import Department, Designation, District, DomainError, audit, circulars, database, scope
from models.circulars import Circular, CircularAttachment, CircularRecipient

from . import labels
from .base import ReadOnlyModelView, RelatedFilter, SecureViewMixin, may_enter
from .ids import row_id
from .scoped import viewer
from ..auth.forms import flash_errors
from ..auth.login import safe_next
from ..downloads import download

COLUMNS = {
    **labels.COLUMNS,
    "title_en": _l("Title (English)"),
    "title_hi": _l("Title (Hindi)"),
    "body_en": _l("Text (English)"),
    "body_hi": _l("Text (Hindi)"),
    "sent_by": _l("Sent by"),
    "acknowledged": _l("Acknowledged"),
    "attachment": _l("Attachment"),
}
ANY = 0  # the blank choice of an audience filter: any department, district or designation


def acknowledged(view, context, row, name):
    return _("%(done)d of %(all)d", done=row.acknowledged_count, all=row.recipient_count)


def acknowledged_export(view, context, row, name):
    return f"{row.acknowledged_count}/{row.recipient_count}"


def paragraphs(view, context, row, name):
    # The text as written, its lines kept.
    return Markup('<div style="white-space: pre-line">{}</div>').format(getattr(row, name))


def designation_name(view, context, row, name):
    # The name alone: Designation's str() would read its department once per row.
    return row.designation.name if row.designation_id else ""


class CircularView(ReadOnlyModelView):
    scoped_models = (Circular, CircularRecipient, CircularAttachment)
    column_list = ("sent_at", "title_en", "title_hi", "department", "district", "designation", "sent_by",
                   "acknowledged")
    column_details_list = ("sent_at", "sent_by", "title_en", "title_hi", "body_en", "body_hi", "department",
                           "district", "designation", "acknowledged")
    column_labels = COLUMNS
    column_searchable_list = ("title_en", "title_hi")
    column_filters = (RelatedFilter(Circular.department), RelatedFilter(Circular.district))
    column_sortable_list = ("sent_at",)
    column_default_sort = ("sent_at", True)
    column_formatters = {"acknowledged": acknowledged, "designation": designation_name}
    column_formatters_detail = {**column_formatters, "body_en": paragraphs, "body_hi": paragraphs}
    column_formatters_export = {**column_formatters, "acknowledged": acknowledged_export}
    list_template = "admin/circular_list.html"
    details_template = "admin/circular_details.html"

    # Its recipients reach their circulars on this screen too (the attachment
    # link), but read them under "My circulars": the menu entry is the senders'.
    def is_visible(self):
        return may_enter() and scope.jurisdiction(viewer()).administers

    def rows(self, action="view"):
        # Each circular with its counts of recipients, read with it; only the
        # recipients the officer sees are counted.
        counted = (CircularRecipient.select(fn.COUNT(CircularRecipient.id))
                   .where(CircularRecipient.circular == Circular.id,
                          scope.condition(viewer(), CircularRecipient)))
        return super().rows(action).select_extend(
            counted.alias("recipient_count"),
            counted.where(CircularRecipient.acknowledged_at.is_null(False)).alias("acknowledged_count"))

    @property
    def may_publish(self):
        return scope.offers(viewer(), Circular, "create")

    def render(self, template, **kwargs):
        if template == self.details_template:
            row = kwargs["model"]
            kwargs.update(recipients=list(circulars.recipients(row).where(
                scope.condition(viewer(), CircularRecipient))), attachment=attachment_of(row))
        return super().render(template, **kwargs)

    @expose("/publish/", methods=("GET", "POST"))
    def publish_view(self):
        if not self.may_publish:
            abort(403)
        form = publish_form()
        if request.method == "POST" and form.validate():
            circular = self.publish(form)
            if circular is not None:
                return redirect(self.get_url(".details_view", id=circular.id))
        if form.csrf_token.errors:
            # Not a field of the form to show it under.
            flash(_("The form had expired or did not come from this site. Please try again."), "error")
        return self.render("admin/circular_publish.html", form=form, return_url=self.get_url(".index_view"))

    def publish(self, form):
        """The circular published from the form, or None with the reason flashed."""
        upload = form.attachment.data
        attachment = None
        if upload and upload.filename:
            # One byte past the limit is enough to refuse it, whatever its size.
            attachment = circulars.Attachment(upload.filename, upload.read(circulars.MAX_ATTACHMENT_BYTES + 1))
        audience = {name: form[name].data or None for name in ("department", "district", "designation")}
        try:
            # Never published without its audit entry.
            with database.atomic():
                circular = circulars.publish(
                    viewer(), title_en=form.title_en.data, title_hi=form.title_hi.data, body_en=form.body_en.data,
                    body_hi=form.body_hi.data, attachment=attachment, **audience)
                audit.record(viewer(), "create", circular, None, audit.snapshot(circular))
        except DomainError as error:
            flash(describe(error), "error")
            return None
        count = CircularRecipient.select().where(CircularRecipient.circular == circular).count()
        flash(ngettext("Circular sent to %(num)d officer.", "Circular sent to %(num)d officers.", count), "success")
        return circular

    @expose("/attachment/")
    def attachment_view(self):
        """A circular's attachment, to those who see the circular: its senders and recipients."""
        row = scope.get(viewer(), Circular, row_id(request.args.get("id")))
        attachment = row and CircularAttachment.get_or_none(CircularAttachment.circular == row.id)
        if attachment is None:
            abort(404)
        return download(bytes(attachment.content), attachment.content_type, attachment.filename, "attachment")


def attachment_of(circular):
    """The attachment's name and size, without its bytes; None when there is none."""
    return (CircularAttachment.select(CircularAttachment.id, CircularAttachment.filename, CircularAttachment.size)
            .where(CircularAttachment.circular == circular).first())


class PublishForm(SecureForm):
    title_en = StringField(COLUMNS["title_en"], validators=[InputRequired(), Length(max=200)])
    title_hi = StringField(COLUMNS["title_hi"], validators=[InputRequired(), Length(max=200)])
    body_en = TextAreaField(COLUMNS["body_en"], validators=[InputRequired()], render_kw={"rows": 8})
    body_hi = TextAreaField(COLUMNS["body_hi"], validators=[InputRequired()], render_kw={"rows": 8})
    department = SelectField(labels.column("department"), coerce=int)
    district = SelectField(labels.column("district"), coerce=int)
    designation = SelectField(labels.column("designation"), coerce=int,
                              description=_l("It goes to every officer holding a post of this department, district "
                                             "and designation (Any: all of them); a department alone also reaches "
                                             "the officers it employs."))
    attachment = FileField(COLUMNS["attachment"],
                           description=_l("Optional: a PDF or an image (PNG or JPEG), up to %(mb)d MB.",
                                          mb=circulars.MAX_ATTACHMENT_BYTES // 2**20))


def publish_form():
    """The publish form, its audience choices those the officer may name; one he alone holds comes chosen."""
    officer = viewer()
    form = PublishForm(get_form_data())
    designations = (Designation.select(Designation, Department).join(Department)
                    .where(scope.addressable(officer, Designation)).order_by(Designation.name, Department.code))
    choices = {
        "department": [(row.id, str(row)) for row in Department.select()
                       .where(scope.addressable(officer, Department)).order_by(Department.name_en)],
        "district": [(row.id, str(row)) for row in District.select()
                     .where(scope.addressable(officer, District)).order_by(District.name_en)],
        "designation": [(row.id, str(row)) for row in designations],
    }
    j = scope.jurisdiction(officer)
    held = {"department": j.departments, "district": j.districts}
    for name, options in choices.items():
        form[name].choices = [(ANY, _("Any"))] + options
        if request.method == "GET" and not j.state and len(held.get(name, ())) == 1:
            form[name].data = next(iter(held[name]))
    return form


class AcknowledgeForm(SecureForm):
    id = HiddenField(validators=[InputRequired()])


class MyCircularsView(SecureViewMixin, BaseView):
    """Every officer's own circulars: unread first, each acknowledged once."""
    scoped_models = (Circular, CircularRecipient)

    @expose("/")
    def index(self):
        officer = viewer()
        rows = list(circulars.addressed_to(officer))
        attachments = {a.circular_id: a for a in CircularAttachment.select(
            CircularAttachment.id, CircularAttachment.circular, CircularAttachment.filename)
            .where(CircularAttachment.circular.in_([row.circular_id for row in rows]))}
        return self.render("admin/my_circulars.html", rows=rows, attachments=attachments, language=str(get_locale()),
                           form=AcknowledgeForm(), next_url=safe_next(request.args.get("next")),
                           unread=sum(1 for row in rows if row.acknowledged_at is None))

    @expose("/acknowledge/", methods=("POST",))
    def acknowledge_view(self):
        form = AcknowledgeForm(request.form)
        back = url_for(".index", next=safe_next(request.args.get("next")))
        if not form.validate() or row_id(form.id.data) is None:
            flash_errors(form)
            return redirect(back)
        try:
            circulars.acknowledge(viewer(), row_id(form.id.data))
        except DomainError as error:
            flash(describe(error), "error")
        else:
            flash(_("Acknowledged. Thank you."), "success")
        return redirect(back)
