"""Words for the error codes that leave models/, in the reader's language."""
from flask_babel import lazy_gettext as _l

MESSAGES = {
    "service_time_limit_incomplete": _l("Service %(code)s: give both a time limit and its unit, or neither."),
    "service_time_limit_not_positive": _l("Service %(code)s: the time limit must be a positive number, not %(value)s."),
    "service_time_unit_unknown": _l("Service %(code)s: unknown time-limit unit %(unit)s (use working_days or hours)."),
    "service_published_without_time_limit": _l(
        "Service %(code)s cannot be published without a notified time limit."),
}


def describe(error):
    """A DomainError as a sentence; unknown codes still say what happened."""
    template = MESSAGES.get(error.code)
    if template is None:
        return str(error)
    return str(template) % error.params
