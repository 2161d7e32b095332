"""Filing a request from the app: the answers and documents, checked by models/forms.py, every error at once.

The mutation takes what the app's rendered form gives (docs/service-forms.md):
the service, the version of its form the citizen filled in, the place, his
answers by key and his documents as files of a GraphQL multipart request
(view.py reads those only with a bearer token). Filing goes through
backoffice/workflow.py to models.lifecycle.file, which asks
models.forms.check_submission, the one validation the counter uses too, and
keeps the documents in the database (models/request_documents.py).
"""
from typing import Annotated

import strawberry
from flask_babel import gettext
from strawberry.file_uploads import Upload

from models import Area, District, DomainError, Service, form_fields, lifecycle

from .. import workflow
from ..control_characters import CONTROL
from ..messages import describe
from .access import CITIZEN
from .pagination import bad_input
from .problems import Problem
from .requests import Request, _mine


@strawberry.input(description=(
    "One answer, by the field's key: `value` as text (numbers, dates YYYY-MM-DD, yes/no, codes), or for a "
    "multiple choice `values`, the chosen keys."))
class AnswerInput:
    key: str
    value: str | None = strawberry.UNSET
    values: list[str] | None = strawberry.UNSET


@strawberry.input(description=(
    "One document, by the document field's key; `file` is a part of the GraphQL multipart request "
    "(https://github.com/jaydenseric/graphql-multipart-request-spec). Its type is read from its bytes."))
class DocumentInput:
    key: str
    file: Upload


@strawberry.input
class SubmitRequestInput:
    service: str = strawberry.field(description="The service's code.")
    form_version: int | None = strawberry.field(default=strawberry.UNSET, description=(
        "The version of the service's form the answers were filled against (Service.form.version); null: the "
        "current one. A superseded version is taken for a few days, then refused as `form_version_stale`."))
    district: str = strawberry.field(description="A district's code.")
    area: str | None = strawberry.field(default=strawberry.UNSET, description="An area's code in that district.")
    answers: list[AnswerInput] = strawberry.field(default_factory=list)
    documents: list[DocumentInput] = strawberry.field(default_factory=list)


@strawberry.type(description="What is wrong with one answer: `field` is its key.")
class FieldProblem:
    field: str
    code: str
    message: str


@strawberry.type(description=(
    "The form was refused and nothing was filed: `errors` holds every wrong answer at once, each in the "
    "reader's language. `code` is form_invalid."))
class FormRejected:
    code: str
    message: str
    errors: list[FieldProblem]

    @classmethod
    def of(cls, error) -> "FormRejected":
        return cls(code=error.code, message=describe(error), errors=[
            FieldProblem(field=problem.field, code=problem.code, message=describe(problem))
            for problem in error.params["errors"]])


SubmitResult = Annotated[Request | FormRejected | Problem, strawberry.union("SubmitResult")]


def _answers(given):
    """{key: answer} as form_fields.validate_submission reads them; a key twice is the app's fault."""
    answers = {}
    for answer in given:
        if answer.key in answers:
            raise bad_input(gettext("The answer %(key)s is given twice.", key=answer.key))
        value, values = answer.value or None, answer.values or None
        if value is not None and values is not None:
            raise bad_input(gettext("The answer %(key)s has both a value and values.", key=answer.key))
        answers[answer.key] = values if values is not None else value
    return answers


def _documents(given):
    """{key: lifecycle.Document}, each read only up to one byte past the system's limit: a huge file is not
    read whole (its field's own limit, often lower, is checked with the answers)."""
    documents = {}
    for document in given:
        upload = document.file
        if document.key in documents:
            raise bad_input(gettext("The document %(key)s is given twice.", key=document.key))
        if not hasattr(upload, "read"):
            # A JSON body can put any value where a file goes: only a multipart request's part is one.
            raise bad_input(gettext("Send documents as files of a multipart request."))
        content = upload.read(form_fields.MAX_DOCUMENT_KB * 1024 + 1)
        documents[document.key] = lifecycle.Document(upload.filename or "", upload.mimetype, content)
    return documents


def _code(text):
    """A code as typed, or "" for one holding a control character: PostgreSQL cannot even compare a NUL."""
    text = (text or "").strip()
    return "" if CONTROL.search(text) else text


def _place(district_code, area_code):
    district = District.get_or_none(District.code == _code(district_code).upper())
    if district is None:
        raise DomainError("district_unknown", district=district_code)
    if not area_code:
        return district, None
    area = Area.get_or_none(Area.district == district, Area.code == _code(area_code))
    if area is None:
        raise DomainError("area_unknown", area=area_code, district_en=district.name_en, district_hi=district.name_hi)
    return district, area


def _number(version):
    return None if version is None or version is strawberry.UNSET else version


@strawberry.type
class SubmitMutation:
    @strawberry.mutation(metadata=CITIZEN, description=(
        "Apply for a service: the created request, or every wrong answer at once (FormRejected), or why "
        "nothing could be filed (Problem: service_not_open, service_not_offered, form_version_unknown, "
        "form_version_stale, district_unknown, area_unknown). Documents come as multipart files."))
    def submit_request(self, info: strawberry.Info, input: SubmitRequestInput) -> SubmitResult:
        citizen = info.context["viewer"]
        answers, documents = _answers(input.answers), _documents(input.documents)
        try:
            service = Service.get_or_none(Service.code == _code(input.service), Service.status == "published")
            if service is None:
                raise DomainError("service_not_open", code=input.service)
            district, area = _place(input.district, input.area)
            filed = workflow.file_request(service, citizen, district, area=area, form_values=answers,
                                          form_version=_number(input.form_version), documents=documents)
        except DomainError as error:
            return FormRejected.of(error) if error.code == "form_invalid" else Problem.of(error)
        return Request.from_models([_mine(citizen, filed.tracking_number)], citizen)[0]
