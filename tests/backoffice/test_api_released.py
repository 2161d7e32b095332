"""graphql/released.graphql is what the app in people's phones was built against: the server must not break it.

A field (or enum value) may leave only after a release that marked it
@deprecated, so that the app in the store had a version to stop using it.
Update released.graphql deliberately, at a release: `cp graphql/schema.graphql graphql/released.graphql`.
"""
import re

from graphql import BreakingChangeType, build_schema, find_breaking_changes

from backoffice.api.cli import SCHEMA_FILE
from backoffice.api.schema import schema

RELEASED = SCHEMA_FILE.parent / "released.graphql"
# graphql-core's wording of the two removals a deprecation may announce.
_REMOVED = re.compile(r"^(?:Field|Enum value) (\w+)\.(\w+) was removed\.$")


def _deprecated_first(released, change):
    """Whether `change` removes a field or enum value the released schema had already deprecated."""
    if change.type not in (BreakingChangeType.FIELD_REMOVED, BreakingChangeType.VALUE_REMOVED_FROM_ENUM):
        return False
    type_name, name = _REMOVED.match(change.description).groups()
    released_type = released.type_map[type_name]
    members = released_type.fields if change.type == BreakingChangeType.FIELD_REMOVED else released_type.values
    return members[name].deprecation_reason is not None


def unannounced_breaks(released_sdl, current):
    """The changes from `released_sdl` to the schema `current` that break a client built against it."""
    released = build_schema(released_sdl)
    return [change.description for change in find_breaking_changes(released, current)
            if not _deprecated_first(released, change)]


def test_the_current_schema_keeps_the_released_apps_working():
    breaks = unannounced_breaks(RELEASED.read_text(encoding="utf-8"), schema._schema)
    assert not breaks, f"the released app would break: {breaks}; deprecate first (docs/api.md)"


OLD = """
type Query { me: Me! track(number: String!): Request old: String @deprecated(reason: "use track") }
type Me { name: String! mobile: String }
type Request { status: Status! }
enum Status { OPEN CLOSED GONE @deprecated(reason: "never sent") }
"""


def test_removing_or_changing_what_the_app_reads_is_a_break():
    current = build_schema("""
        type Query { me: Me track(number: String!, since: Int!): Request }
        type Me { name: String! }
        type Request { status: Status! }
        enum Status { OPEN }
    """)
    # Query.old and Status.GONE go too, unremarked: they were deprecated in the release.
    assert sorted(unannounced_breaks(OLD, current)) == sorted([
        "Field Me.mobile was removed.",
        "Field Query.me changed type from Me! to Me.",
        "A required argument Query.track(since:) was added.",
        "Enum value Status.CLOSED was removed.",
    ])


def test_what_was_deprecated_first_may_go_and_additions_never_break():
    current = build_schema("""
        type Query { me: Me! track(number: String!, since: Int): Request extra: Int }
        type Me { name: String! mobile: String language: String }
        type Request { status: Status! }
        enum Status { OPEN CLOSED NEW }
    """)
    assert unannounced_breaks(OLD, current) == []
