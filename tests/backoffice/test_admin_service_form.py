"""The form designer on a service's screen (backoffice/admin/form_designer.py): each refusal shown on its
field with nothing saved, reordering and removing, places, versions, the preview, and who may design."""
import html as html_module
import re

import pytest

from models import AuditEntry, Department, FormVersion, Officer, RoleGrant, Service, ServiceOffering, forms
from tests.backoffice.designer_support import designer_url, inputs, press, row_values, type_field
from tests.backoffice.requests_support import login_as, state, text, w  # noqa: F401 (w is a fixture)
from tests.world import password_hash

NAME = {"key": "name", "type": "short_text", "label_en": "Name", "label_hi": "नाम", "required": True}
AGE = {"key": "age", "type": "number", "label_en": "Age", "label_hi": "आयु", "min": 18, "max": 60}


@pytest.fixture
def designed(app, w):
    """The SC certificate service (published) with a form of two questions, version 1."""
    forms.save_form(w.service, [NAME, AGE], w.state)
    return w.service


def error_on_row(page, index):
    """The messages shown inside row `index` of the designer."""
    html = page.get_data(as_text=True)
    start = html.index(f'id="field-{index}"')
    end = html.find('<fieldset', start + 1)
    return text_of(html[start:end if end > 0 else None])


def text_of(html):
    return html_module.unescape(" ".join(re.findall(r'class="alert alert-danger py-1 mb-2 field-error">([^<]*)<', html)))


@pytest.mark.parametrize("row, message", [
    ({**AGE, "key": "name"}, "the key name is already that of field 1"),
    ({"key": "blood", "type": "single_choice", "label_en": "Blood group", "label_hi": "रक्त समूह"},
     "a choice field needs its choices"),
    ({**AGE, "min": 60, "max": 18}, "the minimum 60 is greater than the maximum 18"),
    ({"key": "scan", "type": "document", "label_en": "Scan", "label_hi": "स्कैन", "max_kb": 9000},
     "9000 KB is over the system's limit of 5120 KB"),
    ({**NAME, "key": "pan", "pattern": "[A-Z]{5}(?=x)", "pattern_message_en": "Like ABCDE1234F",
      "pattern_message_hi": "ABCDE1234F जैसा"}, "the pattern uses"),
    ({**NAME, "key": "pan", "pattern": "[A-Z", "pattern_message_en": "x", "pattern_message_hi": "x"},
     "the pattern is not a regular expression"),
    ({**NAME, "key": "pan", "pattern": "A" * 201, "pattern_message_en": "x", "pattern_message_hi": "x"},
     "at most 200"),
    ({**NAME, "key": "Bad Key"}, "the key must start with a small letter"),
])
def test_a_refused_definition_is_shown_on_its_field_and_saves_nothing(app, w, designed, row, message):
    client = login_as(app, w.state)
    page = client.get(designer_url(designed))
    before = state()
    page = press(client, designed, page, "save", **row_values(1, row), offered="chosen",
                 place=[f"district:{w.amb.id}"])
    assert message in error_on_row(page, 1)
    assert "has 1 problem(s); nothing was saved" in text(page)
    assert state() == before
    # What he typed is still there to mend.
    assert inputs(page)["f1-key"] == [row["key"]]


def test_fields_are_reordered_removed_and_a_published_forms_change_is_a_new_version(app, w, designed):
    client = login_as(app, w.state)
    page = client.get(designer_url(designed))
    page = type_field(client, designed, page, {"key": "caste", "type": "single_choice", "label_en": "Caste",
                                                "label_hi": "जाति", "choices": [
        {"key": "a", "label_en": "A", "label_hi": "ए"}, {"key": "b", "label_en": "B", "label_hi": "बी"},
        {"key": "c", "label_en": "C", "label_hi": "सी"}]})
    page = press(client, designed, page, "save", **{"f0-position": "3", "f1-remove": "y", "f2-position": "1"})
    assert "Saved as version 2 of the form" in text(page)
    current = forms.current_version(designed)
    assert [f["key"] for f in current.fields] == ["caste", "name"]
    assert [c["label_hi"] for c in current.fields[0]["choices"]] == ["ए", "बी", "सी"]
    assert FormVersion.get(FormVersion.service == designed, FormVersion.number == 1).fields[1]["key"] == "age"
    changed = AuditEntry.get(AuditEntry.model_name == "service").changes["form"]
    assert [f["key"] for f in changed[0]] == ["name", "age"] and [f["key"] for f in changed[1]] == ["caste", "name"]


@pytest.mark.parametrize("status", ["published", "draft"])
@pytest.mark.parametrize("changes", [{"f0-remove": "y", "f1-remove": "y"}, {"field-count": "-3"},
                                     {"field-count": "0"}])
def test_a_form_is_never_left_empty_and_nothing_is_saved(app, w, designed, status, changes):
    Service.update(status=status).where(Service.id == designed.id).execute()
    client = login_as(app, w.state)
    page = client.get(designer_url(designed))
    before = state()
    page = press(client, designed, page, "save", **changes)
    assert "A form has at least one field" in text(page)
    assert state() == before


def test_a_service_without_a_form_gets_places_and_still_no_form(app, w):
    client = login_as(app, w.state)
    page = press(client, w.service, client.get(designer_url(w.service)), "save", offered="chosen",
                 place=[f"district:{w.amb.id}"])
    assert "The form and its places are saved." in text(page)
    assert FormVersion.select().count() == 0 and ServiceOffering.select().count() == 1


def test_a_drafts_form_is_edited_in_place(app, w, designed):
    Service.update(status="draft").where(Service.id == designed.id).execute()
    client = login_as(app, w.state)
    page = press(client, designed, client.get(designer_url(designed)), "save", **{"f1-label_en": "Age in years"})
    assert "The form and its places are saved." in text(page)
    assert [(v.number, v.fields[1]["label_en"]) for v in FormVersion.select()] == [(1, "Age in years")]


def test_places_a_district_and_an_area_then_the_whole_state_again(app, w, designed):
    client = login_as(app, w.state)
    page = press(client, designed, client.get(designer_url(designed)), "save", offered="chosen",
                 place=[f"district:{w.amb.id}", f"area:{w.hsr_tehsil.id}"])
    assert {(o.district_id, o.area_id) for o in ServiceOffering.select()} == {(w.amb.id, None),
                                                                             (w.hsr.id, w.hsr_tehsil.id)}
    assert forms.offered_in(designed, w.hsr, w.hsr_tehsil) and not forms.offered_in(designed, w.hsr)
    entry = AuditEntry.select().where(AuditEntry.model_name == "service").order_by(AuditEntry.id.desc()).get()
    assert (entry.officer_id, entry.row_id, entry.changes) == (
        w.state.id, str(designed.id), {"offered_in": ["state", ["AMB", "HSR/HSR-T"]]})
    press(client, designed, page, "save", offered="state", place=None)
    assert not ServiceOffering.select().exists()


def test_chosen_places_must_name_one_and_nothing_is_saved(app, w, designed):
    client = login_as(app, w.state)
    before = state()
    page = press(client, designed, client.get(designer_url(designed)), "save", offered="chosen", place=None,
                 **{"f0-label_en": "Full name"})
    assert "Choose at least one district or area" in text(page)
    assert state() == before


def test_a_form_changed_by_someone_else_meanwhile_is_not_overwritten(app, w, designed):
    client = login_as(app, w.state)
    page = client.get(designer_url(designed))
    forms.save_form(designed, [NAME], w.state)  # another administrator, after the page was drawn
    before = state()
    page = press(client, designed, page, "save", **{"f0-label_en": "Full name"})
    assert "changed by someone else while you had it open" in text(page)
    assert state() == before


def test_the_preview_shows_the_unsaved_edits_in_both_languages(app, w, designed):
    client = login_as(app, w.state)
    before = state()
    page = press(client, designed, client.get(designer_url(designed)), "preview", **{"f0-label_hi": "पूरा नाम"})
    html = page.get_data(as_text=True)
    hindi, english = html[html.index('id="preview-hi"'):], html[html.index('id="preview-en"'):html.index(
        'id="preview-hi"')]
    assert "पूरा नाम" in hindi and "Name" in english and 'type="number" name="answer-age"' in hindi
    assert 'min="18"' in hindi and 'max="60"' in hindi
    assert state() == before


def test_only_the_services_department_and_state_administrators_design_it(app, w, designed):
    other = Department.create(code="HLT", name_en="Health", name_hi="स्वास्थ्य")
    rev_admin = Officer.create(name="Rev", email="rev@x.in", password_hash=password_hash())
    RoleGrant.create(officer=rev_admin, role="department_admin", department=designed.department)
    hlt_admin = Officer.create(name="Hlt", email="hlt@x.in", password_hash=password_hash())
    RoleGrant.create(officer=hlt_admin, role="department_admin", department=other)
    assert login_as(app, rev_admin).get(designer_url(designed)).status_code == 200
    for officer in (hlt_admin, w.amb_admin, w.counter, w.field):
        client = login_as(app, officer)
        before = state()
        assert client.get(designer_url(designed)).status_code in (403, 404), officer.email
        assert client.post(designer_url(designed), data={"action": "save", "field-count": "0",
                                                         "offered": "state"}).status_code in (400, 403, 404)
        assert state() == before
