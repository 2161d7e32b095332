"""The catalogue as one JSON file: read for catalogue_file's load, and written by export().

The file is an object with any of the lists "districts", "departments",
"designations" and "services"; each entry has the keys of the CSV file's
columns, and a service also its "form" (form_fields) and "offered_in"
("state", or a list of {"district": code} and {"district": code, "area": code}).
docs/service-forms.md describes it with an example. What export() writes,
the load takes back changing nothing.
"""
import bisect
import json
import json.scanner
import re

from . import forms
from .catalogue import Department, Designation, District, Service

# A service's keys that are not columns of services.csv.
SERVICE_EXTRAS = ("form", "offered_in")
STATE = "state"
# A catalogue nests a handful of levels (services, a form, a field, its choices). The decoder
# recurses for each one, and a file nested a few thousand deep ended in a RecursionError.
MAX_DEPTH = 32
_NESTING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}\n]')


def read(raw, problem):
    """The JSON document in `raw`, and {id(object or list): the line it starts on} for each one in it.

    What cannot be read is told to problem(line, code, params), giving None.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problem(raw[:error.start].count(b"\n") + 1, "catalogue_not_utf8", {})
        return None, {}
    deep = _too_deep(text)
    if deep is not None:
        problem(deep, "catalogue_json_too_deep", {"most": MAX_DEPTH})
        return None, {}
    decoder = _Decoder(text)
    try:
        document = decoder.decode(text)
    except json.JSONDecodeError as error:
        problem(error.lineno, "catalogue_json_malformed", {"detail": error.msg})
        return None, {}
    if not isinstance(document, dict):
        problem(1, "catalogue_json_not_object", {})
        return None, {}
    for key, names in decoder.duplicates.items():
        problem(decoder.lines[key], "catalogue_column_duplicate", {"column": ", ".join(names)})
    return document, decoder.lines


def _too_deep(text):
    """The line on which the brackets first nest deeper than MAX_DEPTH (strings skipped), or None."""
    depth, line = 0, 1
    for token in _NESTING.finditer(text):
        char = token.group()
        if char == "\n":
            line += 1
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif char in "]}":
            depth -= 1
    return None


def cells(kind, entry, line, problem):
    """An entry as a row: each value text as a CSV cell would hold it, but a service's form and places,
    which stay as they are. None, having told problem() why, when it cannot be one."""
    row = {}
    for key, value in entry.items():
        if kind == "services" and key in SERVICE_EXTRAS:
            row[key] = value
        elif value is None:
            row[key] = ""
        elif isinstance(value, str):
            row[key] = value.strip()
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            row[key] = repr(value)
        else:
            problem(line, "catalogue_value_type", {"column": key})
            return None
    if _has_nul(entry):
        # JSON's \u0000 reads as a NUL, which PostgreSQL refuses in text mid-transaction.
        problem(line, "catalogue_json_malformed", {"detail": "NUL character"})
        return None
    return row


def _has_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class _Decoder(json.JSONDecoder):
    """json's own decoder, noting the line each object starts on and the keys an object repeats."""

    def __init__(self, text):
        super().__init__(object_pairs_hook=self._object)
        self.lines, self.duplicates = {}, {}
        self._line_starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
        self.parse_object = self._noting(self.parse_object)
        self.parse_array = self._noting(self.parse_array)
        # The C scanner would call json's own parse_object, not ours.
        self.scan_once = json.scanner.py_make_scanner(self)

    def _noting(self, parse):
        def parse_and_note(string_and_start, *args):
            found, end = parse(string_and_start, *args)
            self.lines[id(found)] = bisect.bisect_right(self._line_starts, string_and_start[1] - 1)
            return found, end
        return parse_and_note

    def _object(self, pairs):
        found = dict(pairs)
        if len(found) < len(pairs):
            keys = [key for key, _ in pairs]
            self.duplicates[id(found)] = sorted({key for key in keys if keys.count(key) > 1})
        return found


# Export

def export():
    """The whole catalogue (districts, departments, designations, services with forms and places)
    as a dict for json.dump, in the shape read() takes."""
    return {
        "districts": [{"code": d.code, "name_en": d.name_en, "name_hi": d.name_hi, "division": d.division,
                       "headquarters": d.headquarters} for d in District.select().order_by(District.code)],
        "departments": [{"code": d.code, "name_en": d.name_en, "name_hi": d.name_hi, "kind": d.kind}
                        for d in Department.select().order_by(Department.code)],
        "designations": [{"department": d.department.code, "name": d.name, "level": d.level, "note": d.note}
                         for d in Designation.select(Designation, Department).join(Department)
                         .order_by(Department.code, Designation.name)],
        "services": [_service(s) for s in Service.select(Service, Department).join(Department)
                     .order_by(Service.code)],
    }


def dumps():
    """export() as the text of a JSON file: what the CLI writes and the admin downloads."""
    return json.dumps(export(), ensure_ascii=False, indent=2) + "\n"


def _service(service):
    # The demo's illustrative limit is no notified one: written empty, which the import never takes for a limit
    # (nor for clearing one), and without the status the demo published it with, so that a new service loads
    # as a draft and an existing one keeps its own.
    demo = service.tat_is_demo
    out = {"code": service.code, "department": service.department.code, "name_en": service.name_en,
           "name_hi": service.name_hi, "category": service.category, "tat": None if demo else service.tat_value,
           "tat_unit": None if demo else service.tat_unit}
    for post in ("designated_officer", "first_appellate", "second_appellate"):
        designation = getattr(service, post)
        out[post] = designation.name if designation else ""
    out.update(fee=str(service.fee), description_en=service.description_en, description_hi=service.description_hi,
               eligibility_en=service.eligibility_en, eligibility_hi=service.eligibility_hi, note=service.note,
               **({} if demo else {"status": service.status}))
    places = forms.places(service)
    out["offered_in"] = [{"district": p.district.code, **({"area": p.area.code} if p.area else {})}
                         for p in places] or STATE
    version = forms.current_version(service)
    if version is not None:
        out["form"] = version.fields
    return out
