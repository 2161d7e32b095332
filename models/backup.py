"""`db backup`: a copy of the SQLite database, taken while the app and the worker use it.

SQLite's online backup API copies a consistent snapshot (in WAL mode the
writers go on meanwhile); what a transaction had not committed is not in it.
Documents are stored in the database, so they are in the copy. PostgreSQL
has pg_dump for this (docs/deployment.md).
"""
import os
import sqlite3
from pathlib import Path

from .db import database, is_postgresql
from .errors import DomainError


# Pages copied at a time: between two steps the copy reports its progress and may be interrupted.
PAGES_PER_STEP = 1024


def backup(target, progress=None):
    """Copy the database to `target` (a new file); returns its size in bytes.

    `progress(pages copied, pages in all)` is called after each step. Interrupted (Ctrl-C), or failing,
    it leaves no file behind.
    """
    if is_postgresql():
        raise DomainError("backup_not_sqlite")
    target = Path(target)
    if target.exists():
        raise DomainError("backup_exists", path=str(target))
    # Written beside the target and renamed when whole and checked: a copy cut short never has the name.
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        copy = sqlite3.connect(partial)
    except sqlite3.Error as error:  # a folder that does not exist or cannot be written to
        raise DomainError("backup_unwritable", path=str(target), detail=str(error))
    try:
        # Copied in steps, within one read transaction: each step reads the same snapshot, so a write
        # meanwhile neither gets half into the copy nor makes SQLite start the copy again.
        with database.atomic():
            database.execute_sql("SELECT count(*) FROM sqlite_master")
            database.connection().backup(copy, pages=PAGES_PER_STEP, progress=(
                None if progress is None else lambda status, remaining, total: progress(total - remaining, total)))
        (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
    except BaseException:  # KeyboardInterrupt included: no half copy stays behind
        copy.close()
        partial.unlink(missing_ok=True)
        raise
    copy.close()
    if verdict != "ok":
        partial.unlink()
        raise DomainError("backup_damaged", verdict=verdict)
    os.replace(partial, target)
    return target.stat().st_size
