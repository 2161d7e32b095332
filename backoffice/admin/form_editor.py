"""The form designer's rows: a service's form definition as the editor's inputs, and back.

The editor posts one row of inputs per field (`f3-label_en`, `f3-c1-key` for
its choices ...), a position to order them by and a box to remove one. Rows
are read into the field dicts models/form_fields.py checks, keeping what was
typed as it was typed where it is not the right kind of value, so that the
check names the problem on its field instead of the editor guessing.
Only the rules a field's type takes are read: switching a field from short
text to number leaves its maximum length behind rather than refusing it.
"""
from models import Area, District, form_fields

from .ids import row_id

TEXTS = ("key", "label_en", "label_hi", "help_en", "help_hi")
PATTERN = ("pattern", "pattern_message_en", "pattern_message_hi")
WHOLE_NUMBERS = ("max_length", "decimals", "max_kb")
CHOICE_TEXTS = ("key", "label_en", "label_hi")
# Blank rows offered for a new field and for a field's new choices.
NEW_CHOICES = 2


def editor_rows(fields):
    """The editor's rows for a stored definition, each a dict of the inputs' values (choices a list)."""
    rows = []
    for field in fields:
        row = {name: "" if value is None else value for name, value in field.items() if name != "choices"}
        for name in ("min", "max", *WHOLE_NUMBERS):
            row[name] = "" if field.get(name) is None else str(field[name])
        row["choices"] = [dict(choice) for choice in field.get("choices", ())]
        rows.append(row)
    return rows


def blank_row():
    return {"type": "short_text", "required": False, "sensitive": False, "choices": []}


def read_rows(form):
    """The rows posted by the editor (a MultiDict), in the order their positions give, removed ones left out
    and blank ones dropped."""
    rows = []
    for index in range(_count(form.get("field-count"))):
        prefix = f"f{index}-"
        if form.get(prefix + "remove"):
            continue
        row = {name: form.get(prefix + name, "").strip() for name in (*TEXTS, *PATTERN, "min", "max",
                                                                       "district_field", *WHOLE_NUMBERS)}
        row["type"] = form.get(prefix + "type", "")
        row["required"] = bool(form.get(prefix + "required"))
        row["sensitive"] = bool(form.get(prefix + "sensitive"))
        row["file_types"] = form.getlist(prefix + "file_types")
        row["choices"] = [choice for choice in (
            {name: form.get(f"{prefix}c{number}-{name}", "").strip() for name in CHOICE_TEXTS}
            for number in range(_count(form.get(prefix + "choice-count")))) if any(choice.values())]
        if not any(row[name] for name in (*TEXTS, *PATTERN)) and not row["choices"]:
            continue  # an empty row the editor offered for a new field
        rows.append((_position(form.get(prefix + "position"), index), index, row))
    return [row for _, _, row in sorted(rows, key=lambda entry: entry[:2])]


def definition(rows):
    """The field dicts of the editor's rows, as models.forms.save_form takes them."""
    return [_field(row) for row in rows]


def _field(row):
    kind = row["type"]
    rules = form_fields.RULES.get(kind, ())
    field = {name: row[name] for name in TEXTS if row[name] or name in ("key", "label_en", "label_hi")}
    field.update(type=kind, required=row["required"], sensitive=row["sensitive"])
    if "pattern" in rules and row["pattern"]:
        field.update((name, row[name]) for name in PATTERN)
    for name in WHOLE_NUMBERS:
        if name in rules and row[name]:
            field[name] = _whole(row[name])
    for name in ("min", "max"):
        if name in rules and row[name]:
            field[name] = _number(row[name]) if kind == "number" else row[name]
    if "district_field" in rules and row["district_field"]:
        field["district_field"] = row["district_field"]
    if "choices" in rules:
        field["choices"] = row["choices"]
    if "file_types" in rules and row["file_types"]:
        field["file_types"] = row["file_types"]
    return field


def _count(value):
    # A forged count cannot make the editor read thousands of rows: a form has at most MAX_FIELDS.
    return min(int(value), form_fields.MAX_FIELDS + 1) if (value or "").isdigit() else 0


def _position(value, index):
    try:
        return float(value)
    except (TypeError, ValueError):
        return index + 1


def _whole(text):
    return int(text) if text.lstrip("-").isdigit() else text


def _number(text):
    """A typed bound as a number; left as text (refused as not a number by the check) when it is none."""
    try:
        return int(text)
    except ValueError:
        try:
            value = float(text)
        except ValueError:
            return text
        return value if value == value and abs(value) != float("inf") else text


def errors_by_row(problems):
    """{row index: [FieldError]} and the errors of the form as a whole, from save_form's refusal."""
    by_row, whole = {}, []
    for problem in problems:
        if problem.index is None:
            whole.append(problem)
        else:
            by_row.setdefault(problem.index, []).append(problem)
    return by_row, whole


# Places

def read_places(form):
    """The (district, area or None) pairs chosen, or None when the whole state is."""
    if form.get("offered") != "chosen":
        return None
    chosen = []
    for value in form.getlist("place"):
        kind, _, raw = value.partition(":")
        pk = row_id(raw)
        if pk is None:
            continue
        if kind == "district" and (district := District.get_or_none(District.id == pk)):
            chosen.append((district, None))
        elif kind == "area" and (area := Area.get_or_none(Area.id == pk)):
            chosen.append((area.district, area))
    return chosen


def place_values(offerings):
    """The editor's values for stored ServiceOffering rows."""
    return {f"area:{o.area_id}" if o.area_id else f"district:{o.district_id}" for o in offerings}
