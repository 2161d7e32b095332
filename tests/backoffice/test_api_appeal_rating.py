"""After a decision, from the app: appealing a rejection (backoffice/api/appeal.py) and rating the request
(backoffice/api/rating.py), each refusal changing nothing; the ratings' average on the dashboard."""
import datetime

import pytest

from models import Outbox, RequestRating, ServiceRequest, dashboard, database
from tests.backoffice.api_support import ok
from tests.backoffice.requests_support import w  # noqa: F401 (a fixture)
from tests.backoffice.scope_support import log_in
from tests.backoffice.test_admin_dashboard import page, table
from tests.backoffice.test_api_requests import act, file, state, token, version  # noqa: F401 (token: a fixture)

APPEAL = """mutation Appeal($number: String!, $version: Int!, $grounds: String!) {
  appealRejection(trackingNumber: $number, version: $version, grounds: $grounds) {
    __typename
    ... on Request { status version actions }
    ... on Problem { code message }
  }
}"""
RATE = """mutation Rate($number: String!, $stars: Int!, $comment: String) {
  rateRequest(trackingNumber: $number, stars: $stars, comment: $comment) {
    __typename
    ... on Rating { trackingNumber stars comment ratedAt }
    ... on Problem { code message }
  }
}"""


def decided(app, w, outcome):
    """A request of Ram Lal's, delivered (with a note) or rejected (with the reason)."""
    request = file(app, w)
    officer = request.assigned_officer
    act(app, request, "start", officer)
    if outcome == "rejected":
        return act(app, request, "reject", officer, note="The caste certificate of the father is missing.")
    act(app, request, "approve", officer)
    return act(app, request, "deliver", officer, note="Collect it at the tehsil.")


def appeal(client, token, request, **variables):
    given = {"number": request.tracking_number, "version": version(request),
             "grounds": "My father's certificate is attached now.", **variables}
    return ok(client, APPEAL, token, **given)["appealRejection"]


def rate(client, token, request, stars=4, comment="Quick and polite."):
    return ok(client, RATE, token, number=request.tracking_number, stars=stars, comment=comment)["rateRequest"]


def test_appealing_a_rejection_sends_it_up_and_tells_everyone(app, client, w, token):
    rejected = decided(app, w, "rejected")
    track = ok(client, "query($n: String!) { myRequest(trackingNumber: $n) { actions } }", token,
               n=rejected.tracking_number)
    assert track["myRequest"]["actions"] == ["APPEAL"]
    done = appeal(client, token, rejected)
    assert done["__typename"] == "Request" and done["status"] == "IN_PROGRESS" and done["actions"] == ["WITHDRAW"]
    with database.connection_context():
        row = ServiceRequest.get_by_id(rejected.id)
        assert row.appeal_level == 1 and row.closed_at is None
        assert Outbox.select().where(Outbox.template == "request_appealed").exists()


@pytest.mark.parametrize("variables, code", [
    ({"grounds": "  "}, "citizen_appeal_needs_note"),
    ({"version": 1}, "request_changed"),
])
def test_an_appeal_without_grounds_or_on_a_stale_version_changes_nothing(app, client, w, token, variables, code):
    rejected = decided(app, w, "rejected")
    before = state()
    refusal = appeal(client, token, rejected, **variables)
    assert refusal["code"] == code and refusal["message"]
    assert state() == before


def test_an_appeal_after_30_days_is_too_late(app, client, w, token):
    rejected = decided(app, w, "rejected")
    with database.connection_context():
        ServiceRequest.update(closed_at=rejected.closed_at - datetime.timedelta(days=32)).where(
            ServiceRequest.id == rejected.id).execute()
    before = state()
    refusal = appeal(client, token, rejected)
    assert refusal["code"] == "citizen_appeal_too_late" and "30 days" in refusal["message"]
    assert state() == before


def test_only_a_rejection_is_appealed_and_only_by_its_citizen(app, client, w, token):
    delivered, theirs = decided(app, w, "delivered"), file(app, w, mobile="9812300002")
    before = state()
    assert appeal(client, token, delivered)["code"] == "transition_not_allowed"
    assert appeal(client, token, theirs)["code"] == "request_not_found"
    assert state() == before


@pytest.mark.parametrize("outcome", ["delivered", "rejected"])
def test_rating_a_decided_request_once(app, client, w, token, outcome):
    request = decided(app, w, outcome)
    rating = rate(client, token, request, stars=4, comment="  Quick and polite. ")
    assert rating["__typename"] == "Rating" and (rating["stars"], rating["comment"]) == (4, "Quick and polite.")
    before = state()
    again = rate(client, token, request, stars=1)
    assert again["code"] == "rating_already_given" and again["message"] == (
        f"Request {request.tracking_number} has already been rated: a request is rated once.")
    assert state() == before


@pytest.mark.parametrize("stars, comment, code", [
    (0, "", "rating_stars_out_of_range"),
    (6, "", "rating_stars_out_of_range"),
    (3, "x" * 1001, "rating_comment_too_long"),
])
def test_a_rating_out_of_bounds_changes_nothing(app, client, w, token, stars, comment, code):
    request = decided(app, w, "delivered")
    before = state()
    assert rate(client, token, request, stars=stars, comment=comment)["code"] == code
    assert state() == before


def test_an_open_request_or_anothers_is_not_rated(app, client, w, token):
    open_request, theirs, other = file(app, w), decided(app, w, "delivered"), file(app, w, mobile="9812300002")
    with database.connection_context():
        # Delivered to another citizen.
        ServiceRequest.update(citizen=other.citizen_id).where(ServiceRequest.id == theirs.id).execute()
    before = state()
    refusal = rate(client, token, open_request)
    assert refusal["code"] == "rating_not_decided" and "Assigned" in refusal["message"]
    assert rate(client, token, theirs)["code"] == "request_not_found"
    assert state() == before


def test_the_dashboard_shows_the_average_rating(app, client, w, token):
    first, second, _unrated = (decided(app, w, outcome) for outcome in ("delivered", "rejected", "delivered"))
    rate(client, token, first, stars=5)
    rate(client, token, second, stars=2)
    admin = app.test_client()
    log_in(admin, w.state)
    html = page(admin)
    # Received, in time, late, rejected, withdrawn, pending in time, overdue, in appeal, on time %, median, rating.
    [service] = table(html, "by-service")
    assert service[0] == "SC certificate" and service[-1] == "3.5"
    assert table(html, "by-district")[0][-1] == "3.5"
    # The rollup is what a rebuild counts from the ratings themselves.
    with database.connection_context():
        assert RequestRating.select().count() == 2
        dashboard.rebuild()
    assert table(page(admin), "by-service")[0][-1] == "3.5"
