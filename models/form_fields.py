"""A service's application form: the fields' definition, its check, and the one validation of answers.

A form is a list of field dicts (docs/service-forms.md describes each key):

    {"key": "patient_name", "type": "short_text", "label_en": ..., "label_hi": ...,
     "help_en": "", "help_hi": "", "required": true, "sensitive": false, "max_length": 100}

check_definition() says what is wrong with a definition, field by field, so
that the designer and the import can show it on the offending field;
canonical() gives a checked definition with its defaults, as it is stored.
validate_submission() checks a citizen's answers against a version and
returns every error at once: the counter, the mobile API and the import all
come through it (via forms.check_submission when a request is filed).
"""
import datetime
import hashlib
import re
from decimal import Decimal

from . import form_patterns
from .catalogue import Area, District
from .errors import DomainError

# The rules each type takes besides the ones every field has.
RULES = {
    "short_text": ("max_length", "pattern", "pattern_message_en", "pattern_message_hi"),
    "long_text": ("max_length",),
    "number": ("min", "max", "decimals"),
    "date": ("min", "max"),
    "single_choice": ("choices",),
    "multiple_choice": ("choices",),
    "yes_no": (),
    "mobile": (),
    "email": (),
    "pin_code": (),
    "aadhaar": (),
    "district": (),
    "area": ("district_field",),
    "document": ("file_types", "max_kb"),
}
FIELD_TYPES = tuple(RULES)
COMMON = ("key", "type", "label_en", "label_hi", "help_en", "help_hi", "required", "sensitive")
CHOICE_TYPES = ("single_choice", "multiple_choice")

MAX_FIELDS = 100
MAX_CHOICES = 100
KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
TEXTS = {"label_en": 200, "label_hi": 200, "help_en": 1000, "help_hi": 1000,
         "pattern_message_en": 200, "pattern_message_hi": 200}
TEXT_LENGTHS = {"short_text": (100, 500), "long_text": (1000, 5000)}  # (default, the most a form may allow)
MAX_DECIMALS = 6
# Beyond this a number is more likely a typing error than an amount, and a float would round it.
LARGEST_NUMBER = Decimal(10) ** 12
# The first bytes of each kind of file a citizen may attach: the bytes decide, not the name.
FILE_TYPES = {"pdf": (b"%PDF-",), "jpeg": (b"\xff\xd8\xff",), "png": (b"\x89PNG\r\n\x1a\n",)}
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
# The system's limit for one attached document: scans and photos from a phone fit well within it,
# and each is kept in the database with its request.
MAX_DOCUMENT_KB = 5 * 1024
DEFAULT_DOCUMENT_KB = 2 * 1024

EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+")
PIN_CODE = re.compile(r"[1-9][0-9]{5}")
AADHAAR = re.compile(r"[2-9][0-9]{11}")
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
# What no one types in a form: control characters (but a long text's line breaks and tabs).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")
LINE_BREAK = re.compile(r"[\r\n\t]")


class FieldError(DomainError):
    """What is wrong with one field.

    Of a submission: `field` is the answer's key, and the params carry the
    field's label in both languages (label_en, label_hi) for the message.
    Of a definition: `index` is the field's position in the list (0-based;
    the params say `number`, 1-based, and `key`).
    """

    def __init__(self, code, /, *, field=None, index=None, **params):
        super().__init__(code, **params)
        self.field = field
        self.index = index


# The definition

def check_definition(fields):
    """Every FieldError of a form's definition (a list of field dicts); empty when it may be saved."""
    if not isinstance(fields, list):
        return [FieldError("form_not_a_list")]
    if len(fields) > MAX_FIELDS:
        return [FieldError("form_too_many_fields", max=MAX_FIELDS)]
    if not fields:
        # An empty form would let the counter and the app file requests with no answers at all. A service
        # without a form is one that never had any (forms.current_version is None), never an empty version.
        return [FieldError("form_empty")]
    problems, first = [], {}
    for index, field in enumerate(fields):
        at = {"index": index, "number": index + 1}
        if not isinstance(field, dict):
            problems.append(FieldError("form_field_not_an_object", **at))
            continue
        key = field.get("key")
        at.update(key=key if isinstance(key, str) else "", field=key if isinstance(key, str) else None)
        found = []
        if not isinstance(key, str) or not KEY.fullmatch(key):
            found.append(("form_key_invalid", {}))
        elif key in first:
            found.append(("form_key_duplicate", {"first": first[key] + 1}))
        else:
            first[key] = index
        kind = field.get("type")
        if not isinstance(kind, str) or kind not in RULES:
            found.append(("form_type_unknown", {"type": str(kind)}))
        else:
            found += _rule_problems(field, kind, fields[:index])
        problems += [FieldError(code, **at, **params) for code, params in found]
    return problems


def _rule_problems(field, kind, above):
    found = [("form_rule_unknown", {"rule": name, "type": kind})
             for name in field if name not in COMMON and name not in RULES[kind]]
    for name in ("required", "sensitive"):
        if not isinstance(field.get(name, False), bool):
            found.append(("form_rule_invalid", {"rule": name}))
    for name in ("label_en", "label_hi"):
        if not field.get(name):
            found.append(("form_text_missing", {"rule": name}))
    found += _text_problems(field, TEXTS)
    if kind in TEXT_LENGTHS:
        found += _whole_number(field, "max_length", 1, TEXT_LENGTHS[kind][1])
    if "pattern" in RULES[kind] and field.get("pattern"):
        problem = form_patterns.check(field["pattern"]) if isinstance(field["pattern"], str) else (
            "form_rule_invalid", {"rule": "pattern"})
        found += [problem] if problem else []
        found += [("form_text_missing", {"rule": name}) for name in ("pattern_message_en", "pattern_message_hi")
                  if not field.get(name)]
    if kind == "number":
        found += _whole_number(field, "decimals", 0, MAX_DECIMALS)
        found += _bounds(field, _as_number, "form_rule_not_number")
    if kind == "date":
        found += _bounds(field, _as_date, "form_rule_not_date")
    if kind in CHOICE_TYPES:
        found += _choice_problems(field.get("choices"))
    if kind == "area" and "district_field" in field:
        districts = [f.get("key") for f in above if isinstance(f, dict) and f.get("type") == "district"]
        if field["district_field"] not in districts:
            found.append(("form_area_district_field", {"district_field": str(field["district_field"])}))
    if kind == "document":
        types = field.get("file_types", list(FILE_TYPES))
        if not isinstance(types, list) or not types:
            found.append(("form_rule_invalid", {"rule": "file_types"}))
        else:
            found += [("form_file_type_unknown", {"file_type": str(t), "known": ", ".join(FILE_TYPES)})
                      for t in types if not isinstance(t, str) or t not in FILE_TYPES]
        size = field.get("max_kb", DEFAULT_DOCUMENT_KB)
        if _is_integer(size) and size > MAX_DOCUMENT_KB:
            found.append(("form_document_over_limit", {"max_kb": size, "limit_kb": MAX_DOCUMENT_KB}))
        else:
            found += _whole_number(field, "max_kb", 1, MAX_DOCUMENT_KB)
    return found


def _text_problems(item, limits):
    found = []
    for name, most in limits.items():
        value = item.get(name, "")
        if not isinstance(value, str) or CONTROL.search(value):
            found.append(("form_rule_invalid", {"rule": name}))
        elif len(value) > most:
            found.append(("form_text_too_long", {"rule": name, "max": most}))
    return found


def _is_integer(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _whole_number(field, name, least, most):
    value = field.get(name, least)
    if not _is_integer(value) or not least <= value <= most:
        return [("form_rule_out_of_range", {"rule": name, "min": least, "max": most})]
    return []


def _bounds(field, read, code):
    values, found = {}, []
    for name in ("min", "max"):
        if field.get(name) is not None:
            values[name] = read(field[name])
            if values[name] is None:
                found.append((code, {"rule": name}))
    if not found and len(values) == 2 and values["min"] > values["max"]:
        found.append(("form_min_above_max", {"min": field["min"], "max": field["max"]}))
    return found


def _as_number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or abs(value) == float("inf"):
        return None
    return Decimal(str(value))


def _as_date(value):
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def _choice_problems(choices):
    if not isinstance(choices, list) or not choices:
        return [("form_choices_missing", {})]
    if len(choices) > MAX_CHOICES:
        return [("form_too_many_choices", {"max": MAX_CHOICES})]
    found, seen = [], set()
    for number, choice in enumerate(choices, 1):
        whole = isinstance(choice, dict) and set(choice) <= {"key", "label_en", "label_hi"} and all(
            isinstance(choice.get(name), str) and 0 < len(choice[name]) <= 200 for name in ("label_en", "label_hi"))
        if not whole or not isinstance(choice.get("key"), str) or not KEY.fullmatch(choice["key"]):
            found.append(("form_choice_invalid", {"choice": number}))
        elif choice["key"] in seen:
            found.append(("form_choice_duplicate", {"choice": number, "choice_key": choice["key"]}))
        else:
            seen.add(choice["key"])
    return found


def canonical(fields):
    """A checked definition as it is stored and exported: every field with its defaults, nothing else."""
    return [_canonical(field) for field in fields]


def _canonical(field):
    kind = field["type"]
    out = {"key": field["key"], "type": kind, "label_en": field["label_en"], "label_hi": field["label_hi"],
           "help_en": field.get("help_en", ""), "help_hi": field.get("help_hi", ""),
           "required": field.get("required", False),
           # An identity number is personal data whatever the designer ticked.
           "sensitive": field.get("sensitive", False) or kind == "aadhaar"}
    if kind in TEXT_LENGTHS:
        out["max_length"] = field.get("max_length", TEXT_LENGTHS[kind][0])
    if field.get("pattern"):
        out.update((name, field[name]) for name in ("pattern", "pattern_message_en", "pattern_message_hi"))
    if kind == "number":
        out["decimals"] = field.get("decimals", 0)
    out.update((name, field[name]) for name in ("min", "max", "district_field") if field.get(name) is not None)
    if kind in CHOICE_TYPES:
        out["choices"] = [{"key": c["key"], "label_en": c["label_en"], "label_hi": c["label_hi"]}
                          for c in field["choices"]]
    if kind == "document":
        out["file_types"] = list(dict.fromkeys(field.get("file_types", list(FILE_TYPES))))
        out["max_kb"] = field.get("max_kb", DEFAULT_DOCUMENT_KB)
    return out


# A submission

class _Refused(Exception):
    def __init__(self, code, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def validate_submission(version, answers, documents=None, *, district=None):
    """Check `answers` ({key: value}) and `documents` ({key: an object with filename and content})
    against a FormVersion; returns (clean answers, [FieldError, ...]) with every error at once.

    Values may come as a form posts them (text) or as JSON gives them (numbers,
    booleans, a list for a multiple choice). The clean answers are what a
    request keeps: see docs/service-forms.md. `district` is the request's
    District, where an area field without a district field of its own lies.
    """
    answers, documents = answers or {}, documents or {}
    fields = version.fields
    known = {field["key"] for field in fields}
    errors = [FieldError("form_field_unknown", field=key, key=key) for key in answers if key not in known]
    errors += [FieldError("form_field_unknown", field=key, key=key) for key in documents if key not in known]
    clean, places = {}, {None: district}
    for field in fields:
        key, kind = field["key"], field["type"]
        value = documents.get(key) if kind == "document" else answers.get(key)
        try:
            if _unanswered(value):
                if field["required"]:
                    raise _Refused("form_field_required")
                continue
            clean[key] = CLEANERS[kind](field, value, places)
        except _Refused as refused:
            errors.append(FieldError(refused.code, field=key, key=key, label_en=field["label_en"],
                                     label_hi=field["label_hi"], **refused.params))
    return clean, errors


def _unanswered(value):
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def _text(field, value, places):
    if not isinstance(value, str):
        raise _Refused("form_answer_invalid")
    value = value.strip()
    if CONTROL.search(value) or (field["type"] == "short_text" and LINE_BREAK.search(value)):
        raise _Refused("form_answer_bad_character")
    if len(value) > field["max_length"]:
        raise _Refused("form_answer_too_long", max=field["max_length"], length=len(value))
    if field.get("pattern"):
        try:
            matched = form_patterns.matches(field["pattern"], value)
        except TimeoutError:
            raise _Refused("form_answer_pattern_timeout")
        if not matched:
            raise _Refused("form_answer_pattern", message_en=field["pattern_message_en"],
                           message_hi=field["pattern_message_hi"])
    return value


def _number(field, value, places):
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _Refused("form_answer_not_number")
    text = value.strip() if isinstance(value, str) else str(value)
    if not NUMBER.fullmatch(text) or len(text) > 30:
        raise _Refused("form_answer_not_number")
    number = Decimal(text)
    if abs(number) >= LARGEST_NUMBER:
        raise _Refused("form_answer_not_number")
    decimals = field["decimals"]
    if number != round(number, decimals):
        raise _Refused("form_answer_not_whole" if decimals == 0 else "form_answer_too_many_decimals",
                       decimals=decimals)
    if field.get("min") is not None and number < _as_number(field["min"]):
        raise _Refused("form_answer_below_min", min=field["min"])
    if field.get("max") is not None and number > _as_number(field["max"]):
        raise _Refused("form_answer_above_max", max=field["max"])
    return int(number) if decimals == 0 else float(number)


def _date(field, value, places):
    day = value if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime) else (
        _as_date(value.strip()) if isinstance(value, str) else None)
    if day is None:
        raise _Refused("form_answer_not_date")
    if field.get("min") and day < _as_date(field["min"]):
        raise _Refused("form_answer_date_before", min=field["min"])
    if field.get("max") and day > _as_date(field["max"]):
        raise _Refused("form_answer_date_after", max=field["max"])
    return day.isoformat()


def _single_choice(field, value, places):
    keys = [choice["key"] for choice in field["choices"]]
    if not isinstance(value, str) or value.strip() not in keys:
        raise _Refused("form_answer_choice_unknown", choice=str(value))
    return value.strip()


def _multiple_choice(field, value, places):
    chosen = [value] if isinstance(value, str) else value
    if not isinstance(chosen, (list, tuple)):
        raise _Refused("form_answer_invalid")
    keys = [choice["key"] for choice in field["choices"]]
    for item in chosen:
        if item not in keys:
            raise _Refused("form_answer_choice_unknown", choice=str(item))
    # In the form's order, each once: the same answer however it was ticked.
    return [key for key in keys if key in chosen]


YES, NO = (True, "yes", "true", "1", "on"), (False, "no", "false", "0", "off")


def _yes_no(field, value, places):
    answer = value.strip().lower() if isinstance(value, str) else value
    if isinstance(answer, bool) or isinstance(answer, str):
        if answer in YES:
            return True
        if answer in NO:
            return False
    raise _Refused("form_answer_not_yes_no")


def _mobile(field, value, places):
    # Imported here: lifecycle files every request through this module's callers.
    from .lifecycle import normalize_mobile
    number = normalize_mobile(value) if isinstance(value, str) else None
    if number is None:
        raise _Refused("form_answer_mobile")
    return number


def _email(field, value, places):
    address = value.strip() if isinstance(value, str) else ""
    if len(address) > 254 or not EMAIL.fullmatch(address):
        raise _Refused("form_answer_email")
    return address


def _digits(value):
    """What was typed, without the spaces and hyphens people group digits with."""
    return re.sub(r"[\s-]", "", value) if isinstance(value, str) else str(value) if _is_integer(value) else ""


def _pin_code(field, value, places):
    code = _digits(value)
    if not PIN_CODE.fullmatch(code):
        raise _Refused("form_answer_pin_code")
    return code


def _aadhaar(field, value, places):
    number = _digits(value)
    if not AADHAAR.fullmatch(number):
        raise _Refused("form_answer_aadhaar")
    if not verhoeff_valid(number):
        raise _Refused("form_answer_aadhaar_check")
    return number


def _district(field, value, places):
    code = value.strip().upper() if isinstance(value, str) else ""
    district = District.get_or_none(District.code == code) if code else None
    if district is None:
        raise _Refused("form_answer_district", value=str(value))
    places[field["key"]] = district
    return district.code


def _area(field, value, places):
    district = places.get(field.get("district_field"))
    if district is None:
        # The district is unknown (its own answer was refused, or no district was given): nothing to look in.
        raise _Refused("form_answer_area_no_district")
    code = value.strip() if isinstance(value, str) else ""
    if not Area.select().where(Area.district == district, Area.code == code).exists():
        raise _Refused("form_answer_area", value=str(value), district_en=district.name_en,
                       district_hi=district.name_hi)
    return code


def _document(field, document, places):
    content = getattr(document, "content", None) or b""
    if not content:
        raise _Refused("form_answer_document_empty")
    if len(content) > field["max_kb"] * 1024:
        raise _Refused("form_answer_document_too_large", max_kb=field["max_kb"])
    kind = next((name for name in field["file_types"] if content.startswith(FILE_TYPES[name])), None)
    if kind is None:
        raise _Refused("form_answer_document_type", types=", ".join(t.upper() for t in field["file_types"]))
    return {"filename": (getattr(document, "filename", "") or f"{field['key']}.{kind}")[:200],
            "content_type": CONTENT_TYPES[kind], "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest()}


CLEANERS = {
    "short_text": _text, "long_text": _text, "number": _number, "date": _date,
    "single_choice": _single_choice, "multiple_choice": _multiple_choice, "yes_no": _yes_no,
    "mobile": _mobile, "email": _email, "pin_code": _pin_code, "aadhaar": _aadhaar,
    "district": _district, "area": _area, "document": _document,
}


# Verhoeff's check digit (the last of an Aadhaar number): it catches every single wrong
# digit and every swap of two neighbours.
_MULTIPLY = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
_PERMUTE = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]


def verhoeff_valid(digits):
    """Whether a string of digits ends in its Verhoeff check digit."""
    check = 0
    for position, digit in enumerate(reversed(digits)):
        check = _MULTIPLY[check][_PERMUTE[position % 8][int(digit)]]
    return check == 0
