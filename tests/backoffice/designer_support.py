"""The form designer's moves as a browser makes them (backoffice/admin/form_designer.py), for
tests/backoffice/test_admin_service_form.py and the journey through it."""
import json
from pathlib import Path

from tests.backoffice.scope_support import FormReader

EXAMPLE = Path(__file__).resolve().parent.parent.parent / "catalogue" / "examples" / "oxygen-refill.json"
TEXTS = ("key", "label_en", "label_hi", "help_en", "help_hi", "max_length", "pattern", "pattern_message_en",
         "pattern_message_hi", "min", "max", "decimals", "district_field", "max_kb")


def example_form():
    """The form of catalogue/examples/oxygen-refill.json: six questions of different types and two documents."""
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))["services"][0]["form"]


def designer_url(service):
    return f"/admin/service/form/?id={service.id}"


def inputs(page):
    """The designer form's inputs as the page has them: {name: [values]}."""
    reader = FormReader()
    reader.feed(page.get_data(as_text=True))
    return next(form for form in reader.forms if "field-count" in form)


def press(client, service, page, action, **changes):
    """Post the designer's form as the page has it, `changes` typed in ({name: value, list, or None to clear
    a box}), with the button `action` (save, preview, add)."""
    data = {**inputs(page), **changes, "action": action}
    return client.post(designer_url(service), data={k: v for k, v in data.items() if v is not None},
                       follow_redirects=True)


def row_values(index, field, choices=()):
    """What typing `field` (a definition dict) into row `index` changes, with `choices` into its choice rows."""
    values = {f"f{index}-{name}": str(field[name]) if name in field else "" for name in TEXTS}
    values[f"f{index}-type"] = field["type"]
    for name in ("required", "sensitive"):
        values[f"f{index}-{name}"] = "y" if field.get(name) else None
    if "file_types" in field:
        values[f"f{index}-file_types"] = field["file_types"]
    for number, choice in choices:
        values.update({f"f{index}-c{number}-{name}": choice[name] for name in ("key", "label_en", "label_hi")})
    return values


def type_field(client, service, page, field):
    """Type `field` into the designer's empty row, its choices a page's worth of empty choice rows at a
    time, pressing Preview after each; returns the last page."""
    index = int(inputs(page)["field-count"][0]) - 1
    choices = list(enumerate(field.get("choices", [])))
    while True:
        offered = int(inputs(page)[f"f{index}-choice-count"][0])
        first = sum(1 for n in range(offered) if inputs(page).get(f"f{index}-c{n}-key", [""])[0])
        batch, choices = choices[:offered - first], choices[offered - first:]
        page = press(client, service, page, "preview", **row_values(index, field, batch))
        if not choices:
            return page
