"""Words for the error codes that leave models/, in the reader's language."""
import datetime

from flask_babel import format_datetime, get_locale, lazy_gettext as _l

MESSAGES = {
    "service_time_limit_incomplete": _l("Service %(code)s: give both a time limit and its unit, or neither."),
    "service_time_limit_not_positive": _l("Service %(code)s: the time limit must be a positive number, not %(value)s."),
    "service_time_limit_too_long_working_days": _l(
        "Service %(code)s: a time limit is at most %(max)s working days, not %(value)s."),
    "service_time_limit_too_long_hours": _l("Service %(code)s: a time limit is at most %(max)s hours, not %(value)s."),
    "service_code_invalid": _l(
        "%(code)s is not a service code: capital letters and digits in parts joined by hyphens (REV-INCOME-CERT), "
        "at most 40 characters."),
    "service_fee_invalid": _l("Service %(code)s: the fee must be from 0 to %(max)s rupees in whole paise, "
                              "not %(value)s."),
    "service_code_fixed": _l("Service %(code)s: a service's code cannot be changed once it is created."),
    "service_time_unit_unknown": _l("Service %(code)s: unknown time-limit unit %(unit)s (use working_days or hours)."),
    "service_published_without_time_limit": _l(
        "Service %(code)s cannot be published without a notified time limit."),
    # Loading catalogue files (models/catalogue_file.py); each is said of a file and line.
    "catalogue_invalid": _l("The catalogue has %(count)s problem(s); nothing was loaded."),
    "catalogue_path_missing": _l("No such file or directory."),
    "catalogue_no_files": _l(
        "No catalogue file here (districts.csv, departments.csv, designations.csv or services.csv)."),
    "catalogue_file_unknown": _l(
        "Not a catalogue file: name it districts.csv, departments.csv, designations.csv or services.csv, "
        "or give a JSON catalogue (.json)."),
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
    "catalogue_fee_invalid": _l(
        "The fee must be an amount in rupees from 0 to %(max)s with at most two decimals, not %(value)s."),
    "catalogue_status_unknown": _l("Unknown status %(status)s (use draft, published or retired)."),
    # JSON catalogues, forms and places, retiring (models/catalogue_file.py, models/catalogue_json.py).
    "catalogue_json_malformed": _l("The file is not well-formed JSON (%(detail)s)."),
    "catalogue_json_too_deep": _l("The file nests lists and objects more than %(most)s levels deep."),
    "catalogue_json_not_object": _l(
        "A JSON catalogue is one object with the lists districts, departments, designations and services."),
    "catalogue_section_unknown": _l(
        "Unknown list %(section)s (use districts, departments, designations or services)."),
    "catalogue_section_not_list": _l("%(section)s must be a list."),
    "catalogue_entry_not_object": _l("Each entry of %(section)s must be an object."),
    "catalogue_value_type": _l("The value of %(column)s must be text or a number."),
    "catalogue_offered_in_invalid": _l(
        'offered_in must be "state" or a list of places, each {"district": code} or '
        '{"district": code, "area": code}.'),
    "catalogue_district_unknown": _l("Unknown district %(district)s."),
    "catalogue_area_unknown": _l("Unknown area %(area)s in district %(district)s."),
    "catalogue_retire_needs_services": _l(
        "Retiring the services a file does not name needs the services in it (services.csv, or a JSON catalogue "
        "with services); nothing was retired."),
    # A service's application form, as an administrator defines it (models/form_fields.py, models/forms.py).
    "form_definition_invalid": _l("The form of service %(code)s has %(count)s problem(s); nothing was saved."),
    "form_changed": _l(
        "The form of service %(code)s was changed by someone else while you had it open. Nothing was saved; "
        "look at it again and repeat your changes."),
    "form_not_a_list": _l("A form is a list of fields."),
    "form_too_many_fields": _l("A form has at most %(max)s fields."),
    "form_empty": _l("A form has at least one field: a service that has a form cannot be left with none."),
    "form_field_not_an_object": _l("Field %(number)s: a field has a key, a type and labels."),
    "form_key_invalid": _l(
        "Field %(number)s: the key must start with a small letter and hold only small letters, digits and _ "
        "(at most 40)."),
    "form_key_duplicate": _l("Field %(number)s: the key %(key)s is already that of field %(first)s."),
    "form_type_unknown": _l("Field %(number)s (%(key)s): unknown type %(type)s."),
    "form_rule_unknown": _l("Field %(number)s (%(key)s): %(rule)s does not apply to a field of type %(type)s."),
    "form_rule_invalid": _l("Field %(number)s (%(key)s): the value of %(rule)s is not valid."),
    "form_rule_out_of_range": _l(
        "Field %(number)s (%(key)s): %(rule)s must be a whole number from %(min)s to %(max)s."),
    "form_rule_not_number": _l("Field %(number)s (%(key)s): %(rule)s must be a number."),
    "form_rule_not_date": _l("Field %(number)s (%(key)s): %(rule)s must be a date written YYYY-MM-DD."),
    "form_text_missing": _l("Field %(number)s (%(key)s): %(rule)s must not be empty."),
    "form_text_too_long": _l("Field %(number)s (%(key)s): %(rule)s is longer than %(max)s characters."),
    "form_min_above_max": _l("Field %(number)s (%(key)s): the minimum %(min)s is greater than the maximum %(max)s."),
    "form_choices_missing": _l("Field %(number)s (%(key)s): a choice field needs its choices."),
    "form_too_many_choices": _l("Field %(number)s (%(key)s): at most %(max)s choices."),
    "form_choice_invalid": _l(
        "Field %(number)s (%(key)s): choice %(choice)s needs a key (small letters, digits and _) and a label "
        "in English and in Hindi, of at most 200 characters."),
    "form_choice_duplicate": _l("Field %(number)s (%(key)s): choice %(choice)s repeats the key %(choice_key)s."),
    "form_file_type_unknown": _l("Field %(number)s (%(key)s): unknown file type %(file_type)s (use %(known)s)."),
    "form_document_over_limit": _l(
        "Field %(number)s (%(key)s): %(max_kb)s KB is over the system's limit of %(limit_kb)s KB a document."),
    "form_area_district_field": _l(
        "Field %(number)s (%(key)s): %(district_field)s is not a district field above this one."),
    "form_pattern_too_long": _l(
        "Field %(number)s (%(key)s): the pattern has %(length)s characters; at most %(max)s."),
    "form_pattern_invalid": _l("Field %(number)s (%(key)s): the pattern is not a regular expression (%(detail)s)."),
    "form_pattern_unsupported": _l(
        "Field %(number)s (%(key)s): the pattern uses %(construct)s (at character %(position)s), which the app "
        "cannot read as the server does. See the patterns a form may use in docs/service-forms.md."),
    # A citizen's answers (models/form_fields.py): %(label)s is the field's label in the reader's language.
    "form_invalid": _l("The form has %(count)s error(s); nothing was filed."),
    "form_version_unknown": _l(
        "The form of %(service)s has changed since it was opened. Please refresh it and fill it in again."),
    "form_version_invalid": _l("%(number)s is not a version of a form: send the form's version number as shown."),
    "form_version_stale": _l(
        "The form of %(service)s has changed since it was opened. Please refresh it and fill it in again."),
    "service_not_offered": _l("%(service)s is not offered in %(place)s."),
    "form_field_unknown": _l("%(key)s is not a question of this form."),
    "form_field_required": _l("%(label)s: please answer this."),
    "form_answer_invalid": _l("%(label)s: this answer is not valid."),
    "form_answer_bad_character": _l("%(label)s holds characters that cannot be typed here (line breaks, control "
                                    "characters)."),
    "form_answer_too_long": _l("%(label)s: at most %(max)s characters, not %(length)s."),
    "form_answer_pattern": _l("%(label)s: %(message)s"),
    "form_answer_pattern_timeout": _l(
        "%(label)s could not be checked. Please tell the office: its rule for this answer needs mending."),
    "form_answer_not_number": _l("%(label)s: give a number."),
    "form_answer_not_whole": _l("%(label)s: give a whole number."),
    "form_answer_too_many_decimals": _l("%(label)s: at most %(decimals)s digits after the decimal point."),
    "form_answer_below_min": _l("%(label)s: at least %(min)s."),
    "form_answer_above_max": _l("%(label)s: at most %(max)s."),
    "form_answer_not_date": _l("%(label)s: give a date (YYYY-MM-DD)."),
    "form_answer_date_before": _l("%(label)s: not before %(min)s."),
    "form_answer_date_after": _l("%(label)s: not after %(max)s."),
    "form_answer_choice_unknown": _l("%(label)s: %(choice)s is not one of the choices."),
    "form_answer_not_yes_no": _l("%(label)s: answer yes or no."),
    "form_answer_mobile": _l("%(label)s: give a mobile number, 10 digits starting with 6, 7, 8 or 9."),
    "form_answer_email": _l("%(label)s: give an e-mail address."),
    "form_answer_pin_code": _l("%(label)s: give a PIN code, 6 digits not starting with 0."),
    "form_answer_aadhaar": _l("%(label)s: give an Aadhaar number, 12 digits not starting with 0 or 1."),
    "form_answer_aadhaar_check": _l(
        "%(label)s is not a valid Aadhaar number: please check it for a mistyped or swapped digit."),
    "form_answer_district": _l("%(label)s: %(value)s is not a district."),
    "form_answer_area_no_district": _l("%(label)s: choose the district first."),
    "form_answer_area": _l("%(label)s: %(value)s is not an area of %(district)s."),
    "form_answer_document_empty": _l("%(label)s: the file is empty."),
    "form_answer_document_too_large": _l("%(label)s: the file is larger than %(max_kb)s KB."),
    "form_answer_document_type": _l("%(label)s: the file must be one of %(types)s."),
    # Password links and the outbox (models/resets.py, models/notifications.py).
    "password_link_invalid": _l(
        "This link has expired, was already used, or was replaced by a newer one. Ask for a new link."),
    "outbox_not_retryable": _l("Only a failed or uncertain message can be sent again; this one is %(status)s."),
    "outbox_not_uncertain": _l("Only an uncertain message can be marked as sent; this one is %(status)s."),
    # The help desk (models/helpdesk.py).
    "ticket_forbidden": _l("Only help-desk agents answer, note, move and assign tickets."),
    "ticket_status_unknown": _l("Unknown ticket status %(status)s."),
    "ticket_status_not_allowed": _l("Ticket %(number)s is %(status)s: it cannot be moved to %(to)s."),
    "ticket_priority_unknown": _l("Unknown priority %(priority)s (use low, normal, high or urgent)."),
    "ticket_assignee_not_agent": _l("%(name)s is not an active help-desk agent."),
    "ticket_request_unknown": _l("There is no request with the tracking number %(number)s."),
    "ticket_participant_invalid": _l("%(address)s is not an e-mail address."),
    "ticket_reply_empty": _l("Write the answer first."),
    "ticket_note_empty": _l("Write the note first."),
    "ticket_text_too_long": _l("Keep it to %(most)s characters; this is %(length)s."),
    "ticket_changed": _l(
        "Ticket %(number)s changed while you were reading it (a new message, or another agent): read it again "
        "and try once more. Nothing was done."),
    "ticket_unknown": _l("There is no ticket %(number)s."),
    "ticket_merge_same": _l("Ticket %(number)s cannot be merged into itself."),
    "ticket_merge_merged": _l("Ticket %(number)s was merged into %(into)s: work on that one."),
    "ticket_incomplete": _l("Give the ticket a subject and write your question."),
    # Passwords and log-in (models/passwords.py, models/accounts.py).
    "password_too_short": _l("Use a password of at least %(min_length)d characters."),
    "password_too_long": _l("Use a password of at most %(max_length)d characters."),
    "password_too_common": _l(
        "This password is among the most common ones, or is one with digits or symbols added; choose another."),
    "password_like_account": _l("The password must not contain the name or the e-mail address."),
    "password_current_wrong": _l("Your current password is wrong."),
    "login_failed": _l("Wrong e-mail address or password."),
    "login_locked": _l("Too many failed attempts: log-in is locked until %(until)s. Try again then."),
    "code_wrong": _l("Wrong code, or a code that was already used."),
    # The mobile app's log-in (models/login_codes.py, backoffice/api/auth.py).
    "login_code_throttled": _l("Too many codes asked for: please wait %(seconds)s seconds and ask again."),
    "login_code_wrong": _l("Wrong code. Check the SMS, or ask for a new code."),
    "login_code_expired": _l("This code has expired: ask for a new one."),
    "login_code_not_sent": _l("The SMS with the code could not be sent just now. Please try again in a minute."),
    "login_code_required": _l("Give the one-time code from your authenticator app as well."),
    "totp_enrolment_required": _l(
        "Your role needs one-time codes: set them up in the back office (Account) before logging in here."),
    "request_not_found": _l("There is no request %(number)s among yours."),
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
    # Filing from the app (backoffice/api/submit.py), which names places by code.
    "district_unknown": _l("There is no district %(district)s."),
    "area_unknown": _l("There is no area %(area)s in %(district)s."),
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
    # A citizen's erasure under the DPDP Act (models/privacy.py).
    "citizen_already_erased": _l("This citizen's personal data has already been erased."),
    "erasure_open_business": _l(
        "Not yet: %(requests)s request(s) and %(tickets)s help-desk ticket(s) of his are still open. Close them "
        "first; the Right to Service Act needs his data until his requests are decided."),
    "erasure_reason_required": _l("Say how and when the citizen asked for erasure."),
    "holiday_outside_jurisdiction": _l("You can add or change only the local holidays of your own district."),
    "holiday_date_out_of_range": _l("A holiday must fall in the years %(first)s to %(last)s."),
    # Moving an officer's open requests (models/routing.py).
    "routing_same_officer": _l("The requests are already with %(officer)s: choose another officer."),
    "routing_officer_inactive": _l("%(officer)s is deactivated and cannot take requests."),
    "routing_officer_on_leave": _l("%(officer)s is on leave and cannot take requests."),
    "routing_not_a_holder": _l(
        "%(officer)s does not hold the post that handles request %(number)s in its area or district. "
        "Nothing was moved."),
    "routing_not_permitted": _l(
        "Request %(number)s is outside your department and district: you may not move it. Nothing was moved."),
    # Appeals (models/appeals.py, and the appellate steps of models/lifecycle.py).
    "direct_date_out_of_range": _l(
        "Choose a date from %(first)s to %(last)s: the officer must decide request %(number)s while you still "
        "have time to decide it yourself."),
    "citizen_appeal_too_late": _l(
        "Request %(number)s can no longer be appealed: an appeal must come within %(days)s days of the rejection."),
    "citizen_appeal_needs_note": _l("Write down the citizen's grounds of appeal."),
    # The citizen's rating of a decided request (models.lifecycle.rate).
    "rating_not_decided": _l("Request %(number)s is %(status)s: it can be rated once it is delivered or rejected."),
    "rating_already_given": _l("Request %(number)s has already been rated: a request is rated once."),
    "rating_stars_out_of_range": _l("Give 1 to 5 stars."),
    "rating_comment_too_long": _l("The comment may be at most %(max)s characters long."),
    "commission_decide_needs_note": _l("Write down the reasons for the Commission's decision."),
    "penalty_out_of_range": _l("The penalty must be a whole number of rupees from 0 to %(max)s."),
    "compensation_out_of_range": _l("The compensation must be a whole number of rupees from 0 to %(max)s."),
    "penalty_needs_officer": _l("Choose the officer the penalty falls on."),
    "penalty_officer_not_involved": _l(
        "%(name)s did not handle request %(number)s: a penalty falls only on its officer or its appellate "
        "authorities."),
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


def _in_reader_language(params):
    """NAME for each NAME_en and NAME_hi (a form field's label, the service's name): the reader's."""
    locale = get_locale()
    language = "hi" if locale is not None and locale.language == "hi" else "en"
    chosen = {key[:-3]: params[key[:-3] + "_" + language] or params[key] for key in params
              if key.endswith("_en") and key[:-3] + "_hi" in params}
    return {**params, **chosen}


def describe(error):
    """A DomainError as a sentence; unknown codes still say what happened."""
    template = MESSAGES.get(error.code)
    if template is None:
        return str(error)
    # Times are stored in UTC; Flask-Babel shows them in the reader's time zone.
    params = {key: _worded(key, value) for key, value in _in_reader_language(error.params).items()}
    return str(template) % params
