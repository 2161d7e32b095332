"""What an officer does in the browser, shared by the journeys in tests/browser/."""
import os
import re
from pathlib import Path

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent.parent
# Where each journey's key screens go: test-artifacts/ (gitignored) unless scripts/screenshots says
# docs/screenshots/.
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR") or ROOT / "test-artifacts" / "screenshots")


def log_in(page, email, password=PASSWORD):
    """Log in through the form, as an officer would; ends on the admin's home page."""
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/"))


def press(page, selector):
    """Click what leads to another page, and wait until that page has loaded."""
    page.click(selector)
    page.wait_for_load_state()


def log_out(page):
    page.click("form[action$='/logout'] button[type=submit]")
    page.wait_for_url(re.compile(r"/login"))


def screenshot(page, name, whole=True, part=None):
    """Save a journey's key screen as SCREENSHOTS/name.png: the whole page, as much as the window shows, or
    only the element `part` (a selector)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if part:
        page.locator(part).screenshot(path=path)
    else:
        page.screenshot(path=path, full_page=whole)


def login_of(app, kind):
    """The e-mail address of the first demo officer of this kind (a role, or 'area post' ...) not on leave."""
    return next(login.email for login in app.demo.logins if login.kind == kind and not login.on_leave)


def menu(page):
    """The admin menu's entries, top level and dropdowns, in order."""
    return page.eval_on_selector_all("#admin-navbar-collapse > ul.navbar-nav:first-of-type a",
                                     "links => links.map(a => a.innerText.trim()).filter(Boolean)")

