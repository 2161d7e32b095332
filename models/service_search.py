"""The services' search keys (models/name_search.py), kept in memory by each process.

The catalogue is some fifty services: their keys are computed once and kept
until the catalogue changes, which one aggregate query tells (how many
services, the highest id, the latest `updated_at`, which the admin's edit and
the import both set). A search costs that query and a pass over the kept keys,
never a transliteration of every name; the filter then goes to SQL as a list
of ids, so paging and the other filters stay in the database.
"""
from peewee import fn

from . import name_search
from .catalogue import Service
from .db import database

_kept = {}  # the database's name: (the catalogue's stamp, {service id: name_search.Keys})


def matching(text):
    """The ids of the services whose English or Hindi name matches `text` (name_search.Query)."""
    query = name_search.Query(text)
    return [pk for pk, keys in _keys().items() if query.matches(keys)]


def _keys():
    stamp = Service.select(fn.COUNT(Service.id), fn.MAX(Service.id), fn.MAX(Service.updated_at)).tuples().get()
    # Keyed by database as well: a process (the tests) may open several one after another.
    where = database.database
    kept = _kept.get(where)
    if kept is None or kept[0] != stamp:
        names = Service.select(Service.id, Service.name_en, Service.name_hi).tuples()
        kept = _kept[where] = (stamp, {pk: name_search.Keys(en, hi) for pk, en, hi in names})
    return kept[1]
