"""A state administrator designs a service's form in the browser, previews it in Hindi and publishes it."""
import pytest

from models import Department, FormVersion, Service, database
from tests.browser.browser_support import log_in, login_of, press, screenshot

pytestmark = pytest.mark.browser

CODE = "HLT-COVID-OXYGEN-REFILL"
FIELDS = (
    {"key": "patient_name", "type": "short_text", "label_en": "Patient's name", "label_hi": "रोगी का नाम"},
    {"key": "cylinders", "type": "number", "label_en": "Number of cylinders", "label_hi": "सिलेंडरों की संख्या",
     "min": "1", "max": "2"},
    {"key": "cylinder_type", "type": "single_choice", "label_en": "Cylinder type", "label_hi": "सिलेंडर का प्रकार",
     "choices": [("b_type", "B type", "बी टाइप"), ("d_type", "D type", "डी टाइप")]},
    {"key": "test_report", "type": "document", "label_en": "COVID-19 test report",
     "label_hi": "कोविड-19 जाँच रिपोर्ट"},
)


def test_a_state_admin_designs_previews_in_hindi_and_publishes_a_service(demo_app, page):
    log_in(page, login_of(demo_app, "state_admin"))
    page.goto("/admin/service/new/?lang=en")
    for name, value in {"code": CODE, "name_en": "Oxygen cylinder refill permit (COVID-19)",
                        "name_hi": "ऑक्सीजन सिलेंडर रिफिल अनुमति (कोविड-19)", "category": "covid-19",
                        "tat_value": "24", "fee": "0"}.items():
        page.fill(f"#{name}", value)
    page.select_option("#tat_unit", "hours")
    page.select_option("#status", "draft")
    with database.connection_context():
        page.select_option("#department", str(Department.get(Department.code == "HLT").id))
    press(page, "input[type=submit][value='Save']")
    with database.connection_context():
        service = Service.get(Service.code == CODE)
    assert service.status == "draft"

    # The designer: a row per field, a new empty row after pressing "Add another field".
    page.goto(f"/admin/service/form/?id={service.id}")
    for index, field in enumerate(FIELDS):
        page.locator(f"#field-{index} details").evaluate("details => details.open = true")  # its limits and help
        for name, value in field.items():
            if name == "type":
                page.select_option(f"#f{index}-type", value)
            elif name == "choices":
                for number, choice in enumerate(value):
                    for part, text in zip(("key", "label_en", "label_hi"), choice):
                        page.fill(f"input[name=f{index}-c{number}-{part}]", text)
            else:
                page.fill(f"#f{index}-{name}", value)
        page.check(f"#f{index}-required")
        press(page, "button[name=action][value=add]")
    press(page, "button[name=action][value=save]")
    assert "The form and its places are saved." in page.inner_text("body")

    # The preview in Hindi, as the app will show it.
    press(page, "a[lang=hi]")
    press(page, "button[name=action][value=preview]")
    preview = page.locator("#preview-hi")
    assert preview.get_attribute("lang") == "hi"
    assert all(field["label_hi"] in preview.inner_text() for field in FIELDS)
    assert preview.locator("input[type=number]").count() == 1 and preview.locator("input[type=file]").count() == 1
    assert "डी टाइप" in preview.inner_text()
    screenshot(page, "service-designer-preview-hi", part="#preview + .row")

    # Published from the service's own screen.
    page.goto(f"/admin/service/edit/?id={service.id}&lang=en")
    page.select_option("#status", "published")
    press(page, "input[type=submit][value='Save']")
    with database.connection_context():
        service = Service.get_by_id(service.id)
        [version] = FormVersion.select().where(FormVersion.service == service)
    assert service.status == "published"
    assert [f["key"] for f in version.fields] == [f["key"] for f in FIELDS]
