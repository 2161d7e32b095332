"""A district's areas (sub-divisions, tehsils, blocks, municipalities): where a citizen applies, and what an
`area` field of a form takes."""
from enum import Enum

import strawberry

from models import Area, District, name_search

from .access import PUBLIC


@strawberry.enum
class AreaKind(Enum):
    SUB_DIVISION = "sub-division"
    TEHSIL = "tehsil"
    BLOCK = "block"
    MUNICIPAL_CORPORATION = "municipal corporation"
    MUNICIPAL_COUNCIL = "municipal council"
    MUNICIPAL_COMMITTEE = "municipal committee"


@strawberry.type(name="Area", description="A sub-division, tehsil, block or municipality of a district.")
class AreaPlace:
    code: str
    name_en: str
    name_hi: str
    kind: AreaKind


@strawberry.type
class PlacesQuery:
    @strawberry.field(metadata=PUBLIC, description=(
        "The areas of a district (its code), in order of English name; `search` matches their names as the "
        "services' search does. An unknown district has none."))
    def areas(self, district: str, search: str | None = strawberry.UNSET) -> list[AreaPlace]:
        rows = (Area.select(Area).join(District)
                .where(District.code == district.strip().upper()).order_by(Area.name_en))
        # A district has a few dozen areas at most: matched here, each name's keys made as it is read.
        query = name_search.Query(search) if search and search.strip() else None
        return [AreaPlace(code=a.code, name_en=a.name_en, name_hi=a.name_hi, kind=AreaKind(a.kind)) for a in rows
                if query is None or query.matches(name_search.Keys(a.name_en, a.name_hi))]
