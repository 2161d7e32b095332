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


def backup(target):
    """Copy the database to `target` (a new file); returns its size in bytes."""
    if is_postgresql():
        raise DomainError("backup_not_sqlite")
    target = Path(target)
    if target.exists():
        raise DomainError("backup_exists", path=str(target))
    # Written beside the target and renamed when whole and checked: a copy cut short never has the name.
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    copy = sqlite3.connect(partial)
    try:
        database.connection().backup(copy)
        (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
    finally:
        copy.close()
    if verdict != "ok":
        partial.unlink()
        raise DomainError("backup_damaged", verdict=verdict)
    os.replace(partial, target)
    return target.stat().st_size
