"""Failed jobs: background work that failed after its last try (models/jobs.py), for state administrators.

Read-only: the fix is elsewhere (the mail server, the mailbox's password); the
next scheduled run picks the work up again once it is made.
"""
from flask_login import current_user

from models import JobFailure, scope

from .base import ReadOnlyModelView, choice_filter, distinct_values, may_enter


class JobFailureView(ReadOnlyModelView):
    scoped_models = (JobFailure,)
    column_list = ("failed_at", "task", "attempts", "error")
    column_details_list = ("failed_at", "task", "attempts", "error", "arguments", "trace")
    column_filters = (choice_filter(JobFailure.task, options=distinct_values(JobFailure.task)),)
    column_sortable_list = ("failed_at", "task")
    column_default_sort = ("failed_at", True)
    page_size = 50

    def is_accessible(self):
        return may_enter() and scope.jurisdiction(current_user._get_current_object()).state
