"""The mobile app's schema: the catalogue's queries here, the rest from the modules named below."""
import strawberry
from strawberry.printer import print_schema

import models
from models import service_search

from . import types
from .app_config import AppConfigQuery
from .auth import AuthMutation
from .hardening import EXTENSIONS, unexpected
from .me import MeMutation, MeQuery
from .access import PUBLIC
from .appeal import AppealMutation
from .places import PlacesQuery
from .pagination import BAD_USER_INPUT, encode_cursor, page
from .problems import UNAUTHENTICATED
from .rating import RatingMutation
from .requests import RequestsMutation, RequestsQuery
from .tickets import TicketsMutation, TicketsQuery
from .officer_requests import OfficerMutation, OfficerQuery
from .officer_circulars import CircularsMutation, CircularsQuery
from .submit import SubmitMutation

DEFAULT_PAGE_SIZE = 20


def published_services():
    # Department is joined so that building each Service costs no extra query.
    return (models.Service
            .select(models.Service, models.Department)
            .join(models.Department)
            .where(models.Service.status == "published"))


@strawberry.type
class Query(AppConfigQuery, MeQuery, RequestsQuery, TicketsQuery, OfficerQuery, CircularsQuery, PlacesQuery):
    @strawberry.field(metadata=PUBLIC)
    def districts(self) -> list[types.District]:
        rows = models.District.select().order_by(models.District.code)
        return [types.District.from_model(row) for row in rows]

    @strawberry.field(metadata=PUBLIC)
    def departments(self) -> list[types.Department]:
        rows = models.Department.select().order_by(models.Department.code)
        return [types.Department.from_model(row) for row in rows]

    @strawberry.field(metadata=PUBLIC, description=(
        "Published services in order of code. `department` is a department code and "
        "`search` matches English and Hindi names, Hindi in its common spellings (अंबाला or अम्बाला, with a "
        "nukta or without) and typed in Roman letters (\"aay praman patra\"); `district` (a district code) "
        "keeps the services "
        "offered there, state-wide ones included; an empty filter does not filter. "
        "`first` is 0 to the server's cap (100); null means 20."))
    def services(
        self,
        # UNSET rather than None keeps "= null" defaults out of the published schema.
        department: str | None = strawberry.UNSET,
        category: str | None = strawberry.UNSET,
        search: str | None = strawberry.UNSET,
        district: str | None = strawberry.UNSET,
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = strawberry.UNSET,
    ) -> types.ServiceConnection:
        query = published_services()
        if department:
            query = query.where(models.Department.code == department)
        if category:
            query = query.where(models.Service.category == category)
        if district:
            # An unknown district is offered nothing, rather than everything.
            found = models.District.get_or_none(models.District.code == district.strip().upper())
            offered = models.forms.services_offered_in(found).select(models.Service.id) if found else []
            query = query.where(models.Service.id.in_(offered))
        if search and search.strip():
            # English, Hindi in its common spellings, or Hindi typed in Roman letters (models/name_search.py).
            query = query.where(models.Service.id.in_(service_search.matching(search)))
        rows, has_next_page, total = page(
            query, models.Service.code,
            first=DEFAULT_PAGE_SIZE if first is None else first,
            after=None if after is strawberry.UNSET else after)
        edges = [types.ServiceEdge(cursor=encode_cursor(row.code), node=types.Service.from_model(row))
                 for row in rows]
        return types.ServiceConnection(
            edges=edges,
            page_info=types.PageInfo(has_next_page=has_next_page,
                                     end_cursor=edges[-1].cursor if edges else None),
            total_count=total,
        )

    @strawberry.field(metadata=PUBLIC,
                      description="A published service, or null for an unknown or unpublished code.")
    def service(self, code: str) -> types.Service | None:
        row = published_services().where(models.Service.code == code).first()
        return types.Service.from_model(row) if row else None


@strawberry.type
class Mutation(AuthMutation, MeMutation, RequestsMutation, TicketsMutation, OfficerMutation, CircularsMutation,
               SubmitMutation, AppealMutation, RatingMutation):
    pass


class Schema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None):
        # A client's bad argument or missing token is answered in the response; only
        # our own faults deserve a traceback in the server log, each under an error id.
        ours = [e for e in errors if (e.extensions or {}).get("code") not in (BAD_USER_INPUT, UNAUTHENTICATED)]
        logged = unexpected(ours)
        super().process_errors([e for e in ours if e not in logged], execution_context)


schema = Schema(query=Query, mutation=Mutation, extensions=EXTENSIONS)


def schema_sdl():
    """The schema as graphql/schema.graphql holds it."""
    return print_schema(schema) + "\n"
