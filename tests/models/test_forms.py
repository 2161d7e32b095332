"""Service forms (models/form_fields.py, form_patterns.py, forms.py): definitions, answers, versions, places.

The tests of definitions, patterns and answers need no database; those of
versions, places and filing run on both.
"""
import datetime
import json
import shutil
import subprocess
import time

import pytest

from models import (
    Area, Citizen, Department, Designation, District, DomainError, Officer, Post, Service, ServiceOffering,
    ServiceRequest, form_fields, form_patterns, forms,
)
from models.form_fields import FieldError, check_definition, validate_submission, verhoeff_valid
from models.forms import FormVersion
from models.lifecycle import Document, file
from tests.rows import snapshot

PDF = b"%PDF-1.4\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 20
GOOD_AADHAAR = "234123412346"  # UIDAI's own example number


def field(key, kind, **rules):
    return {"key": key, "type": kind, "label_en": key.replace("_", " ").capitalize(), "label_hi": f"{key} हिंदी",
            **rules}


CHOICES = [{"key": "b_type", "label_en": "B-type", "label_hi": "बी-टाइप"},
           {"key": "d_type", "label_en": "D-type", "label_hi": "डी-टाइप"}]
# One field of every type.
EVERY_TYPE = [
    field("name", "short_text", required=True, max_length=20),
    field("pan", "short_text", pattern="[A-Z]{5}[0-9]{4}[A-Z]", pattern_message_en="Like ABCDE1234F",
          pattern_message_hi="ABCDE1234F जैसा"),
    field("address", "long_text", max_length=50),
    field("cylinders", "number", min=1, max=2),
    field("weight", "number", min=0.5, max=99.5, decimals=1),
    field("tested_on", "date", min="2020-03-01", max="2021-12-31"),
    field("cylinder", "single_choice", choices=CHOICES),
    field("cylinders_seen", "multiple_choice", choices=CHOICES),
    field("isolated", "yes_no"),
    field("mobile", "mobile"),
    field("email", "email"),
    field("pin", "pin_code"),
    field("aadhaar", "aadhaar"),
    field("home_district", "district"),
    field("home_area", "area", district_field="home_district"),
    field("ward", "area"),
    field("report", "document", file_types=["pdf", "png"], max_kb=1),
]


def version(fields):
    """A FormVersion in memory: validation reads only its fields."""
    return FormVersion(fields=form_fields.canonical(fields), number=1)


def errors_of(fields, answers, documents=None, **places):
    clean, errors = validate_submission(version(fields), answers, documents, **places)
    return [(e.code, e.field) for e in errors]


def one(kind, value, **rules):
    """Validate a single answer of a field of `kind`; returns (clean value, error codes)."""
    definition = [field("answer", kind, **rules)]
    assert check_definition(definition) == []
    documents = {"answer": value} if kind == "document" else None
    answers = None if kind == "document" else {"answer": value}
    clean, errors = validate_submission(version(definition), answers, documents)
    return clean.get("answer"), [e.code for e in errors]


def problems(fields):
    return [(p.code, p.index) for p in check_definition(fields)]


# Definitions

def test_a_form_of_every_type_is_accepted_and_gets_its_defaults():
    assert check_definition(EVERY_TYPE) == []
    stored = form_fields.canonical(EVERY_TYPE)
    assert stored[0] == {"key": "name", "type": "short_text", "label_en": "Name", "label_hi": "name हिंदी",
                         "help_en": "", "help_hi": "", "required": True, "sensitive": False, "max_length": 20}
    assert stored[3]["decimals"] == 0
    assert stored[12]["sensitive"] is True  # an Aadhaar number always is
    assert stored[16]["file_types"] == ["pdf", "png"]
    assert form_fields.canonical(stored) == stored
    assert check_definition(stored) == []


@pytest.mark.parametrize("fields, expected", [
    ([field("a", "short_text"), field("a", "long_text")], [("form_key_duplicate", 1)]),
    ([field("cylinder", "single_choice")], [("form_choices_missing", 0)]),
    ([field("cylinder", "multiple_choice", choices=[])], [("form_choices_missing", 0)]),
    ([field("n", "number", min=5, max=1)], [("form_min_above_max", 0)]),
    ([field("d", "date", min="2021-01-02", max="2021-01-01")], [("form_min_above_max", 0)]),
    ([field("f", "document", max_kb=form_fields.MAX_DOCUMENT_KB + 1)], [("form_document_over_limit", 0)]),
    ([field("p", "short_text", pattern="(", pattern_message_en="x", pattern_message_hi="x")],
     [("form_pattern_invalid", 0)]),
    ([field("p", "short_text", pattern="a" * 201, pattern_message_en="x", pattern_message_hi="x")],
     [("form_pattern_too_long", 0)]),
    ([field("p", "short_text", pattern="(?=a)a", pattern_message_en="x", pattern_message_hi="x")],
     [("form_pattern_unsupported", 0)]),
    ([field("p", "short_text", pattern="[0-9]+")], [("form_text_missing", 0), ("form_text_missing", 0)]),
    ([field("Name", "short_text")], [("form_key_invalid", 0)]),
    ([field("x", "signature")], [("form_type_unknown", 0)]),
    ([field("x", ["yes_no"])], [("form_type_unknown", 0)]),
    ([field("x", "number", pattern="[0-9]+")], [("form_rule_unknown", 0)]),
    ([field("x", "yes_no", required="yes")], [("form_rule_invalid", 0)]),
    ([{**field("x", "yes_no"), "label_hi": ""}], [("form_text_missing", 0)]),
    ([field("x", "short_text", help_en="h" * 1001)], [("form_text_too_long", 0)]),
    ([field("x", "short_text", max_length=501)], [("form_rule_out_of_range", 0)]),
    ([field("x", "number", decimals=7)], [("form_rule_out_of_range", 0)]),
    ([field("x", "number", min="one")], [("form_rule_not_number", 0)]),
    ([field("x", "date", max="31-12-2021")], [("form_rule_not_date", 0)]),
    ([field("x", "document", file_types=["pdf", "exe"])], [("form_file_type_unknown", 0)]),
    ([field("x", "document", max_kb=0)], [("form_rule_out_of_range", 0)]),
    ([field("x", "area", district_field="nowhere")], [("form_area_district_field", 0)]),
    ([field("x", "area", district_field="d"), field("d", "district")], [("form_area_district_field", 0)]),
    ([field("x", "single_choice", choices=CHOICES + [CHOICES[0]])], [("form_choice_duplicate", 0)]),
    ([field("x", "single_choice", choices=[{"key": "a", "label_en": "A"}])], [("form_choice_invalid", 0)]),
    ([field("x", "yes_no"), "y"], [("form_field_not_an_object", 1)]),
    ({"key": "x"}, [("form_not_a_list", None)]),
    ([field(f"f{i}", "yes_no") for i in range(101)], [("form_too_many_fields", None)]),
    ([], [("form_empty", None)]),
])
def test_a_bad_definition_is_refused_on_the_offending_field(fields, expected):
    assert problems(fields) == expected


def test_every_problem_of_a_definition_is_told_at_once_with_its_field():
    found = check_definition([field("a", "short_text"), field("a", "number", min=3, max=2),
                              field("c", "single_choice")])
    assert [(p.code, p.index, p.params["number"], p.params["key"]) for p in found] == [
        ("form_key_duplicate", 1, 2, "a"), ("form_min_above_max", 1, 2, "a"), ("form_choices_missing", 2, 3, "c")]
    assert found[0].params["first"] == 1
    assert found[2].field == "c"


# The pattern dialect

DIALECT = [
    ("[A-Z]{5}[0-9]{4}[A-Z]", "ABCDE1234F", "abcde1234f"),
    (r"\d{6}", "123456", "१२३४५६"),  # \d is 0-9, as in JavaScript, not any digit Python knows
    (r"\w+", "ab_9", "अब"),
    (r"a\s?b", "a\u00a0b", "a-b"),  # JavaScript's white space includes the no-break space
    ("a.c", "abc", "a\u2028c"),  # . stops at line ends, as in JavaScript
    ("^ab$", "ab", "ab\n"),  # $ is the very end, not before a final line break
    ("(?:HR|DL)-?[0-9]{2}", "HR-26", "UP-26"),
    ("[^0-9]*", "abc", "a1"),
    (r"[\d\-]{3,5}", "12-3", "12"),
    (r"\D\W\S", "a-b", "a- "),
    (r"(ab|cd)+", "abcdab", "abc"),
    ("राम", "राम", "श्याम"),
    (r"\/\.\$", "/.$", "/x$"),
]


@pytest.mark.parametrize("pattern, good, bad", DIALECT)
def test_the_dialect_means_what_javascript_means(pattern, good, bad):
    assert form_patterns.check(pattern) is None
    assert form_patterns.matches(pattern, good)
    assert not form_patterns.matches(pattern, bad)


@pytest.mark.skipif(not shutil.which("node"), reason="needs node to run the app's side of the dialect")
def test_javascript_agrees():
    script = (
        "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(cases.map(([p, t]) => new RegExp('^(?:' + p + ')$', 'u').test(t))));")
    cases = [(pattern, text) for pattern, good, bad in DIALECT for text in (good, bad)]
    run = subprocess.run(["node", "-e", script], input=json.dumps(cases), capture_output=True, text=True, check=True)
    assert json.loads(run.stdout) == [form_patterns.matches(pattern, text) for pattern, text in cases]


@pytest.mark.parametrize("pattern, construct", [
    (r"(a)\1", r"\1"),
    ("a(?=b)", "(?="),
    ("a(?!b)", "(?!"),
    ("(?<=a)b", "(?<"),
    ("(?<name>a)", "(?<"),
    ("(?P<name>a)", "(?P"),
    ("(?i)a", "(?i"),
    ("(?>a)", "(?>"),
    ("a+?", "+?"),
    ("a++", "++"),
    ("a{2}?", "{2}?"),
    (r"\bword", r"\b"),
    (r"\p{L}", r"\p"),
    (r"\n", r"\n"),
    ("a{,3}", "{"),
    ("a{1001}", "{1001}"),
    ("x]", "]"),
    ("x}", "}"),
    ("[-a]", "-"),
    ("[a-]", "]"),
    ("[a&&b]", "&&"),
    ("[(]", "("),
    (r"[\d-z]", r"\d-z"),
    (r"[\D]", r"\D"),
    ("😀", "U+1F600"),
    ("^*a", "^*"),
])
def test_what_both_do_not_read_alike_is_refused(pattern, construct):
    code, params = form_patterns.check(pattern)
    assert (code, params["construct"]) == ("form_pattern_unsupported", construct)


@pytest.mark.parametrize("pattern", ["(", "[a", "*a", "a{2,1}", "[z-a]", "a)"])
def test_a_pattern_that_does_not_compile_is_refused(pattern):
    code, params = form_patterns.check(pattern)
    assert code in ("form_pattern_invalid", "form_pattern_unsupported")


def test_a_pattern_of_at_most_200_characters():
    assert form_patterns.check("a" * 200) is None
    assert form_patterns.check("a" * 201) == ("form_pattern_too_long", {"max": 200, "length": 201})


@pytest.mark.parametrize("pattern", ["(a+)+$", "(a|a)+$", "(a|aa)+$", "(\\w+\\s?)+$"])
def test_a_catastrophic_pattern_cannot_hold_a_worker(pattern):
    definition = [field("p", "short_text", max_length=500, pattern=pattern, pattern_message_en="No",
                        pattern_message_hi="नहीं")]
    assert check_definition(definition) == []
    started = time.monotonic()
    errors = errors_of(definition, {"p": "a" * 60 + "!"})
    assert time.monotonic() - started < 1
    assert errors in ([("form_answer_pattern", "p")], [("form_answer_pattern_timeout", "p")])


def test_a_pattern_that_runs_out_of_time_refuses_the_answer():
    definition = [field("p", "short_text", pattern="(a|a)+$", pattern_message_en="No", pattern_message_hi="नहीं")]
    assert errors_of(definition, {"p": "a" * 60 + "!"}) == [("form_answer_pattern_timeout", "p")]
    assert errors_of(definition, {"p": "aaa"}) == []


# Answers, type by type

@pytest.mark.parametrize("kind, rules, value, clean", [
    ("short_text", {}, "  Sita Devi ", "Sita Devi"),
    ("short_text", {"max_length": 4}, "abcd", "abcd"),
    ("long_text", {}, "Line one\nline two", "Line one\nline two"),
    ("number", {"min": 1, "max": 2}, "2", 2),
    ("number", {}, 7, 7),
    ("number", {"decimals": 2, "min": 0.5}, "12.25", 12.25),
    ("number", {"decimals": 1}, 12.5, 12.5),
    ("number", {}, "-3", -3),
    ("date", {"min": "2020-03-01", "max": "2020-03-31"}, "2020-03-31", "2020-03-31"),
    ("date", {}, datetime.date(2021, 5, 1), "2021-05-01"),
    ("single_choice", {"choices": CHOICES}, "d_type", "d_type"),
    ("multiple_choice", {"choices": CHOICES}, ["d_type", "b_type", "d_type"], ["b_type", "d_type"]),
    ("multiple_choice", {"choices": CHOICES}, "b_type", ["b_type"]),
    ("yes_no", {}, True, True),
    ("yes_no", {}, "no", False),
    ("yes_no", {}, False, False),
    ("mobile", {}, "+91 98123-45678", "9812345678"),
    ("mobile", {}, "09812345678", "9812345678"),
    ("email", {}, " sita@example.in ", "sita@example.in"),
    ("pin_code", {}, "134 003", "134003"),
    ("aadhaar", {}, "2341 2341 2346", GOOD_AADHAAR),
    ("aadhaar", {}, 234123412346, GOOD_AADHAAR),
])
def test_a_good_answer_gives_its_clean_value(kind, rules, value, clean):
    assert one(kind, value, **rules) == (clean, [])


@pytest.mark.parametrize("kind, rules, value, code", [
    ("short_text", {"max_length": 4}, "abcde", "form_answer_too_long"),
    ("short_text", {}, "two\nlines", "form_answer_bad_character"),
    ("short_text", {}, "nul\x00", "form_answer_bad_character"),
    ("short_text", {}, 5, "form_answer_invalid"),
    ("long_text", {"max_length": 5}, "abcdef", "form_answer_too_long"),
    ("number", {}, "two", "form_answer_not_number"),
    ("number", {}, "1e3", "form_answer_not_number"),
    ("number", {}, "1,00,000", "form_answer_not_number"),
    ("number", {}, True, "form_answer_not_number"),
    ("number", {}, "1" * 13, "form_answer_not_number"),
    ("number", {}, "2.5", "form_answer_not_whole"),
    ("number", {"decimals": 1}, "2.55", "form_answer_too_many_decimals"),
    ("number", {"min": 1}, "0", "form_answer_below_min"),
    ("number", {"max": 2}, "3", "form_answer_above_max"),
    ("date", {}, "31-03-2020", "form_answer_not_date"),
    ("date", {}, "2021-02-30", "form_answer_not_date"),
    ("date", {"min": "2020-03-01"}, "2020-02-29", "form_answer_date_before"),
    ("date", {"max": "2020-03-31"}, "2020-04-01", "form_answer_date_after"),
    ("single_choice", {"choices": CHOICES}, "c_type", "form_answer_choice_unknown"),
    ("single_choice", {"choices": CHOICES}, ["b_type"], "form_answer_choice_unknown"),
    ("multiple_choice", {"choices": CHOICES}, ["b_type", "x"], "form_answer_choice_unknown"),
    ("multiple_choice", {"choices": CHOICES}, {"b_type": True}, "form_answer_invalid"),
    ("yes_no", {}, "maybe", "form_answer_not_yes_no"),
    ("yes_no", {}, 1, "form_answer_not_yes_no"),
    ("mobile", {}, "5812345678", "form_answer_mobile"),
    ("mobile", {}, "981234567", "form_answer_mobile"),
    ("email", {}, "sita@", "form_answer_email"),
    ("email", {}, "sita example.in", "form_answer_email"),
    ("email", {}, "sita@example", "form_answer_email"),
    ("pin_code", {}, "034003", "form_answer_pin_code"),
    ("pin_code", {}, "13400", "form_answer_pin_code"),
    ("aadhaar", {}, "234123412345", "form_answer_aadhaar_check"),
    ("aadhaar", {}, "243123412346", "form_answer_aadhaar_check"),  # two digits swapped
    ("aadhaar", {}, "134123412346", "form_answer_aadhaar"),
    ("aadhaar", {}, "034123412346", "form_answer_aadhaar"),
    ("aadhaar", {}, "23412341234", "form_answer_aadhaar"),
    ("aadhaar", {}, "२३४१२३४१२३४६", "form_answer_aadhaar"),
])
def test_a_bad_answer_is_refused(kind, rules, value, code):
    assert one(kind, value, **rules) == (None, [code])


def test_documents_by_their_bytes_and_size():
    rules = {"file_types": ["pdf", "png"], "max_kb": 1}
    clean, errors = one("document", Document("report.pdf", "application/octet-stream", PDF), **rules)
    assert errors == []
    assert clean == {"filename": "report.pdf", "content_type": "application/pdf", "size": len(PDF),
                     "sha256": clean["sha256"]} and len(clean["sha256"]) == 64
    assert one("document", Document("x.png", "image/png", PNG), **rules)[0]["content_type"] == "image/png"
    # A JPEG named .pdf is a JPEG, and this field takes none.
    assert one("document", Document("x.pdf", "application/pdf", JPEG), **rules) == (
        None, ["form_answer_document_type"])
    assert one("document", Document("x.pdf", "application/pdf", PDF + b"0" * 1024), **rules) == (
        None, ["form_answer_document_too_large"])
    assert one("document", Document("x.pdf", "application/pdf", b""), **rules) == (None, ["form_answer_document_empty"])


@pytest.mark.parametrize("digits, valid", [
    ("2363", True), ("2364", False), ("2336", False), ("0", True),
    (GOOD_AADHAAR, True), ("499187654323", True), ("987654321012", True),
    ("499187654322", False), ("987654321021", False),
])
def test_verhoeff_check_digits(digits, valid):
    assert verhoeff_valid(digits) is valid


def test_verhoeff_catches_every_single_wrong_digit_and_every_swap():
    for position in range(12):
        for digit in "0123456789":
            changed = GOOD_AADHAAR[:position] + digit + GOOD_AADHAAR[position + 1:]
            assert verhoeff_valid(changed) is (changed == GOOD_AADHAAR)
    for position in range(11):
        swapped = (GOOD_AADHAAR[:position] + GOOD_AADHAAR[position + 1] + GOOD_AADHAAR[position]
                   + GOOD_AADHAAR[position + 2:])
        assert verhoeff_valid(swapped) is (swapped == GOOD_AADHAAR)


def test_every_error_of_a_submission_at_once_with_the_labels_in_both_languages():
    answers = {"name": "x" * 21, "cylinders": "3", "tested_on": "yesterday", "mobile": "12345", "aadhaar": "1",
               "extra": "?"}
    clean, errors = validate_submission(version(EVERY_TYPE), answers, {"report": Document("r", "", b"MZ")})
    assert [(e.code, e.field) for e in errors] == [
        ("form_field_unknown", "extra"),
        ("form_answer_too_long", "name"),
        ("form_answer_above_max", "cylinders"),
        ("form_answer_not_date", "tested_on"),
        ("form_answer_mobile", "mobile"),
        ("form_answer_aadhaar", "aadhaar"),
        ("form_answer_document_type", "report"),
    ]
    assert all(isinstance(e, FieldError) for e in errors)
    assert errors[1].params == {"key": "name", "label_en": "Name", "label_hi": "name हिंदी", "max": 20,
                                "length": 21}
    assert clean == {}


def test_required_fields_and_empty_answers():
    definition = [field("name", "short_text", required=True), field("note", "long_text"),
                  field("kinds", "multiple_choice", required=True, choices=CHOICES),
                  field("photo", "document", required=True)]
    assert errors_of(definition, {"name": "  ", "note": "", "kinds": []}) == [
        ("form_field_required", "name"), ("form_field_required", "kinds"), ("form_field_required", "photo")]
    clean, errors = validate_submission(version(definition), {"name": "Sita", "kinds": ["b_type"]},
                                        {"photo": Document("p.pdf", "", PDF)})
    assert errors == [] and set(clean) == {"name", "kinds", "photo"}  # the unanswered note is left out


def test_a_pattern_refusal_carries_the_administrators_message_in_both_languages():
    clean, errors = validate_submission(version(EVERY_TYPE), {"pan": "abcde1234f"})
    pattern = [e for e in errors if e.field == "pan"][0]
    assert pattern.code == "form_answer_pattern"
    assert (pattern.params["message_en"], pattern.params["message_hi"]) == ("Like ABCDE1234F", "ABCDE1234F जैसा")


# Districts and areas (the database)

@pytest.fixture
def world(db):
    w = type("World", (), {})()
    w.amb = District.create(code="AMB", name_en="Ambala", name_hi="अंबाला")
    w.ggm = District.create(code="GGM", name_en="Gurugram", name_hi="गुरुग्राम")
    w.amb_tehsil = Area.create(district=w.amb, code="AMB-T", name_en="Ambala tehsil", name_hi="अंबाला तहसील",
                               kind="tehsil")
    w.ggm_mc = Area.create(district=w.ggm, code="GGM-MC", name_en="Gurugram MC", name_hi="गुरुग्राम नि.",
                           kind="municipal corporation")
    w.hlt = Department.create(code="HLT", name_en="Health", name_hi="स्वास्थ्य")
    w.post = Designation.create(department=w.hlt, name="Civil Surgeon", level="district")
    w.service = Service.create(code="HLT-O2", name_en="Oxygen refill", name_hi="ऑक्सीजन रिफिल", department=w.hlt,
                               category="covid-19", tat_value=24, tat_unit="hours", designated_officer=w.post,
                               status="published")
    w.surgeon = Officer.create(name="Surgeon", email="surgeon@x.in")
    Post.create(officer=w.surgeon, designation=w.post, district=w.amb)
    w.admin = Officer.create(name="Admin", email="admin@x.in")
    w.citizen = Citizen.create(mobile="9876500001", name="Sita Devi")
    return w


def test_district_and_area_answers(world):
    definition = [field("home_district", "district"), field("home_area", "area", district_field="home_district"),
                  field("ward", "area")]
    clean, errors = validate_submission(version(definition), {"home_district": "ggm", "home_area": "GGM-MC",
                                                              "ward": "AMB-T"}, district=world.amb)
    assert errors == []
    assert clean == {"home_district": "GGM", "home_area": "GGM-MC", "ward": "AMB-T"}
    clean, errors = validate_submission(version(definition), {"home_district": "AMB", "home_area": "GGM-MC",
                                                              "ward": "GGM-MC"}, district=world.amb)
    assert [(e.code, e.field) for e in errors] == [("form_answer_area", "home_area"), ("form_answer_area", "ward")]
    assert (errors[0].params["district_en"], errors[0].params["district_hi"]) == ("Ambala", "अंबाला")
    clean, errors = validate_submission(version(definition), {"home_district": "XYZ", "home_area": "GGM-MC"})
    assert [(e.code, e.field) for e in errors] == [("form_answer_district", "home_district"),
                                                   ("form_answer_area_no_district", "home_area")]


# Versions

FORM = [field("patient", "short_text", required=True), field("cylinders", "number", min=1, max=2)]
CHANGED = [field("patient", "short_text", required=True), field("cylinders", "number", min=1, max=3)]


def test_a_draft_form_is_edited_in_place(world):
    world.service.status = "draft"
    first = forms.save_form(world.service, FORM, world.admin)
    assert (first.number, first.superseded_at, first.created_by.id) == (1, None, world.admin.id)
    again = forms.save_form(world.service, CHANGED, world.admin)
    assert again.id == first.id and again.number == 1
    assert FormVersion.get_by_id(first.id).fields == form_fields.canonical(CHANGED)
    assert FormVersion.select().count() == 1


def test_editing_a_published_form_makes_a_new_version(world):
    at = datetime.datetime(2021, 5, 1, 10, 0)
    first = forms.save_form(world.service, FORM, world.admin, at=at)
    assert forms.save_form(world.service, FORM, world.admin).id == first.id  # the same fields: nothing new
    second = forms.save_form(world.service, CHANGED, world.admin, at=at + datetime.timedelta(hours=1))
    assert second.number == 2 and second.superseded_at is None
    assert FormVersion.get_by_id(first.id).superseded_at == at + datetime.timedelta(hours=1)
    assert forms.current_version(world.service).id == second.id
    assert forms.version(world.service, 1).id == first.id


def test_a_form_a_request_was_filed_on_is_never_edited_in_place(world):
    first = forms.save_form(world.service, FORM)
    request = file(world.service, world.citizen, world.amb, form_version=1, form_values={"patient": "Sita"})
    assert request.form_version.id == first.id
    world.service.status = "draft"
    world.service.save()
    second = forms.save_form(world.service, CHANGED)
    assert second.number == 2
    assert ServiceRequest.get_by_id(request.id).form_version.fields == form_fields.canonical(FORM)


def test_a_form_is_never_emptied_and_a_service_without_one_stays_without(world):
    forms.save_form(world.service, FORM)
    before = snapshot()
    with pytest.raises(DomainError) as error:
        forms.save_form(world.service, [])
    assert [p.code for p in error.value.params["problems"]] == ["form_empty"]
    assert snapshot() == before


def test_a_bad_definition_saves_nothing_and_says_everything(world):
    with pytest.raises(DomainError) as error:
        forms.save_form(world.service, [field("a", "single_choice"), field("a", "number", min=2, max=1)])
    assert error.value.code == "form_definition_invalid" and error.value.params["count"] == 3
    assert [p.code for p in error.value.params["problems"]] == [
        "form_choices_missing", "form_key_duplicate", "form_min_above_max"]
    assert FormVersion.select().count() == 0


def test_an_editor_working_on_an_old_version_is_told(world):
    forms.save_form(world.service, FORM, based_on=0)
    with pytest.raises(DomainError) as error:
        forms.save_form(world.service, CHANGED, based_on=0)
    assert error.value.code == "form_changed"
    assert forms.save_form(world.service, CHANGED, based_on=1).number == 2


def test_the_grace_period_and_its_last_moment(world):
    superseded = datetime.datetime(2021, 5, 1, 10, 0)
    forms.save_form(world.service, FORM)
    forms.save_form(world.service, CHANGED, at=superseded)
    old, new = forms.version(world.service, 1), forms.version(world.service, 2)
    last = superseded + datetime.timedelta(days=forms.GRACE_DAYS)
    assert forms.accepts(old, last)
    assert not forms.accepts(old, last + datetime.timedelta(microseconds=1))
    assert forms.accepts(new, last + datetime.timedelta(days=1000))
    assert forms.accepts(old, superseded + datetime.timedelta(days=2), grace_days=2)
    assert not forms.accepts(old, superseded + datetime.timedelta(days=3), grace_days=2)
    forms.use_grace_days(0)
    try:
        assert forms.accepts(old, superseded)
        assert not forms.accepts(old, superseded + datetime.timedelta(seconds=1))
    finally:
        forms.use_grace_days(forms.GRACE_DAYS)


def test_sensitive_keys_and_labelled_answers(world):
    definition = [field("name", "short_text"), field("voter_id", "short_text", sensitive=True),
                  field("aadhaar", "aadhaar")]
    saved = forms.save_form(world.service, definition)
    assert forms.sensitive_keys(saved) == {"voter_id", "aadhaar"}
    assert forms.sensitive_keys(None) == set()
    answers = forms.labelled(saved, {"aadhaar": GOOD_AADHAAR, "name": "Sita", "old": "x"})
    assert [(a.key, a.label_en, a.sensitive) for a in answers] == [
        ("name", "Name", False), ("aadhaar", "Aadhaar", True), ("old", "old", True)]
    assert [a.key for a in forms.labelled(None, {"b": 1, "a": 2})] == ["b", "a"]


# Filing against a form

def test_filing_checks_every_answer_and_keeps_the_version(world):
    forms.save_form(world.service, FORM)
    with pytest.raises(DomainError) as error:
        file(world.service, world.citizen, world.amb, form_version=1, form_values={"cylinders": "5", "x": "y"})
    assert error.value.code == "form_invalid" and error.value.params["count"] == 3
    assert [(e.code, e.field) for e in error.value.params["errors"]] == [
        ("form_field_unknown", "x"), ("form_field_required", "patient"), ("form_answer_above_max", "cylinders")]
    assert ServiceRequest.select().count() == 0

    request = file(world.service, world.citizen, world.amb, form_values={"patient": " Sita ", "cylinders": "2"})
    request = ServiceRequest.get_by_id(request.id)
    assert request.form_values == {"patient": "Sita", "cylinders": 2}
    assert request.form_version.number == 1  # no version named: the current one


def test_a_superseded_version_is_taken_for_the_grace_period_then_refused(world):
    superseded = datetime.datetime(2021, 5, 1, 10, 0)
    forms.save_form(world.service, FORM, at=superseded - datetime.timedelta(days=30))
    forms.save_form(world.service, CHANGED, at=superseded)
    answers = {"patient": "Sita", "cylinders": "2"}
    last = superseded + datetime.timedelta(days=7)
    request = file(world.service, world.citizen, world.amb, form_version=1, form_values=answers, at=last)
    assert request.form_version.number == 1
    with pytest.raises(DomainError) as error:
        file(world.service, world.citizen, world.amb, form_version=1, form_values=answers,
             at=last + datetime.timedelta(seconds=1))
    assert error.value.code == "form_version_stale"
    assert error.value.params["service_hi"] == "ऑक्सीजन रिफिल"
    with pytest.raises(DomainError) as error:
        file(world.service, world.citizen, world.amb, form_version=3, form_values=answers)
    assert error.value.code == "form_version_unknown"
    assert ServiceRequest.select().count() == 1


@pytest.mark.parametrize("number, code", [
    (999, "form_version_unknown"), ("999", "form_version_unknown"), (2**40, "form_version_unknown"),
    ("99999999999999999999", "form_version_unknown"), ("9" * 21, "form_version_invalid"), ("abc", "form_version_invalid"), ("", "form_version_invalid"),
    ("\u0661", "form_version_invalid"), (True, "form_version_invalid"), (1.0, "form_version_invalid"),
])
def test_a_version_the_service_never_had_is_refused_never_read_as_the_current(world, number, code):
    forms.save_form(world.service, FORM)
    before = snapshot()
    with pytest.raises(DomainError) as error:
        file(world.service, world.citizen, world.amb, form_version=number,
             form_values={"patient": "Sita", "cylinders": "2"})
    assert error.value.code == code
    assert snapshot() == before


def test_a_service_without_a_form_takes_any_answers_as_before(world):
    request = file(world.service, world.citizen, world.amb, form_values={"anything": "goes"})
    assert (request.form_version, request.form_values) == (None, {"anything": "goes"})
    with pytest.raises(DomainError) as error:
        file(world.service, world.citizen, world.amb, form_version=1, form_values={})
    assert error.value.code == "form_version_unknown"


def test_documents_are_checked_when_filing(world):
    forms.save_form(world.service, [field("report", "document", required=True)])
    with pytest.raises(DomainError) as error:
        file(world.service, world.citizen, world.amb, documents={"report": Document("r.exe", "", b"MZ..")})
    assert [e.code for e in error.value.params["errors"]] == ["form_answer_document_type"]
    request = file(world.service, world.citizen, world.amb, documents={"report": Document("r.pdf", "", PDF)})
    assert request.form_values["report"]["content_type"] == "application/pdf"


# Places

def test_a_service_without_places_is_offered_in_the_whole_state(world):
    assert forms.offered_in(world.service, world.amb)
    assert forms.offered_in(world.service, world.ggm.id, world.ggm_mc.id)
    assert forms.places(world.service) == []


def test_a_service_offered_in_chosen_districts_and_areas(world):
    hsr = District.create(code="HSR", name_en="Hisar", name_hi="हिसार")
    assert forms.set_places(world.service, [(world.amb, None), (world.ggm, world.ggm_mc)])
    assert not forms.set_places(world.service, [(world.ggm, world.ggm_mc), (world.amb, None)])
    assert forms.offered_in(world.service, world.amb)
    assert forms.offered_in(world.service, world.amb, world.amb_tehsil)
    assert forms.offered_in(world.service, world.ggm, world.ggm_mc)
    assert not forms.offered_in(world.service, world.ggm)  # only the municipal area of Gurugram
    assert not forms.offered_in(world.service, hsr)
    assert [(p.district.code, p.area and p.area.code) for p in forms.places(world.service)] == [
        ("AMB", None), ("GGM", "GGM-MC")]

    everywhere = Service.create(code="EVERYWHERE", name_en="E", name_hi="ई", department=world.hlt, category="x")
    codes = lambda query: sorted(s.code for s in query)  # noqa: E731
    assert codes(forms.services_offered_in(world.amb)) == ["EVERYWHERE", "HLT-O2"]
    assert codes(forms.services_offered_in(world.ggm)) == ["EVERYWHERE", "HLT-O2"]  # in an area of it
    assert codes(forms.services_offered_in(world.ggm, Area.create(
        district=world.ggm, code="GGM-T", name_en="Tehsil", name_hi="तहसील", kind="tehsil"))) == ["EVERYWHERE"]
    assert codes(forms.services_offered_in(hsr.id)) == ["EVERYWHERE"]
    assert forms.services_offered_in(world.amb).where(Service.code == "EVERYWHERE").count() == 1

    assert forms.set_places(world.service, [])
    assert ServiceOffering.select().count() == 0 and forms.offered_in(world.service, hsr)


def test_an_area_must_lie_in_its_district(world):
    with pytest.raises(DomainError) as error:
        forms.set_places(world.service, [(world.amb, world.ggm_mc)])
    assert error.value.code == "area_not_in_district"


def test_filing_where_the_service_is_not_offered_is_refused(world):
    forms.set_places(world.service, [(world.ggm, world.ggm_mc)])
    for district, area in ((world.amb, None), (world.amb, world.amb_tehsil), (world.ggm, None)):
        with pytest.raises(DomainError) as error:
            file(world.service, world.citizen, district, area=area)
        assert error.value.code == "service_not_offered"
    assert error.value.params["place_hi"] == "गुरुग्राम"
    assert file(world.service, world.citizen, world.ggm, area=world.ggm_mc).district.id == world.ggm.id
