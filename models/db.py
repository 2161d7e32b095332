"""The database handle every model binds to, opened from a URL at start-up."""
from peewee import DatabaseProxy, Model
from playhouse.db_url import connect

database = DatabaseProxy()

# WAL lets the admin read while a CLI import writes; the busy timeout makes a
# second writer wait instead of failing at once.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "synchronous": "normal",
}


def open_database(url):
    """Bind the models to the database at `url` and return it (not yet connected)."""
    if url.startswith("sqlite"):
        db = connect(url, pragmas=SQLITE_PRAGMAS)
    else:
        db = connect(url)
    database.initialize(db)
    return db


def is_postgresql():
    return database.obj is not None and "postgres" in type(database.obj).__name__.lower()


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


def choices(values):
    """(value, label) pairs for a CharField whose labels are translated by the UI."""
    return [(v, v) for v in values]
