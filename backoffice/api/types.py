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


@strawberry.type(description="One choice of a choice field.")
class FormChoice:
    key: str
    label_en: str
    label_hi: str


@strawberry.type(description=(
    "A question of a service's application form (docs/service-forms.md). `type` is one of short_text, "
    "long_text, number, date, single_choice, multiple_choice, yes_no, mobile, email, pin_code, aadhaar, "
    "district, area, document; the rules a type does not take are null."))
class FormField:
    key: str
    type: str
    label_en: str
    label_hi: str
    help_en: str
    help_hi: str
    required: bool
    sensitive: bool = strawberry.field(description="The answer is personal data.")
    max_length: int | None
    pattern: str | None = strawberry.field(description=(
        "The whole answer must match: new RegExp('^(?:' + pattern + ')$', 'u')."))
    pattern_message_en: str | None
    pattern_message_hi: str | None
    min: str | None = strawberry.field(description="A number, or a date YYYY-MM-DD, as text; inclusive.")
    max: str | None = strawberry.field(description="A number, or a date YYYY-MM-DD, as text; inclusive.")
    decimals: int | None
    choices: list[FormChoice] | None
    district_field: str | None
    file_types: list[str] | None = strawberry.field(description="Some of pdf, jpeg, png.")
    max_kb: int | None

    @classmethod
    def from_definition(cls, field: dict) -> "FormField":
        def text(name):
            return None if field.get(name) is None else str(field[name])
        return cls(
            key=field["key"], type=field["type"], label_en=field["label_en"], label_hi=field["label_hi"],
            help_en=field["help_en"], help_hi=field["help_hi"], required=field["required"],
            sensitive=field["sensitive"], max_length=field.get("max_length"), pattern=field.get("pattern"),
            pattern_message_en=field.get("pattern_message_en"), pattern_message_hi=field.get("pattern_message_hi"),
            min=text("min"), max=text("max"), decimals=field.get("decimals"),
            choices=[FormChoice(key=c["key"], label_en=c["label_en"], label_hi=c["label_hi"])
                     for c in field["choices"]] if "choices" in field else None,
            district_field=field.get("district_field"), file_types=field.get("file_types"),
            max_kb=field.get("max_kb"))


@strawberry.type(description="The version of a service's application form a submission names.")
class ServiceForm:
    version: int
    fields: list[FormField]


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
    service_id: strawberry.Private[int]

    @strawberry.field(description="The current application form, or null for a service without one.")
    def form(self) -> ServiceForm | None:
        # Asked per service only when the app wants forms: the catalogue's lists stay one query.
        version = models.forms.current_version(self.service_id)
        if version is None:
            return None
        return ServiceForm(version=version.number, fields=[FormField.from_definition(f) for f in version.fields])

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
            service_id=row.id,
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
