"""Versioned schema changes: the numbered files in migrations/, applied in order."""
from pathlib import Path

from playhouse.migrations import Runner
from playhouse.schema_diff import diff_models

from . import ALL_MODELS
from .db import database

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def _runner():
    return Runner(database.obj, str(MIGRATIONS_DIR))


def upgrade():
    """Apply pending migrations; returns their names (empty when up to date)."""
    return _runner().up()


def pending():
    return [m.name for m in _runner().status() if m.path is not None and not m.applied]


def drift():
    """How the migrated schema differs from the models (falsy when it does not)."""
    return diff_models(database.obj, ALL_MODELS)
