"""The notes the system writes on a request's history, worded in the reader's language (backoffice/admin/event_notes.py)."""
import pytest
from flask_babel import force_locale

from backoffice.admin.event_notes import worded
from models import RequestEvent


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
])
def test_the_systems_notes_are_worded_in_the_readers_language(app, kind, text, english, hindi):
    assert note(app, "en", kind, text) == english
    assert note(app, "hi", kind, text) == hindi


def test_a_note_someone_typed_is_shown_as_written(app):
    # Even one that reads like the system's: an officer's assignment note is his own.
    assert note(app, "hi", "assign", "Routed to Asha Devi.", officer=1) == "Routed to Asha Devi."
    assert note(app, "hi", "raise_query", "Filed at the counter.") == "Filed at the counter."
