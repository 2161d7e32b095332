"""Today's digests queued for every officer with something in them: `digest send` and the daily job."""
from models import clock, digest
from models.timeutil import utcnow

from . import public_link, tell


def queue_today():
    """Counts as models.digest.queue_digests gives them; a second run the same IST day queues nothing."""
    today = clock.ist_date(utcnow())
    links = {"login_url": public_link("auth.login"), "circulars_url": public_link("my_circulars.index")}

    def tell_officer(officer, sections):
        tell(officer, "daily_digest", about=officer, today=today, **links, **sections)

    return digest.queue_digests(today, tell_officer)
