"""A real browser against the app served on loopback: Playwright driving Debian's chromium.

One chromium for the whole run, a fresh context (cookies, language) and page
for each test; the app is served by werkzeug from a thread, on the test's own
database (SQLite and PostgreSQL, tests/conftest.py's `app`), loaded with the
bundled catalogue and the demo workload as `scripts/serve` loads them.
Without chromium the tests skip and say so, except in CI (`.ci/run` installs
it), where a skip would hide a failure.
"""
import os
import shutil
import threading

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from models import database, demo
from tests.conftest import IN_CI
from tests.world import password_hash

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Playwright's own browser download needs the internet, which these machines do not have: Debian's chromium
# instead, headless, with everything that would reach out to Google turned off.
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync")


@pytest.fixture(scope="session")
def chromium():
    """The browser, launched once per run."""
    if not (shutil.which(CHROMIUM) and _has_playwright()):
        message = (f"browser tests need Debian's chromium at {CHROMIUM} and the playwright package: "
                   "apt-get install chromium, pip install -r requirements.txt")
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright  # here: without it, the tests skip instead of failing to import
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _has_playwright():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture
def demo_app(app, catalogue):
    """The app with the bundled catalogue and the demo workload (its logins in app.demo, models.demo.Report);
    every demo officer logs in with PASSWORD."""
    with database.connection_context():
        report = demo.load(password_hash=password_hash())
    app.demo = report
    return app


@pytest.fixture
def server(demo_app):
    """The base URL of the app served by a real HTTP server on a free loopback port."""
    http = make_server("127.0.0.1", 0, demo_app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    thread.join()


class QuietHandler(WSGIRequestHandler):
    """No line per request: a failing test's report would be all static files."""

    def log_request(self, *args):
        pass


@pytest.fixture
def page(chromium, server):
    """A page of its own in a fresh browser context (no cookies), its relative URLs on the server's."""
    context = chromium.new_context(base_url=server, locale="en-IN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(5_000)
    page = context.new_page()
    yield page
    context.close()
