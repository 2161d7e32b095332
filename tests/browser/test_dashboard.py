"""A district administrator reads the home page's dashboard: its SVG charts drawn with the demo's figures."""
import pytest
from babel.numbers import format_decimal

from models import Officer, clock, dashboard, database
from models.timeutil import utcnow
from tests.browser.browser_support import log_in, login_of, screenshot

pytestmark = pytest.mark.browser

BAR_WIDTH = 330  # the on-time chart's 100% (templates/admin/dashboard_charts.html)


def bars(page, chart):
    """Each bar of a chart as the browser lays it out: (its <title>, width, height) in screen pixels."""
    return page.eval_on_selector_all(f"#{chart} rect:has(title)", """rects => rects.map(r => {
        const box = r.getBoundingClientRect();
        return [r.querySelector('title').textContent, box.width, box.height]; })""")


def test_a_district_admin_reads_the_dashboard_and_its_charts_show_the_figures(demo_app, page):
    email = login_of(demo_app, "district_admin")
    log_in(page, email)
    page.goto("/admin/?lang=en")
    with database.connection_context():
        officer = Officer.get(Officer.email == email)
        report = dashboard.report(officer, *dashboard.default_range(clock.ist_date(utcnow())))

    # One bar per department that decided anything, its length its share decided on time.
    decided = [f for f in report.departments if f.on_time_percent is not None]
    drawn = bars(page, "chart-departments")
    assert len(drawn) == len(decided) > 1
    full = page.locator("#chart-departments").bounding_box()["width"] * BAR_WIDTH / 610  # the viewBox's width
    for figures, (title, width, height) in zip(decided, drawn):
        assert figures.subject.name_en in title and height > 0
        assert width == pytest.approx(full * figures.on_time_percent / 100, abs=1)

    # The weekly chart: a bar per week as tall as its requests, the busiest week the full height.
    weeks = bars(page, "chart-weeks")
    received = [week.figures.received for week in report.weeks]
    weekly = [height for title, width, height in weeks]
    assert len(weekly) == len(received) and max(received) > 0
    tallest = max(weekly)
    for count, height in zip(received, weekly):
        assert height == pytest.approx(tallest * count / max(received), abs=1)
    # Figures grouped as India writes them; the range day first.
    assert format_decimal(report.total.received, locale="en_IN") in page.inner_text("#dashboard-summary")
    assert f"from {report.start:%d-%m-%Y} to {report.end:%d-%m-%Y}" in page.inner_text("#dashboard-heading + form + p")
    screenshot(page, "dashboard")
