"""Circulars (models/circulars.py): the audience, who may address it, acknowledgement, and their scope."""
import pytest

from models import (
    Circular, CircularAttachment, CircularRecipient, Department, Designation, District, DomainError, Officer, Post,
    RoleGrant, circulars, scope,
)
from models.circulars import Attachment, acknowledge, audience, publish, unread
from tests.rows import snapshot
from tests.world import build

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
TEXT = dict(title_en="Camp courts", title_hi="शिविर न्यायालय", body_en="Hold them.", body_hi="लगाएँ।")


@pytest.fixture
def world(db):
    w = build()
    w.naib = Designation.create(department=w.rev, name="Naib Tehsildar", level="district")
    # A Tehsildar of Hisar, a Naib Tehsildar posted to Ambala district itself, an
    # officer Revenue employs without a post yet, and a deactivated Tehsildar of Ambala.
    w.tehsildar_hsr = officer("tehsildar.hsr@x.in", w.tehsildar, district=w.hsr)
    w.naib_amb = officer("naib@x.in", w.naib, district=w.amb)
    w.rev_clerk = Officer.create(name="clerk", email="clerk@x.in", department=w.rev)
    w.retired = officer("retired@x.in", w.tehsildar, area=w.amb_tehsil, active=False)
    return w


def officer(email, designation, active=True, **place):
    person = Officer.create(name=email.split("@")[0], email=email, active=active)
    Post.create(officer=person, designation=designation, **place)
    return person


def reached(**filters):
    return {o.email for o in audience(**filters)}


def recipients(circular):
    return {r.officer.email for r in CircularRecipient.select().where(CircularRecipient.circular == circular)}


def counts():
    return [model.select().count() for model in (Circular, CircularRecipient, CircularAttachment)]


def test_a_district_and_designation_reach_posts_in_the_district_and_its_areas(world):
    # The Ambala Tehsildar holds his post in a tehsil of Ambala; the retired one is inactive.
    assert reached(district=world.amb, designation=world.tehsildar) == {"tehsildar@x.in"}
    assert reached(designation=world.tehsildar) == {"tehsildar@x.in", "tehsildar.hsr@x.in"}
    assert reached(district=world.amb) == {"tehsildar@x.in", "naib@x.in"}
    assert reached(district=world.hsr) == {"eo@x.in", "tehsildar.hsr@x.in"}


def test_a_department_alone_also_reaches_the_officers_it_employs(world):
    everyone = {"tehsildar@x.in", "tehsildar.hsr@x.in", "naib@x.in"}
    assert reached(department=world.rev) == everyone | {"clerk@x.in"}
    assert reached(department=world.rev, district=world.amb) == {"tehsildar@x.in", "naib@x.in"}
    assert reached(department=world.ulb) == {"eo@x.in"}
    # No filter: every active officer holding a post.
    assert reached() == everyone | {"eo@x.in"}


def test_publish_addresses_the_audience_of_that_moment(world):
    circular = publish(world.amb_admin, district=world.amb, designation=world.tehsildar, **TEXT)
    assert recipients(circular) == {"tehsildar@x.in"}
    # A transfer afterwards rewrites nobody's history.
    Post.update(area=world.hsr_block).where(Post.officer == world.tehsildar_amb).execute()
    assert recipients(circular) == {"tehsildar@x.in"}


def test_the_sender_is_not_among_the_recipients(world):
    Post.create(officer=world.amb_admin, designation=world.tehsildar, district=world.amb)
    circular = publish(world.amb_admin, district=world.amb, designation=world.tehsildar, **TEXT)
    assert recipients(circular) == {"tehsildar@x.in"}


@pytest.mark.parametrize("sender, filters, allowed", [
    ("state", {}, True),
    ("state", {"department": "ulb", "district": "hsr"}, True),
    ("rev_admin", {"department": "rev"}, True),
    ("rev_admin", {"department": "rev", "district": "hsr"}, True),
    ("rev_admin", {"district": "amb"}, False),
    ("rev_admin", {"department": "ulb"}, False),
    ("rev_admin", {}, False),
    ("amb_admin", {"district": "amb"}, True),
    ("amb_admin", {"district": "amb", "department": "rev"}, True),
    ("amb_admin", {"district": "hsr"}, False),
    ("amb_admin", {"department": "rev"}, False),
    ("amb_admin", {}, False),
    ("tehsildar_amb", {"district": "amb"}, False),
    ("counter", {"district": "amb"}, False),
])
def test_who_may_address_whom(world, sender, filters, allowed):
    fields = {name: getattr(world, value) for name, value in filters.items()}
    before = counts()
    if allowed:
        assert recipients(publish(getattr(world, sender), **fields, **TEXT))
        return
    with pytest.raises(DomainError) as refused:
        publish(getattr(world, sender), **fields, **TEXT)
    assert refused.value.code == "circular_audience_forbidden"
    assert counts() == before


def test_an_empty_audience_is_refused_and_nothing_saved(world):
    before = counts()
    with pytest.raises(DomainError) as refused:
        publish(world.rev_admin, department=world.rev, designation=world.eo,
                attachment=Attachment("order.pdf", PDF), **TEXT)
    assert refused.value.code == "circular_audience_empty"
    assert counts() == before


def test_title_and_text_are_needed_in_both_languages(world):
    with pytest.raises(DomainError) as refused:
        publish(world.state, **{**TEXT, "body_hi": "  "})
    assert refused.value.code == "circular_incomplete"


def test_an_attachment_is_a_pdf_or_an_image_by_its_bytes(world):
    circular = publish(world.state, attachment=Attachment("C:\\orders\\आदेश.pdf", PDF), **TEXT)
    stored = CircularAttachment.get(CircularAttachment.circular == circular)
    assert (stored.filename, stored.content_type, stored.size, bytes(stored.content)) == \
        ("आदेश.pdf", "application/pdf", len(PDF), PDF)
    assert publish(world.state, attachment=Attachment("map.png", PNG), **TEXT).attachments.get().content_type \
        == "image/png"

    before = counts()
    for attachment, code in ((Attachment("order.pdf", b"MZ\x90\0 not a pdf"), "circular_attachment_type"),
                             (Attachment("empty.pdf", b""), "document_empty"),
                             (Attachment("big.pdf", PDF + b"\0" * circulars.MAX_ATTACHMENT_BYTES),
                              "document_too_large")):
        with pytest.raises(DomainError) as refused:
            publish(world.state, attachment=attachment, **TEXT)
        assert refused.value.code == code
    assert counts() == before


def test_acknowledgement_and_unread(world):
    # The world's circulars: Ambala's to its Tehsildars and Revenue's to its officers.
    assert list(unread(world.tehsildar_amb)) == [world.rev_circular, world.amb_circular]
    assert acknowledge(world.tehsildar_amb, world.amb_circular)
    first = CircularRecipient.get(circular=world.amb_circular, officer=world.tehsildar_amb).acknowledged_at
    assert first is not None
    assert list(unread(world.tehsildar_amb)) == [world.rev_circular]
    # Again: the first acknowledgement stands.
    assert not acknowledge(world.tehsildar_amb, world.amb_circular)
    assert CircularRecipient.get(circular=world.amb_circular, officer=world.tehsildar_amb).acknowledged_at == first
    # Unread first, then newest first.
    assert [r.circular_id for r in circulars.addressed_to(world.tehsildar_amb)] == \
        [world.rev_circular.id, world.amb_circular.id]
    with pytest.raises(DomainError) as refused:
        acknowledge(world.eo_hsr, world.amb_circular)
    assert refused.value.code == "circular_not_addressed"


def ids(officer, model):
    return {row.id for row in scope.rows(Officer.get_by_id(officer.id), model)}


def test_senders_see_what_they_may_address_and_recipients_what_reached_them(world):
    amb, rev, ulb = world.amb_circular.id, world.rev_circular.id, world.ulb_circular.id
    assert ids(world.state, Circular) == {amb, rev, ulb}
    assert ids(world.amb_admin, Circular) == {amb}
    assert ids(world.rev_admin, Circular) == {rev}
    assert ids(world.tehsildar_amb, Circular) == {amb, rev}
    assert ids(world.eo_hsr, Circular) == {ulb}
    assert ids(world.counter, Circular) == set()
    assert not scope.offers(world.nobody, Circular)

    circular = publish(world.rev_admin, department=world.rev, **TEXT)
    lines = {r.id for r in CircularRecipient.select().where(CircularRecipient.circular == circular)}
    assert lines <= ids(world.rev_admin, CircularRecipient)
    assert not lines & ids(world.amb_admin, CircularRecipient)
    # A recipient sees his own lines, not the others'.
    mine = {r.id for r in CircularRecipient.select().where(CircularRecipient.officer == world.tehsildar_amb)}
    assert ids(world.tehsildar_amb, CircularRecipient) == mine
    assert lines - mine


def test_publishing_is_offered_to_administrators_within_their_jurisdiction(world):
    assert [scope.offers(getattr(world, who), Circular, "create") for who in
            ("state", "rev_admin", "amb_admin", "tehsildar_amb", "counter")] == [True, True, True, False, False]

    def choices(who, model):
        return {row.id for row in model.select().where(scope.addressable(getattr(world, who), model))}

    assert choices("rev_admin", Department) == {world.rev.id}
    assert choices("rev_admin", District) == {world.amb.id, world.hsr.id}
    assert choices("rev_admin", Designation) == {world.tehsildar.id, world.naib.id}
    assert choices("amb_admin", District) == {world.amb.id}
    assert choices("amb_admin", Department) == {world.rev.id, world.ulb.id}
    assert choices("amb_admin", Designation) == {world.tehsildar.id, world.naib.id, world.eo.id}
    assert choices("tehsildar_amb", District) == set()


def test_a_district_administrator_addresses_no_state_level_post(world):
    """A state-level officer holding his department's nodal post in the district is still not the district's."""
    planner = Designation.create(department=world.ulb, name="Chief Town Planner", level="state")
    holder = officer("chief-town-planner.hr@x.in", planner)
    Post.create(officer=holder, designation=planner, district=world.amb, nodal=True)
    assert planner.id not in {row.id for row in Designation.select()
                              .where(scope.addressable(world.amb_admin, Designation))}
    before = snapshot()
    for audience_ in ({"district": world.amb, "designation": planner},
                      {"district": world.amb, "department": world.ulb, "designation": planner}):
        with pytest.raises(DomainError) as refused:
            publish(world.amb_admin, **audience_, **TEXT)
        assert refused.value.code == "circular_audience_forbidden"
    assert snapshot() == before
    # Those who answer for the post still may.
    assert recipients(publish(world.state, designation=planner, **TEXT)) == {"chief-town-planner.hr@x.in"}


def test_an_administrator_of_both_may_address_either(world):
    RoleGrant.create(officer=world.rev_admin, role="district_admin", district=world.hsr)
    sender = Officer.get_by_id(world.rev_admin.id)
    assert recipients(publish(sender, district=world.hsr, department=world.ulb, **TEXT)) == {"eo@x.in"}
    # Ambala's officers only through his department.
    with pytest.raises(DomainError):
        publish(sender, district=world.amb, department=world.ulb, **TEXT)
