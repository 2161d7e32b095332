"""The home page (backoffice/admin/home.py): charts and figures in the viewer's scope, his queue, the CSV."""
import csv
import datetime
import io
import re

import pytest

from models import ServiceRequest, clock, dashboard, database
from models.dashboard import DayTally
from models.timeutil import utcnow
from tests.backoffice.scope_support import log_in, world  # noqa: F401 (fixture)

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def figures(world):
    """The world's four requests, received today: Revenue in Ambala delivered in time, Urban Local Bodies in
    Ambala rejected late, Revenue in Hisar open and overdue, Urban Local Bodies in Hisar open within time."""
    now = utcnow()
    with database.connection_context():
        for key, changes in {
            ("REV", "AMB"): dict(status="delivered", due_at=now + DAY, closed_at=now),
            ("ULB", "AMB"): dict(status="rejected", due_at=now - HOUR, closed_at=now),
            ("REV", "HSR"): dict(status="in_progress", due_at=now - HOUR),
            ("ULB", "HSR"): dict(status="assigned", due_at=now + DAY),
        }.items():
            ServiceRequest.update(**changes).where(ServiceRequest.id == world.requests[key].id).execute()
        dashboard.rebuild()
    return world


def page(client, url="/admin/"):
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def table(html, heading_id):
    """The rows of the figures table under `heading_id`, as lists of cell texts."""
    found = re.search(rf'aria-labelledby="{heading_id}">(.*?)</table>', html, re.S).group(1)
    body = found.split("<tbody>")[1]
    return [[re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_the_state_administrator_sees_charts_and_every_department_district_and_service(client, figures):
    log_in(client, figures.state)
    html = page(client)

    assert '<svg id="chart-departments" role="img"' in html and '<svg id="chart-weeks" role="img"' in html
    # Received, in time, late, rejected, withdrawn, pending in time, overdue, in appeal, on time %, median, rating.
    assert table(html, "by-department") == [
        ["Revenue", "2", "1", "0", "0", "0", "0", "1", "0", "100", "0", "—"],
        ["Urban Local Bodies", "2", "0", "0", "1", "0", "1", "0", "0", "0", "0", "—"],
    ]
    assert [row[0] for row in table(html, "by-district")] == ["Ambala", "Hisar"]
    assert [row[0] for row in table(html, "by-service")] == ["SC certificate", "Trade licence"]
    # One bar per department, and the ranking beside the formula.
    assert html.split('<svg id="chart-departments"')[1].split("</svg>")[0].count("<rect") == 2
    assert "Score = 10 × (0.6 × decisions within the time limit" in html
    assert [row[1] for row in table(html, "ranking-departments")] == ["Revenue", "Urban Local Bodies"]


def test_a_department_administrator_sees_his_departments_services_only(client, figures):
    log_in(client, figures.rev_admin)
    html = page(client)

    assert [row[0] for row in table(html, "by-department")] == ["Revenue"]
    assert [row[0] for row in table(html, "by-service")] == ["SC certificate"]
    assert [row[:2] for row in table(html, "by-district")] == [["Ambala", "1"], ["Hisar", "1"]]
    assert "Trade licence" not in html


def test_a_district_administrator_sees_his_district_only(client, figures):
    log_in(client, figures.amb_admin)
    html = page(client)

    assert [row[:2] for row in table(html, "by-district")] == [["Ambala", "2"]]
    assert [row[0] for row in table(html, "by-department")] == ["Revenue", "Urban Local Bodies"]
    assert "Hisar" not in html.split('id="dashboard-heading"')[1]


def test_names_in_hindi(client, figures):
    log_in(client, figures.state)
    html = page(client, "/admin/?lang=hi")
    assert [row[0] for row in table(html, "by-department")] == ["राजस्व", "शहरी स्थानीय निकाय"]


def test_a_field_officer_sees_the_counts_of_his_own_queue_and_no_dashboard(client, figures):
    with database.connection_context():
        mine = figures.requests["REV", "AMB"]
        ServiceRequest.update(status="in_progress", due_at=utcnow() - HOUR, closed_at=None).where(
            ServiceRequest.id == mine.id).execute()
    log_in(client, figures.tehsildar_amb)
    html = page(client)

    queue = re.findall(r'<a href="([^"]+)">([^<]+)</a>: <strong class="queue-count">(\d+)</strong>', html)
    assert [(label, count) for _, label, count in queue] == [("Due today", "0"), ("Overdue", "1"), ("Open", "1")]
    # Each count links to the list that shows those requests.
    overdue_list = client.get(queue[1][0].replace("&amp;", "&")).get_data(as_text=True)
    assert f"details/?id={mine.id}" in overdue_list
    assert "<svg" not in html and 'id="dashboard-heading"' not in html
    assert client.get("/admin/figures.csv").status_code == 302


def test_a_counter_operator_sees_neither(client, figures):
    log_in(client, figures.counter)
    html = page(client)
    assert 'id="queue-heading"' not in html and 'id="dashboard-heading"' not in html


def test_the_csv_file_holds_the_figures_of_the_page(client, figures):
    log_in(client, figures.state)
    today = clock.ist_date(utcnow())
    start = today - datetime.timedelta(days=6)
    html = page(client, f"/admin/?from={start.isoformat()}&to={today.isoformat()}")
    assert f'href="/admin/figures.csv?from={start.isoformat()}&amp;to={today.isoformat()}"' in html

    response = client.get(f"/admin/figures.csv?from={start.isoformat()}&to={today.isoformat()}")
    assert response.mimetype == "text/csv"
    assert f"dashboard-{start.isoformat()}-{today.isoformat()}.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).removeprefix("\ufeff"))))
    assert rows[0] == ["From", "To", "Level", "Code", "Name", "Received", "Delivered within time", "Delivered late",
                       "Rejected", "Withdrawn", "Pending within time", "Pending overdue", "In appeal", "On time %",
                       "Median working days to decision", "Average citizen rating", "Score"]
    by_name = {row[4]: row for row in rows[1:]}
    assert [row[2] for row in rows[1:]] == ["All"] + ["Department"] * 2 + ["District"] * 2 + ["Service"] * 2
    assert rows[1][:3] == [start.isoformat(), today.isoformat(), "All"]
    assert rows[1][5:] == ["4", "1", "0", "1", "0", "1", "1", "0", "50", "0", "—", "5"]
    # The page's table rows, cell for cell.
    for row in table(html, "by-department") + table(html, "by-district") + table(html, "by-service"):
        assert by_name[row[0]][5:-1] == row[1:]


@pytest.mark.parametrize("query, message", [
    ("from=2026-13-01", "Dates are written YYYY-MM-DD"),
    ("from=2026-12-10&to=2026-12-01", "The range starts after it ends."),
    ("from=2020-01-01&to=2026-12-01", "A range may cover at most 366 days."),
])
def test_a_bad_date_range_says_so_and_shows_the_last_30_days(client, figures, query, message):
    log_in(client, figures.state)
    html = page(client, f"/admin/?{query}")
    assert message in html and "Showing the last 30 days." in html
    today = clock.ist_date(utcnow())
    assert f'name="from" value="{(today - datetime.timedelta(days=29)).isoformat()}"' in html
    assert f'name="to" value="{today.isoformat()}"' in html
    # The file is not made of a range nobody asked for: the page says what was wrong.
    response = client.get(f"/admin/figures.csv?{query}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/admin/?")


def test_the_rebuild_command_counts_the_figures_again(app, client, figures):
    with database.connection_context():
        DayTally.delete().execute()
    result = app.test_cli_runner().invoke(args=["dashboard", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "4 rows of daily counts, 2 of decision times" in result.output
    log_in(client, figures.state)
    assert [row[:2] for row in table(page(client), "by-district")] == [["Ambala", "2"], ["Hisar", "2"]]
