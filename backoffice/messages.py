"""Words for the error codes that leave models/, in the reader's language."""
import datetime

from flask_babel import format_datetime, lazy_gettext as _l

MESSAGES = {
    "service_time_limit_incomplete": _l("Service %(code)s: give both a time limit and its unit, or neither."),
    "service_time_limit_not_positive": _l("Service %(code)s: the time limit must be a positive number, not %(value)s."),
    "service_time_unit_unknown": _l("Service %(code)s: unknown time-limit unit %(unit)s (use working_days or hours)."),
    "service_published_without_time_limit": _l(
        "Service %(code)s cannot be published without a notified time limit."),
    # Loading catalogue files (models/catalogue_file.py); each is said of a file and line.
    "catalogue_invalid": _l("The catalogue has %(count)s problem(s); nothing was loaded."),
    "catalogue_path_missing": _l("No such file or directory."),
    "catalogue_no_files": _l(
        "No catalogue file here (districts.csv, departments.csv, designations.csv or services.csv)."),
    "catalogue_file_unknown": _l(
        "Not a catalogue file: name it districts.csv, departments.csv, designations.csv or services.csv."),
    "catalogue_not_utf8": _l("The file is not UTF-8 text; save it as CSV UTF-8."),
    "catalogue_csv_malformed": _l("The file is not well-formed CSV (%(detail)s)."),
    "catalogue_file_empty": _l("The file is empty; it needs a header row."),
    "catalogue_column_unknown": _l("Unknown column %(column)s."),
    "catalogue_column_duplicate": _l("Column %(column)s appears more than once."),
    "catalogue_column_missing": _l("Required column %(column)s is missing."),
    "catalogue_row_width": _l("The row has %(found)s values where the header has %(expected)s columns."),
    "catalogue_value_missing": _l("Column %(column)s must not be empty."),
    "catalogue_value_too_long": _l("The value in column %(column)s is longer than %(max)s characters."),
    "catalogue_duplicate": _l("Duplicate of line %(first_line)s (the same code, or the same department and post)."),
    "catalogue_department_unknown": _l("Unknown department %(department)s."),
    "catalogue_department_kind_unknown": _l(
        "Unknown department kind %(kind)s (use department, board or corporation)."),
    "catalogue_designation_level_unknown": _l("Unknown level %(level)s (use state, district or area)."),
    "catalogue_designation_unknown": _l(
        "Unknown post %(post)s: not a designation of %(department)s or of any other department."),
    "catalogue_designation_ambiguous": _l(
        "Post %(post)s is not one of this department's, and several departments have it: %(departments)s."),
    "catalogue_time_limit_not_integer": _l("The time limit must be a whole number, not %(value)s."),
    "catalogue_time_limit_too_large": _l("The time limit %(value)s is too large."),
    "catalogue_fee_invalid": _l(
        "The fee must be an amount in rupees, 0 or more with at most two decimals, not %(value)s."),
    "catalogue_status_unknown": _l("Unknown status %(status)s (use draft, published or retired)."),
    # Password links and the outbox (models/resets.py, models/notifications.py).
    "password_link_invalid": _l(
        "This link has expired, was already used, or was replaced by a newer one. Ask for a new link."),
    "outbox_not_retryable": _l("Only a failed or uncertain message can be sent again; this one is %(status)s."),
    "outbox_not_uncertain": _l("Only an uncertain message can be marked as sent; this one is %(status)s."),
    # Passwords and log-in (models/passwords.py, models/accounts.py).
    "password_too_short": _l("Use a password of at least %(min_length)d characters."),
    "password_too_common": _l(
        "This password is among the most common ones, or is one with digits or symbols added; choose another."),
    "password_like_account": _l("The password must not contain the name or the e-mail address."),
    "password_current_wrong": _l("Your current password is wrong."),
    "login_failed": _l("Wrong e-mail address or password."),
    "login_locked": _l("Too many failed attempts: log-in is locked until %(until)s. Try again then."),
    "code_wrong": _l("Wrong code, or a code that was already used."),
    "audit_is_append_only": _l("The audit log is never changed or deleted, only added to."),
    # Circulars to officers (models/circulars.py); an empty or too large attachment is a document_* error.
    "circular_incomplete": _l("Give the circular's title and text in both English and Hindi."),
    "circular_audience_forbidden": _l(
        "You may send circulars only to the officers of your own department or district: choose it in the audience."),
    "circular_audience_empty": _l(
        "No officer is in this audience, so nothing was sent. Choose another department, district or designation."),
    "circular_attachment_type": _l("%(filename)s is neither a PDF nor an image (PNG or JPEG)."),
    "circular_not_addressed": _l("This circular is not addressed to you."),
    # The clock and the holiday calendar (models/clock.py, models/deadlines.py).
    "weekly_off_unknown": _l("Unknown day of the week %(names)s (use mon, tue, wed, thu, fri, sat, sun)."),
    "weekly_offs_whole_week": _l("At least one day of the week must be a working day."),
    "time_unit_unknown": _l("Unknown time-limit unit %(unit)s (use working_days or hours)."),
    "request_clock_stopped": _l("Request %(number)s is closed: its clock no longer runs."),
    "request_already_paused": _l("The clock of request %(number)s is already paused for a query."),
    "request_not_paused": _l("The clock of request %(number)s is not paused."),
    "resume_before_pause": _l("Request %(number)s cannot resume before its pause began (%(paused_at)s)."),
    # The lifecycle (models/lifecycle.py).
    "service_not_open": _l("Service %(code)s is not open for applications."),
    "area_not_in_district": _l("%(area)s is not in %(district)s."),
    "counter_outside_district": _l("Your counter does not serve %(district)s."),
    "mobile_invalid": _l("%(mobile)s is not a mobile number: give 10 digits starting with 6, 7, 8 or 9."),
    "transition_unknown": _l("There is no step called %(action)s."),
    "transition_not_allowed": _l("Request %(number)s is %(status)s: that step is not possible now."),
    "transition_forbidden": _l("You may not take that step on request %(number)s."),
    "request_changed": _l(
        "Request %(number)s was changed by someone else while you had it open. Nothing was saved; "
        "look at it again and repeat your step if it is still needed."),
    "raise_query_needs_note": _l("Write the question for the citizen."),
    "answer_query_needs_note": _l("Write down the citizen's answer."),
    "reject_needs_note": _l("A rejection needs its reason in writing."),
    "deliver_needs_output": _l("Delivery needs the issued document (a PDF) or a delivery note."),
    "assign_needs_officer": _l("Choose the officer to assign request %(number)s to."),
    "officer_unavailable": _l("%(name)s is inactive or on leave."),
    "reassign_to_same_officer": _l("Request %(number)s is already with %(name)s."),
    "document_empty": _l("%(filename)s is empty."),
    "document_too_large": _l("%(filename)s is larger than %(max_mb)s MB."),
    "document_not_pdf": _l("%(filename)s is not a PDF file."),
    "history_is_append_only": _l("A request's history is never changed, only added to."),
    "holiday_outside_jurisdiction": _l("You can add or change only the local holidays of your own district."),
    # Moving an officer's open requests (models/routing.py).
    "routing_same_officer": _l("The requests are already with %(officer)s: choose another officer."),
    "routing_officer_inactive": _l("%(officer)s is deactivated and cannot take requests."),
    "routing_officer_on_leave": _l("%(officer)s is on leave and cannot take requests."),
    "routing_not_a_holder": _l(
        "%(officer)s does not hold the post that handles request %(number)s in its area or district. "
        "Nothing was moved."),
    "routing_not_permitted": _l(
        "Request %(number)s is outside your department and district: you may not move it. Nothing was moved."),
}


def _worded(key, value):
    if isinstance(value, datetime.datetime):
        return format_datetime(value, "short")
    if key != "status":
        return value
    # A request's status by its label, not its code. Imported here: the admin
    # package imports this module.
    from .admin.labels import VALUES
    return VALUES.get(value, value)


def describe(error):
    """A DomainError as a sentence; unknown codes still say what happened."""
    template = MESSAGES.get(error.code)
    if template is None:
        return str(error)
    # Times are stored in UTC; Flask-Babel shows them in the reader's time zone.
    params = {key: _worded(key, value) for key, value in error.params.items()}
    return str(template) % params
