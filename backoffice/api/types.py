"""The GraphQL types the mobile app sees, built from catalogue rows.

Fields are copied out of the peewee rows so that no database id, and nothing
the mobile app has not been promised (designations, notes), leaves through the API.
"""
from decimal import Decimal
from enum import Enum

import strawberry

import models

PAISE = Decimal("0.01")


@strawberry.enum
class DepartmentKind(Enum):
    DEPARTMENT = "department"
    BOARD = "board"
    CORPORATION = "corporation"


@strawberry.enum
class TimeUnit(Enum):
    WORKING_DAYS = "working_days"
    HOURS = "hours"


@strawberry.type
class District:
    code: str
    name_en: str
    name_hi: str
    division: str

    @classmethod
    def from_model(cls, row: models.District) -> "District":
        return cls(code=row.code, name_en=row.name_en, name_hi=row.name_hi, division=row.division)


@strawberry.type
class Department:
    code: str
    name_en: str
    name_hi: str
    kind: DepartmentKind

    @classmethod
    def from_model(cls, row: models.Department) -> "Department":
        return cls(code=row.code, name_en=row.name_en, name_hi=row.name_hi,
                   kind=DepartmentKind(row.kind))


@strawberry.type(description="The notified time within which the service must be delivered.")
class TimeLimit:
    value: int
    unit: TimeUnit


@strawberry.type
class Service:
    code: str
    name_en: str
    name_hi: str
    department: Department
    category: str
    # Non-null: only published services are served, and those always have one.
    time_limit: TimeLimit
    fee: Decimal = strawberry.field(description="In rupees; 0 when the service is free.")
    description_en: str
    description_hi: str
    eligibility_en: str
    eligibility_hi: str

    @classmethod
    def from_model(cls, row: models.Service) -> "Service":
        """`row.department` must come from a join, or this costs a query per service."""
        return cls(
            code=row.code,
            name_en=row.name_en,
            name_hi=row.name_hi,
            department=Department.from_model(row.department),
            category=row.category,
            time_limit=TimeLimit(value=row.tat_value, unit=TimeUnit(row.tat_unit)),
            # SQLite hands back Decimal("25.5") where PostgreSQL gives "25.50": one shape for the app.
            fee=Decimal(row.fee).quantize(PAISE),
            description_en=row.description_en,
            description_hi=row.description_hi,
            eligibility_en=row.eligibility_en,
            eligibility_hi=row.eligibility_hi,
        )


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class ServiceEdge:
    cursor: str
    node: Service


@strawberry.type
class ServiceConnection:
    edges: list[ServiceEdge]
    page_info: PageInfo
    total_count: int = strawberry.field(description="All services matching the filters, on every page.")
