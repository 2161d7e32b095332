"""The outbox screen: what was sent to whom, what failed, and the admin's two decisions.

For state administrators alone: it lists every citizen's mobile number and
address. The bodies stay off the screen, since some carry a live link to
set an officer's password.
"""
from flask import flash
from flask_admin.actions import action
from flask_admin.contrib.peewee.filters import FilterLike
from flask_babel import lazy_gettext as _l, ngettext
from flask_login import current_user

from backoffice.messages import describe
from models import DomainError, Outbox, notifications, scope

from . import labels
from .base import ReadOnlyModelView, choice_filter, may_enter
from .ids import row_id


class OutboxView(ReadOnlyModelView):
    scoped_models = (Outbox,)
    column_list = ("created_at", "channel", "address", "template", "language", "subject", "status",
                   "attempts", "next_attempt_at", "last_error")
    column_details_list = (*column_list, "sent_at", "message_id", "dlt_template_id",
                           "about_request", "about_ticket", "about_officer")
    column_searchable_list = ("address",)
    column_filters = (
        choice_filter(Outbox.status),
        choice_filter(Outbox.channel),
        FilterLike(Outbox.address, labels.column("address")),
    )
    column_sortable_list = ("created_at", "status", "attempts", "next_attempt_at")
    column_default_sort = ("created_at", True)
    action_disallowed_list = ["delete"]
    page_size = 50

    def is_accessible(self):
        return may_enter() and scope.jurisdiction(current_user._get_current_object()).state

    @action("retry", _l("Send again"),
            _l("Send the selected messages again, with their Message-ID? An uncertain one may arrive twice."))
    def action_retry(self, ids):
        self._decide(ids, notifications.retry,
                     lambda n: ngettext("%(num)d message will be sent again.",
                                        "%(num)d messages will be sent again.", n))

    @action("confirm_sent", _l("Mark as sent"), _l("Mark the selected uncertain messages as sent?"))
    def action_confirm_sent(self, ids):
        self._decide(ids, notifications.confirm_sent,
                     lambda n: ngettext("%(num)d message marked as sent.", "%(num)d messages marked as sent.", n))

    def _decide(self, ids, decision, done):
        wanted = [pk for pk in map(row_id, ids) if pk]
        count = 0
        for row in self.rows("edit").where(Outbox.id.in_(wanted)):
            try:
                decision(row)
            except DomainError as error:
                flash(f"{row.address}: {describe(error)}", "error")
            else:
                count += 1
        if count:
            flash(done(count), "success")
