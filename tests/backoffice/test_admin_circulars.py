"""The circular screens: publishing, "My circulars" after log-in, acknowledging, following who has not."""
import io
import re

import pytest

from models import Circular, CircularRecipient, Officer, Post, RoleGrant
from tests.backoffice.admin_support import errors
from tests.backoffice.scope_support import log_in, world  # noqa: F401 (fixture)
from tests.conftest import csrf_token, login

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
TEXT = {"title_en": "Camp courts on Saturday", "title_hi": "शनिवार को शिविर न्यायालय",
        "body_en": "Hold a camp court in every tehsil.", "body_hi": "हर तहसील में शिविर न्यायालय लगाएँ।"}
ANY = "0"


@pytest.fixture
def ambala(world):
    """A second Tehsildar in Ambala (posted to the district), one in Hisar, and Hisar's district administrator."""
    world.tehsildar_two = Officer.create(name="Second Tehsildar", email="tehsildar2@x.in",
                                         password_hash=world.tehsildar_amb.password_hash)
    Post.create(officer=world.tehsildar_two, designation=world.tehsildar, district=world.amb)
    hisar = Officer.create(name="Hisar Tehsildar", email="tehsildar.hsr@x.in")
    Post.create(officer=hisar, designation=world.tehsildar, district=world.hsr)
    world.hsr_admin = Officer.create(name="Hisar admin", email="hsr@x.in", password_hash=world.amb_admin.password_hash)
    RoleGrant.create(officer=world.hsr_admin, role="district_admin", district=world.hsr)
    return world


def publish(client, **fields):
    url = "/admin/circular/publish/"
    data = {**TEXT, "department": ANY, "district": ANY, "designation": ANY, **fields,
            "csrf_token": csrf_token(client, url)}
    return client.post(url, data=data, content_type="multipart/form-data", follow_redirects=True)


def options(page, name):
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page.get_data(as_text=True), re.S)
    return set(re.findall(r'<option[^>]*value="([^"]*)"', select.group(1))) - {ANY}


def counts_line(page):
    return re.search(r'id="recipient-counts">([^<]+)<', page.get_data(as_text=True)).group(1).strip()


def acknowledge(client, circular, token):
    return client.post("/admin/my-circulars/acknowledge/", data={"id": circular.id, "csrf_token": token},
                       follow_redirects=True)


def test_a_district_admin_publishes_to_his_tehsildars_who_acknowledge(app, client, ambala):
    w = ambala
    log_in(client, w.amb_admin)
    form = client.get("/admin/circular/publish/")
    assert form.status_code == 200
    assert options(form, "district") == {str(w.amb.id)}
    assert options(form, "department") == {str(w.rev.id), str(w.ulb.id)}

    page = publish(client, district=str(w.amb.id), designation=str(w.tehsildar.id))
    assert "Circular sent to 2 officers." in page.get_data(as_text=True), errors(page)
    circular = Circular.get(Circular.title_en == TEXT["title_en"])
    assert counts_line(page) == "2 recipients: 0 acknowledged, 2 not yet."

    # One Tehsildar logs in: his circulars come first, unread at the top.
    tehsildar = app.test_client()
    response = login(tehsildar, w.tehsildar_two.email)
    assert response.headers["Location"] == "/admin/my-circulars/"
    mine = tehsildar.get("/admin/my-circulars/").get_data(as_text=True)
    assert "1 circular awaits your acknowledgement." in mine and TEXT["title_en"] in mine
    page = acknowledge(tehsildar, circular, csrf_token(tehsildar, "/admin/my-circulars/"))
    assert "Acknowledged. Thank you." in page.get_data(as_text=True)
    assert "awaits your acknowledgement" not in page.get_data(as_text=True)
    # Nothing unread now: the next log-in goes to the home page.
    again = app.test_client()
    assert login(again, w.tehsildar_two.email).headers["Location"] == "/admin/"

    # The sender sees who has not.
    details = client.get(f"/admin/circular/details/?id={circular.id}")
    assert counts_line(details) == "2 recipients: 1 acknowledged, 1 not yet."
    waiting = re.findall(r'<tr class="recipient-waiting">\s*<td>([^<]+)</td>', details.get_data(as_text=True))
    assert waiting == [w.tehsildar_amb.name]
    listed = client.get("/admin/circular/").get_data(as_text=True)
    assert "1 of 2" in listed

    # Hisar's administrator neither sees it nor its recipients.
    other = app.test_client()
    log_in(other, w.hsr_admin)
    assert f"details/?id={circular.id}" not in other.get("/admin/circular/").get_data(as_text=True)
    assert "Record does not exist." in other.get(f"/admin/circular/details/?id={circular.id}",
                                                 follow_redirects=True).get_data(as_text=True)


def test_the_page_asked_for_waits_behind_the_circulars(app, client, world):
    response = client.post("/login?next=/admin/request/",
                           data={"email": world.tehsildar_amb.email, "password": "correct horse battery staple",
                                 "csrf_token": csrf_token(client, "/login")})
    assert response.headers["Location"] == "/admin/my-circulars/?next=/admin/request/"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'href="/admin/request/"' in page
    # A link elsewhere is not followed.
    assert "Continue to the page" not in client.get("/admin/my-circulars/?next=//evil.example/").get_data(as_text=True)
    assert "Continue to the page" not in client.get("/admin/my-circulars/?next=/%5Cevil.example").get_data(as_text=True)


def test_an_acknowledgement_needs_the_form_and_his_own_circular(client, world):
    token = log_in(client, world.tehsildar_amb)
    acknowledge(client, world.amb_circular, "forged")
    # Not his: the state's circular to Urban Local Bodies.
    page = acknowledge(client, world.ulb_circular, token)
    assert "This circular is not addressed to you." in errors(page)
    assert CircularRecipient.select().where(CircularRecipient.acknowledged_at.is_null(False)).count() == 0
    assert client.get("/admin/my-circulars/acknowledge/").status_code == 405


def test_an_attachment_of_another_type_is_refused(client, world):
    log_in(client, world.amb_admin)
    before = Circular.select().count()
    page = publish(client, district=str(world.amb.id),
                   attachment=(io.BytesIO(b"MZ\x90\0 an executable"), "order.pdf"))
    assert "order.pdf is neither a PDF nor an image (PNG or JPEG)." in errors(page)
    assert Circular.select().count() == before


def test_the_attachment_reaches_senders_and_recipients_only(app, client, world):
    log_in(client, world.amb_admin)
    page = publish(client, district=str(world.amb.id), attachment=(io.BytesIO(PDF), "आदेश.pdf"))
    assert "Circular sent to 1 officer." in page.get_data(as_text=True), errors(page)
    circular = Circular.get(Circular.title_en == TEXT["title_en"])
    url = f"/admin/circular/attachment/?id={circular.id}"
    assert client.get(url).data == PDF

    recipient = app.test_client()
    log_in(recipient, world.tehsildar_amb)
    assert url in recipient.get("/admin/my-circulars/").get_data(as_text=True)
    download = recipient.get(url)
    assert download.data == PDF and download.mimetype == "application/pdf"

    outsider = app.test_client()
    log_in(outsider, world.eo_hsr)
    assert outsider.get(url).status_code == 404


def test_only_administrators_publish(client, world):
    token = log_in(client, world.tehsildar_amb)
    assert client.get("/admin/circular/publish/").status_code == 403
    assert client.post("/admin/circular/publish/", data={**TEXT, "csrf_token": token}).status_code == 403
    # The senders' screen is not in his menu; his own circulars are.
    menu = client.get("/admin/my-circulars/").get_data(as_text=True)
    assert 'href="/admin/circular/"' not in menu and 'href="/admin/my-circulars/"' in menu


def test_a_department_admin_must_name_his_department(client, world):
    log_in(client, world.rev_admin)
    form = client.get("/admin/circular/publish/")
    assert options(form, "department") == {str(world.rev.id)}
    # His one department comes chosen; left out, the circular is refused.
    assert f'<option selected value="{world.rev.id}">' in form.get_data(as_text=True)
    before = Circular.select().count()
    page = publish(client, district=str(world.hsr.id))
    assert "own department or district" in errors(page)
    assert Circular.select().count() == before
