"""The notes the system writes on a request's history, worded in the reader's language (backoffice/admin/event_notes.py)."""
import datetime

import pytest
from flask_babel import force_locale

from backoffice.admin.event_notes import worded
from models import Appeal, RequestEvent, ServiceRequest, appeals, database
from tests.backoffice.requests_support import file_at_counter, login_as, w  # noqa: F401 (w is a fixture)
from tests.backoffice.requests_support import text as text_of


def note(app, language, kind, text, officer=None):
    with app.test_request_context(), force_locale(language):
        return str(worded(RequestEvent(kind=kind, note=text, officer=officer)))


@pytest.mark.parametrize("kind, text, english, hindi", [
    ("filed", "Filed at the counter.", "Filed at the counter.", "काउंटर पर दर्ज किया गया।"),
    ("assign", "Routed to Asha Devi (nodal).", "Routed to Asha Devi (Nodal officer).",
     "Asha Devi को सौंपा गया (नोडल अधिकारी)।"),
    ("assign", "Routed to Asha Devi.", "Routed to Asha Devi.", "Asha Devi को सौंपा गया।"),
    ("clock_paused", "Clock paused at 2026-11-24 12:00:00 IST.", "Clock paused at 24-11-2026 12:00.",
     "समय गणना 24-11-2026 12:00 पर रुकी।"),
    ("clock_resumed", "Clock resumed at 2026-11-30 15:00:00 IST (paused since 2026-11-24 12:00:00 IST); "
     "due date 2026-11-25 23:59:59 IST → 2026-12-01 23:59:59 IST.",
     "Clock resumed at 30-11-2026 15:00 (paused since 24-11-2026 12:00); due date 25-11-2026 23:59 → "
     "01-12-2026 23:59.",
     "समय गणना 30-11-2026 15:00 पर फिर शुरू हुई (24-11-2026 12:00 से रुकी थी); नियत तिथि 25-11-2026 23:59 → "
     "01-12-2026 23:59।"),
    ("due_date_changed", "Due date 2026-11-25 23:59:59 IST → 2026-11-26 23:59:59 IST: the holiday calendar "
     "changed on 2026-11-23.", "Due date 25-11-2026 23:59 → 26-11-2026 23:59: the holiday calendar changed on "
     "23-11-2026.", "नियत तिथि 25-11-2026 23:59 → 26-11-2026 23:59: अवकाश कैलेंडर 23-11-2026 को बदला गया।"),
    ("handed_over", "Handed over at the counter.", "Handed over at the counter.", "काउंटर पर सौंपा गया।"),
    ("filed", "Filed from the app.", "Filed from the app.", "ऐप से दर्ज किया गया।"),
    ("appealed", "Appealed to the first appellate authority, Ravi Kumar, who must act by 2026-12-24 23:59 IST.",
     "Appealed to the first appellate authority, Ravi Kumar, who must act by 24-12-2026 23:59.",
     "प्रथम अपीलीय प्राधिकारी, Ravi Kumar, के पास अपील गई, जिन्हें 24-12-2026 23:59 तक कार्रवाई करनी है।"),
    ("appealed", "Appealed to the second appellate authority: nobody holds the post, so it waits for an "
     "administrator; the time runs out 2026-12-24 23:59 IST.",
     "Appealed to the second appellate authority: nobody holds the post, so it waits for an administrator; the "
     "time runs out 24-12-2026 23:59.",
     "द्वितीय अपीलीय प्राधिकारी के पास अपील गई: पद पर कोई नहीं है, इसलिए यह प्रशासक की प्रतीक्षा में है; समय "
     "24-12-2026 23:59 को समाप्त होगा।"),
    ("appealed", "Flagged for the Right to Service Commission.", "Flagged for the Right to Service Commission.",
     "सेवा का अधिकार आयोग के लिए चिह्नित किया गया।"),
    ("citizen_appeal", "मेरे दस्तावेज़ पूरे थे।\nAppealed to the first appellate authority, Ravi Kumar, who must act "
     "by 2026-12-24 23:59 IST.", "मेरे दस्तावेज़ पूरे थे।\nAppealed to the first appellate authority, Ravi Kumar, "
     "who must act by 24-12-2026 23:59.", "मेरे दस्तावेज़ पूरे थे।\nप्रथम अपीलीय प्राधिकारी, Ravi Kumar, के पास "
     "अपील गई, जिन्हें 24-12-2026 23:59 तक कार्रवाई करनी है।"),
    ("directed", "Asha Devi to decide by 20-12-2026. Please hurry.", "Asha Devi to decide by 20-12-2026. Please hurry.",
     "Asha Devi 20-12-2026 तक निर्णय लें। Please hurry."),
    ("reassigned", "Moved from Asha Devi to Ravi Kumar by Sunita. On leave.",
     "Moved from Asha Devi to Ravi Kumar by Sunita. On leave.",
     "Sunita द्वारा Asha Devi से Ravi Kumar को सौंपा गया। On leave."),
    ("commission_decided", "Penalty ₹5,000 on Asha Devi. No compensation. Delay without reason.",
     "Penalty ₹5,000 on Asha Devi. No compensation. Delay without reason.",
     "Asha Devi पर ₹5,000 का दंड। कोई मुआवज़ा नहीं। Delay without reason."),
    ("commission_decided", "No penalty. Compensation ₹1,000 to the citizen.",
     "No penalty. Compensation ₹1,000 to the citizen.", "कोई दंड नहीं। नागरिक को ₹1,000 का मुआवज़ा।"),
])
def test_the_systems_notes_are_worded_in_the_readers_language(app, kind, text, english, hindi):
    assert note(app, "en", kind, text) == english
    assert note(app, "hi", kind, text) == hindi


def test_the_details_page_in_hindi_shows_no_english_system_sentence(app, w):
    """Every note the system writes, as models/ writes it, on a request's history read in Hindi."""
    client = login_as(app, w.counter)
    file_at_counter(client, w)
    with database.connection_context():
        request = ServiceRequest.get()
        request.appeal_due_at = datetime.datetime(2026, 12, 24, 18, 29, 59)
        first = appeals.describe(Appeal(level=1, authority=w.amb_admin, request=request))
        nobody = appeals.describe(Appeal(level=2, authority=None, request=request))
        commission = appeals.describe(Appeal(level=3, request=request))
        for kind, officer, text in (
                ("filed", None, "Filed from the app."),
                ("clock_paused", None, "Clock paused at 2026-11-24 12:00:00 IST."),
                ("clock_resumed", None, "Clock resumed at 2026-11-30 15:00:00 IST (paused since 2026-11-24 "
                                        "12:00:00 IST); due date 2026-11-25 23:59:59 IST → 2026-12-01 23:59:59 IST."),
                ("handed_over", w.counter, "Handed over at the counter."),
                ("appealed", None, first), ("appealed", None, nobody), ("appealed", None, commission),
                ("citizen_appeal", None, f"मेरे दस्तावेज़ पूरे थे।\n{first}"),
                ("directed", w.amb_admin, "Field to decide by 20-12-2026."),
                ("reassigned", w.amb_admin, "Moved from Field to Field2 by Amb."),
                ("commission_decided", w.state, "Penalty ₹5,000 on Field. No compensation."),
                ("due_date_changed", None, "Due date 2026-11-25 23:59:59 IST → 2026-11-26 23:59:59 IST: the "
                                           "holiday calendar changed on 2026-11-23.")):
            RequestEvent.create(request=request, kind=kind, officer=officer, note=text)
    page = text_of(login_as(app, w.state).get(f"/admin/request/details/?id={request.id}&lang=hi"))
    assert "प्रथम अपीलीय प्राधिकारी" in page and "काउंटर पर दर्ज किया गया" in page
    english = ("Filed at the counter", "Filed from the app", "Routed to", "Clock paused", "Clock resumed",
               "Handed over", "Appealed to", "who must act by", "nobody holds", "Flagged for", "to decide by",
               "Moved from", "Penalty", "No compensation", "Due date", "holiday calendar")
    assert [words for words in english if words in page] == []


def test_a_note_someone_typed_is_shown_as_written(app):
    # Even one that reads like the system's: an officer's assignment note is his own.
    assert note(app, "hi", "assign", "Routed to Asha Devi.", officer=1) == "Routed to Asha Devi."
    assert note(app, "hi", "raise_query", "Filed at the counter.") == "Filed at the counter."
