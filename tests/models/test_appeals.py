"""Appeals (models/appeals.py and the appellate steps of models/lifecycle.py): the sweep, the authority, the
citizen's appeal, the Commission; every refusal changes nothing."""
import datetime

import pytest
from peewee import IntegrityError

from models import (
    Appeal, Area, Citizen, CommissionDecision, Department, Designation, District, DomainError, Holiday, Officer,
    Post, RequestEvent, RoleGrant, Service, ServiceRequest, appeals, database, digest, lifecycle, scope,
)
from models.db import is_postgresql
from models.lifecycle import available, citizen_appeal, direct, file, perform, reassign
from tests.rows import snapshot

IST_OFFSET = datetime.timedelta(hours=5, minutes=30)
SECOND = datetime.timedelta(seconds=1)


def utc(ist_text):
    return datetime.datetime.fromisoformat(ist_text) - IST_OFFSET


def ist(utc_naive):
    return (utc_naive + IST_OFFSET).isoformat(sep=" ")


class World:
    pass


@pytest.fixture
def w(db):
    w = World()
    w.amb = District.create(code="AMB", name_en="Ambala", name_hi="अंबाला")
    w.tehsil = Area.create(district=w.amb, code="AMB-T", name_en="Ambala tehsil", name_hi="अंबाला तहसील", kind="tehsil")
    w.rev = Department.create(code="REV", name_en="Revenue", name_hi="राजस्व")
    tehsildar = Designation.create(department=w.rev, name="Tehsildar", level="area")
    sdm = Designation.create(department=w.rev, name="SDM", level="area")
    dc = Designation.create(department=w.rev, name="Deputy Commissioner", level="district")
    w.service = Service.create(code="REV-SC", name_en="SC certificate", name_hi="अनुसूचित जाति प्रमाण पत्र",
                               department=w.rev, category="certificates", tat_value=3, tat_unit="working_days",
                               designated_officer=tehsildar, first_appellate=sdm, second_appellate=dc,
                               status="published")

    def officer(email, role=None, **grant):
        o = Officer.create(name=email.split("@")[0].title(), email=email)
        if role:
            RoleGrant.create(officer=o, role=role, **grant)
        return o

    w.field = officer("tehsildar@x.in")
    Post.create(officer=w.field, designation=tehsildar, area=w.tehsil)
    w.other_field = officer("tehsildar2@x.in")
    Post.create(officer=w.other_field, designation=tehsildar, area=w.tehsil)
    w.sdm = officer("sdm@x.in")
    Post.create(officer=w.sdm, designation=sdm, area=w.tehsil)
    w.dc = officer("dc@x.in")
    Post.create(officer=w.dc, designation=dc, district=w.amb)
    w.counter = officer("counter@x.in", "counter_operator", district=w.amb)
    w.amb_admin = officer("amb@x.in", "district_admin", district=w.amb)
    w.commission = officer("commission@x.in", "commission_member")
    w.citizen = Citizen.create(mobile="9876500001", name="Sita Devi")
    Holiday.create(date=datetime.date(2026, 12, 25), name_en="Christmas", name_hi="क्रिसमस")
    return w


def filed(w, at="2026-12-08 11:00"):
    """Tuesday 8 December 2026, 3 working days: due Friday 11 December, 23:59:59 IST, with the first tehsildar."""
    return file(w.service, w.citizen, w.amb, area=w.tehsil, filed_by=w.counter, at=utc(at))


def fresh(request):
    return ServiceRequest.get_by_id(request.id)


def go(request, action, actor, **fields):
    return perform(request, action, actor, version=request.version, **fields)


def kinds(request):
    return [e.kind for e in RequestEvent.select().where(RequestEvent.request == request.id).order_by(RequestEvent.id)]


def sweep(at, **fields):
    return dict(appeals.sweep(utc(at), **fields))


def refused(code, step, *args, **kwargs):
    """`step` is refused with `code`, and no row anywhere changed."""
    before = snapshot()
    with pytest.raises(DomainError) as error:
        step(*args, **kwargs)
    assert error.value.code == code
    assert snapshot() == before


# The sweep ------------------------------------------------------------------

def test_nothing_is_appealed_before_the_due_moment(w):
    request = filed(w)
    assert sweep("2026-12-11 23:59:59") == {1: 0, 2: 0, 3: 0}
    assert fresh(request).appeal_level == 0


def test_an_overdue_request_goes_to_the_first_authority_for_30_working_days(w):
    request = filed(w)
    assert sweep("2026-12-12 00:00:30") == {1: 1, 2: 0, 3: 0}
    stored = fresh(request)
    assert (stored.appeal_level, stored.appealed_to_id, stored.status) == (1, w.sdm.id, "assigned")
    # Reached him on Saturday: Monday 14 is the first day counted from, day 1 Tuesday 15; Christmas is no
    # working day, so day 30 is Tuesday 26 January 2027.
    assert ist(stored.appeal_due_at) == "2027-01-26 23:59:59"
    assert stored.version == request.version + 1
    appeal = Appeal.get(Appeal.request == request.id)
    assert (appeal.level, appeal.authority_id, appeal.reason, appeal.appealed_at) == (
        1, w.sdm.id, "overdue", utc("2026-12-12 00:00:30"))
    event = RequestEvent.select().where(RequestEvent.request == request.id).order_by(RequestEvent.id.desc()).get()
    assert (event.kind, event.officer_id, event.from_status, event.to_status) == ("appealed", None, "assigned",
                                                                                 "assigned")
    assert "first appellate authority, Sdm, who must act by 2027-01-26 23:59 IST" in event.note


def test_the_second_sweep_appeals_nothing_again(w):
    request = filed(w)
    sweep("2026-12-14 10:00")
    before = snapshot()
    assert sweep("2026-12-14 10:00") == {1: 0, 2: 0, 3: 0}
    assert sweep("2026-12-15 10:00") == {1: 0, 2: 0, 3: 0}
    assert snapshot() == before
    assert Appeal.select().where(Appeal.request == request.id).count() == 1


def test_undecided_it_climbs_to_the_second_authority_then_the_commission(w):
    request = filed(w)
    sweep("2026-12-14 10:00")
    first_due = fresh(request).appeal_due_at
    assert ist(first_due) == "2027-01-26 23:59:59"
    assert sweep(ist(first_due)) == {1: 0, 2: 0, 3: 0}
    assert sweep(ist(first_due + SECOND)) == {1: 0, 2: 1, 3: 0}
    stored = fresh(request)
    assert (stored.appeal_level, stored.appealed_to_id) == (2, w.dc.id)
    # Reached him at 00:00:00 IST on Wednesday 27 January: day 1 is Thursday 28, day 30 Wednesday 10 March.
    assert ist(stored.appeal_due_at) == "2027-03-10 23:59:59"
    assert sweep(ist(stored.appeal_due_at + SECOND)) == {1: 0, 2: 0, 3: 1}
    stored = fresh(request)
    assert (stored.appeal_level, stored.appealed_to_id, stored.appeal_due_at, stored.status) == (
        3, None, None, "assigned")
    assert sweep("2028-01-01 10:00") == {1: 0, 2: 0, 3: 0}
    assert [(a.level, a.authority_id) for a in Appeal.select().order_by(Appeal.level)] == [
        (1, w.sdm.id), (2, w.dc.id), (3, None)]
    assert kinds(request)[-3:] == ["appealed"] * 3


def test_one_level_a_sweep_however_late(w):
    request = filed(w)
    # Cron was down for a year: the first authority still gets his 30 working days from now.
    assert sweep("2027-12-13 10:00") == {1: 1, 2: 0, 3: 0}
    assert fresh(request).appeal_level == 1


def test_a_vacant_post_falls_to_the_district_administrator(w):
    Post.delete().where(Post.officer == w.sdm.id).execute()
    request = filed(w)
    sweep("2026-12-14 10:00")
    assert fresh(request).appealed_to_id == w.amb_admin.id


def test_vacant_everywhere_it_still_escalates_with_nobody(w):
    Post.delete().where(Post.officer == w.sdm.id).execute()
    Officer.update(active=False).where(Officer.id == w.amb_admin.id).execute()
    request = filed(w)
    assert sweep("2026-12-14 10:00") == {1: 1, 2: 0, 3: 0}
    stored = fresh(request)
    assert (stored.appeal_level, stored.appealed_to_id) == (1, None)
    assert ist(stored.appeal_due_at) == "2027-01-26 23:59:59"
    assert "nobody holds the post" in RequestEvent.get(RequestEvent.kind == "appealed").note
    # Its time runs out all the same, and on it goes.
    assert sweep(ist(stored.appeal_due_at + SECOND)) == {1: 0, 2: 1, 3: 0}
    assert fresh(request).appealed_to_id == w.dc.id


def test_the_appeal_never_goes_to_the_officer_it_is_against(w):
    # The tehsildar also holds the SDM's post (an additional charge): nobody else holds it here.
    Post.update(officer=w.field).where(Post.officer == w.sdm.id).execute()
    request = filed(w)
    sweep("2026-12-14 10:00")
    assert (fresh(request).appeal_level, fresh(request).appealed_to_id) == (1, None)


def test_the_least_burdened_authority_among_several(w):
    sdm2 = Officer.create(name="Sdm2", email="sdm2@x.in")
    Post.create(officer=sdm2, designation=w.service.first_appellate, area=w.tehsil)
    first, second = filed(w), filed(w)
    sweep("2026-12-14 10:00")
    assert {fresh(first).appealed_to_id, fresh(second).appealed_to_id} == {w.sdm.id, sdm2.id}


def test_a_paused_request_is_not_overdue_until_the_citizen_answers(w):
    request = filed(w)
    go(request, "start", w.field)
    go(request, "raise_query", w.field, note="Attach your ration card.", at=utc("2026-12-10 10:00"))
    assert sweep("2026-12-16 10:00") == {1: 0, 2: 0, 3: 0}
    # Asked Thursday 10, answered Wednesday 16: Fri, Mon, Tue, Wed waited, four working days after Friday 11.
    go(fresh(request), "answer_query", w.counter, note="Brought.", at=utc("2026-12-16 11:00"))
    assert ist(fresh(request).due_at) == "2026-12-17 23:59:59"
    assert sweep("2026-12-17 23:00") == {1: 0, 2: 0, 3: 0}
    assert sweep("2026-12-18 00:00:01") == {1: 1, 2: 0, 3: 0}


def test_a_query_under_appeal_moves_the_authoritys_time_too(w):
    request = filed(w)
    go(request, "start", w.field)
    sweep("2026-12-14 10:00")
    request = fresh(request)
    go(request, "raise_query", w.field, note="Which village?", at=utc("2026-12-15 10:00"))
    go(fresh(request), "answer_query", w.counter, note="Saha.", at=utc("2026-12-17 10:00"))
    # Wednesday and Thursday waited: two working days more than Tuesday 26 January.
    assert ist(fresh(request).appeal_due_at) == "2027-01-28 23:59:59"


@pytest.mark.parametrize("end", ["deliver", "reject", "withdraw"])
def test_a_decided_request_is_never_appealed(w, end):
    request = filed(w)
    go(request, "start", w.field)
    if end == "deliver":
        go(request, "approve", w.field)
        go(request, "deliver", w.field, note="Handed over.")
    elif end == "reject":
        go(request, "reject", w.field, note="Not eligible.")
    else:
        go(request, "withdraw", w.citizen)
    assert sweep("2026-12-14 10:00") == {1: 0, 2: 0, 3: 0}
    assert fresh(request).appeal_level == 0


def test_approved_but_undelivered_is_still_overdue(w):
    request = filed(w)
    go(request, "start", w.field)
    go(request, "approve", w.field)
    assert sweep("2026-12-14 10:00") == {1: 1, 2: 0, 3: 0}


def test_in_batches_every_overdue_request_once(w):
    requests = [filed(w) for _ in range(7)]
    assert sweep("2026-12-14 10:00", batch=2) == {1: 7, 2: 0, 3: 0}
    assert {fresh(r).appeal_level for r in requests} == {1}
    assert Appeal.select().count() == RequestEvent.select().where(RequestEvent.kind == "appealed").count() == 7


def test_what_the_caller_tells_is_in_the_same_transaction(w):
    request = filed(w)
    told = []
    sweep("2026-12-14 10:00", tell=lambda r, appeal, event: told.append((r.id, appeal.level, event.kind)))
    assert told == [(request.id, 1, "appealed")]

    def broken(*args):
        raise RuntimeError("the outbox is unwritable")

    second = filed(w)
    before = snapshot()
    with pytest.raises(RuntimeError):
        sweep("2026-12-14 10:00", tell=broken)
    assert snapshot() == before and fresh(second).appeal_level == 0


def test_a_request_changed_since_it_was_read_is_not_raised(w):
    request = filed(w)
    stale = fresh(request)
    go(fresh(request), "start", w.field)
    with database.atomic():
        assert appeals.raise_level(stale, utc("2026-12-14 10:00"), reason="overdue") is None
    assert fresh(request).appeal_level == 0 and not Appeal.select().exists()


def test_one_appeal_row_per_level(w):
    request = filed(w)
    sweep("2026-12-14 10:00")
    with pytest.raises(IntegrityError), database.atomic():
        Appeal.create(request=request, level=1, reason="overdue", appealed_at=utc("2026-12-14 10:00"))


def test_the_sweep_reads_through_its_index(w):
    query = appeals.overdue(0, utc("2026-12-14 10:00")).limit(50)
    sql, params = query.sql()
    if is_postgresql():
        with database.atomic():
            database.execute_sql("SET LOCAL enable_seqscan = off")
            plan = " ".join(row[0] for row in database.execute_sql("EXPLAIN " + sql, params))
    else:
        plan = " ".join(str(row) for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
    assert "service_request_overdue" in plan, plan
    sql, params = appeals.overdue(1, utc("2026-12-14 10:00")).limit(50).sql()
    if is_postgresql():
        with database.atomic():
            database.execute_sql("SET LOCAL enable_seqscan = off")
            plan = " ".join(row[0] for row in database.execute_sql("EXPLAIN " + sql, params))
    else:
        plan = " ".join(str(row) for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
    assert "service_request_appeal_overdue" in plan, plan


# The authority ----------------------------------------------------------------

@pytest.fixture
def appealed(w):
    request = filed(w)
    go(request, "start", w.field)
    sweep("2026-12-14 10:00")
    return fresh(request)


def test_the_authority_sees_it_in_full_and_may_direct_reassign_or_decide(w, appealed):
    assert scope.get(w.sdm, ServiceRequest, appealed.id) is not None
    assert scope.handles(w.sdm, appealed)
    assert available(w.sdm, appealed) == ["approve", "reject", "reassign", "direct"]
    assert "direct" not in available(w.field, appealed) and "direct" not in available(w.amb_admin, appealed)


def test_the_authority_directs_the_officer_who_then_decides(w, appealed):
    event = direct(appealed, w.sdm, version=appealed.version, decide_by=datetime.date(2026, 12, 18),
                   note="Verify with the patwari.", at=utc("2026-12-14 11:00"))
    stored = fresh(appealed)
    assert stored.decide_by == datetime.date(2026, 12, 18)
    assert (event.kind, event.officer_id, event.note) == (
        "directed", w.sdm.id, "Tehsildar to decide by 18-12-2026. Verify with the patwari.")
    go(stored, "approve", w.field)
    go(fresh(appealed), "deliver", w.field, note="Certificate issued.")
    assert fresh(appealed).status == "delivered"
    assert sweep("2027-06-01 10:00") == {1: 0, 2: 0, 3: 0}


@pytest.mark.parametrize("day", ["2026-12-13", "2027-01-27"])
def test_a_direction_outside_the_authoritys_time_is_refused(w, appealed, day):
    refused("direct_date_out_of_range", direct, appealed, w.sdm, version=appealed.version,
            decide_by=datetime.date.fromisoformat(day), at=utc("2026-12-14 11:00"))


@pytest.mark.parametrize("who", ["field", "amb_admin", "dc", "commission"])
def test_only_the_authority_directs(w, appealed, who):
    refused("transition_forbidden", direct, appealed, getattr(w, who), version=appealed.version,
            decide_by=datetime.date(2026, 12, 18))


def test_a_stale_direction_is_refused(w, appealed):
    go(fresh(appealed), "approve", w.field)
    refused("request_changed", direct, appealed, w.sdm, version=appealed.version,
            decide_by=datetime.date(2026, 12, 18))


def test_the_authority_decides_himself(w, appealed):
    event = go(appealed, "reject", w.sdm, note="The caste certificate of the father is forged.")
    stored = fresh(appealed)
    assert (stored.status, event.officer_id, stored.appeal_level) == ("rejected", w.sdm.id, 1)
    assert stored.closed_at == event.at


def test_the_authority_reassigns(w, appealed):
    reassign(appealed, w.other_field, w.sdm, version=appealed.version, note="Tehsildar on tour.")
    assert fresh(appealed).assigned_officer_id == w.other_field.id


def test_once_it_climbs_the_first_authority_can_no_longer_act(w, appealed):
    sweep(ist(appealed.appeal_due_at + SECOND))
    stored = fresh(appealed)
    assert available(w.sdm, stored) == []
    assert scope.get(w.sdm, ServiceRequest, stored.id) is None
    refused("transition_forbidden", go, stored, "reject", w.sdm, note="Too late.")
    assert available(w.dc, stored) == ["approve", "reject", "reassign", "direct"]


def test_the_digest_lists_new_appeals_still_his(w):
    since = utc("2026-12-13 10:00")
    assert digest._new_appeals(w.sdm, since) == []
    request = filed(w)
    sweep("2026-12-14 10:00")
    assert [r.id for r in digest._new_appeals(w.sdm, since)] == [request.id]
    assert digest._new_appeals(w.sdm, utc("2026-12-14 10:01")) == []
    go(fresh(request), "reject", w.sdm, note="Forged.")
    assert digest._new_appeals(w.sdm, since) == []


# The citizen's appeal -----------------------------------------------------------

@pytest.fixture
def rejected(w):
    request = filed(w)
    go(request, "start", w.field)
    go(request, "reject", w.field, note="Not a resident.", at=utc("2026-12-09 16:00"))
    return fresh(request)


@pytest.mark.parametrize("actor", ["citizen", "counter"])
def test_the_citizen_appeals_a_rejection_within_30_days(w, rejected, actor):
    at = utc("2027-01-08 18:00")  # the 30th day after 9 December
    assert "citizen_appeal" in available(getattr(w, actor), rejected, now=at)
    appeal, event = citizen_appeal(rejected, getattr(w, actor), version=rejected.version,
                                   grounds="I have lived in Ambala since 2001.", at=at)
    stored = fresh(rejected)
    assert (stored.status, stored.closed_at, stored.appeal_level, stored.appealed_to_id) == (
        "in_progress", None, 1, w.sdm.id)
    assert ist(stored.appeal_due_at) == "2027-02-19 23:59:59"
    assert (appeal.reason, appeal.grounds, appeal.authority_id) == ("citizen", "I have lived in Ambala since 2001.",
                                                                    w.sdm.id)
    assert (event.kind, event.from_status, event.to_status) == ("citizen_appeal", "rejected", "in_progress")
    assert event.note.startswith("I have lived in Ambala since 2001.\nAppealed to the first appellate authority")
    # The authority decides now, within his own time; the officer may decide again too.
    assert available(w.sdm, stored)[:2] == ["approve", "reject"]
    assert sweep("2027-02-19 23:00") == {1: 0, 2: 0, 3: 0}
    assert sweep("2027-02-20 00:00:01") == {1: 0, 2: 1, 3: 0}


def test_no_appeal_after_30_days(w, rejected):
    at = utc("2027-01-09 00:00:01")
    assert "citizen_appeal" not in available(w.citizen, rejected, now=at)
    refused("citizen_appeal_too_late", citizen_appeal, rejected, w.citizen, version=rejected.version,
            grounds="Late.", at=at)


def test_an_appeal_needs_grounds(w, rejected):
    refused("citizen_appeal_needs_note", citizen_appeal, rejected, w.citizen, version=rejected.version, grounds=" ",
            at=utc("2026-12-10 10:00"))


@pytest.mark.parametrize("who", ["field", "sdm", "amb_admin"])
def test_only_the_citizen_or_his_counter_appeals(w, rejected, who):
    refused("transition_forbidden", citizen_appeal, rejected, getattr(w, who), version=rejected.version,
            grounds="Because.", at=utc("2026-12-10 10:00"))


def test_only_a_rejection_is_appealed(w):
    request = filed(w)
    refused("transition_not_allowed", citizen_appeal, request, w.citizen, version=request.version, grounds="Slow.")


def test_a_rejection_at_the_second_level_goes_to_the_commission(w, rejected):
    citizen_appeal(rejected, w.citizen, version=rejected.version, grounds="Resident.", at=utc("2026-12-10 10:00"))
    go(fresh(rejected), "reject", w.sdm, note="Confirmed.", at=utc("2026-12-11 10:00"))
    stored = fresh(rejected)
    citizen_appeal(stored, w.counter, version=stored.version, grounds="Still resident.", at=utc("2026-12-12 10:00"))
    stored = fresh(rejected)
    assert (stored.appeal_level, stored.appealed_to_id, stored.status) == (2, w.dc.id, "in_progress")
    go(stored, "reject", w.dc, note="Confirmed again.", at=utc("2026-12-14 10:00"))
    stored = fresh(rejected)
    citizen_appeal(stored, w.citizen, version=stored.version, grounds="Unjust.", at=utc("2026-12-15 10:00"))
    stored = fresh(rejected)
    assert (stored.appeal_level, stored.appealed_to_id, stored.status) == (3, None, "rejected")
    assert not lifecycle.appeal_open(stored, utc("2026-12-15 10:00"))


# The Commission ----------------------------------------------------------------

@pytest.fixture
def flagged(w, appealed):
    sweep(ist(appealed.appeal_due_at + SECOND))
    sweep(ist(fresh(appealed).appeal_due_at + SECOND))
    stored = fresh(appealed)
    assert stored.appeal_level == 3
    return stored


def test_commission_members_see_flagged_requests_and_decide(w, flagged):
    assert scope.get(w.commission, ServiceRequest, flagged.id) is not None
    assert not scope.handles(w.commission, flagged)
    assert available(w.commission, flagged) == ["commission_decide"]
    assert [o.id for o in appeals.involved(flagged)] == [w.field.id, w.sdm.id, w.dc.id]
    decided, event = appeals.decide(flagged, w.commission, version=flagged.version, penalty=20_000,
                                    compensation=5_000, officer=w.sdm, note="No sufficient cause for the delay.")
    assert (decided.penalty_rupees, decided.penalised_officer_id, decided.compensation_rupees) == (
        20_000, w.sdm.id, 5_000)
    assert (event.kind, event.officer_id) == ("commission_decided", w.commission.id)
    assert event.note == ("Penalty ₹20,000 on Sdm. Compensation ₹5,000 to the citizen. "
                          "No sufficient cause for the delay.")
    assert available(w.commission, fresh(flagged)) == []
    refused("transition_forbidden", appeals.decide, fresh(flagged), w.commission, version=fresh(flagged).version,
            note="Again.")


def test_the_commission_sees_nothing_below_its_level(w, appealed):
    assert scope.get(w.commission, ServiceRequest, appealed.id) is None
    assert available(w.commission, appealed) == []


@pytest.mark.parametrize("fields, code", [
    ({"penalty": 20_001, "officer": "field"}, "penalty_out_of_range"),
    ({"penalty": -1, "officer": "field"}, "penalty_out_of_range"),
    ({"compensation": 5_001}, "compensation_out_of_range"),
    ({"compensation": -5}, "compensation_out_of_range"),
    ({"penalty": 500}, "penalty_needs_officer"),
    ({"penalty": 500, "officer": "amb_admin"}, "penalty_officer_not_involved"),
    ({"note": "  "}, "commission_decide_needs_note"),
    ({"version": 0}, "request_changed"),
    ({"by": "state"}, "transition_forbidden"),
    ({"by": "sdm"}, "transition_forbidden"),
])
def test_commission_refusals(w, flagged, fields, code):
    w.state = Officer.create(name="State", email="state@x.in")
    RoleGrant.create(officer=w.state, role="state_admin")
    args = {"note": "Reasons.", "version": flagged.version, **fields}
    if "officer" in args:
        args["officer"] = getattr(w, args["officer"])
    by = getattr(w, args.pop("by", "commission"))
    refused(code, appeals.decide, flagged, by, **args)


def test_no_decision_before_the_commission_level(w, appealed):
    refused("transition_forbidden", appeals.decide, appealed, w.commission, version=appealed.version, note="Early.")


@pytest.mark.parametrize("column, value", [("penalty_rupees", 20_001), ("compensation_rupees", 5_001),
                                           ("penalty_rupees", -1)])
def test_the_database_holds_the_limits_too(w, flagged, column, value):
    with pytest.raises(IntegrityError), database.atomic():
        CommissionDecision.create(request=flagged, decided_by=w.commission, penalised_officer=w.field, note="x",
                                  **{column: value})


def test_appeals_and_decisions_are_append_only(w, flagged):
    appeal = Appeal.select().first()
    appeal.grounds = "rewritten"
    with pytest.raises(DomainError):
        appeal.save()
    with pytest.raises(DomainError):
        appeal.delete_instance()
    with pytest.raises(DomainError):
        Appeal.update(grounds="rewritten")
