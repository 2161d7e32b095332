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


# A streaming replica for reads that may be a moment old (the dashboard's figures), when
# DATABASE_REPLICA_URL names one; see reader().
replica = None


def _connect(url):
    return connect(url, pragmas=SQLITE_PRAGMAS) if url.startswith("sqlite") else connect(url)


def open_database(url):
    """Bind the models to the database at `url` and return it (not yet connected)."""
    db = _connect(url)
    database.initialize(db)
    return db


def open_replica(url):
    """Send reader()'s queries to the database at `url` (None: to the primary); returns it.

    The models stay bound to the primary: only a query handed to reader().execute goes there. peewee keeps
    a connection per thread, so gunicorn's threads share it as they share the primary.
    """
    global replica
    replica = _connect(url) if url else None
    return replica


def reader():
    """Where a read-only query that may lag the primary goes: the replica when there is one."""
    return replica if replica is not None else database


def is_postgresql():
    return database.obj is not None and "postgres" in type(database.obj).__name__.lower()


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


def choices(values):
    """(value, label) pairs for a CharField whose labels are translated by the UI."""
    return [(v, v) for v in values]
