"""The citizen himself: who he is and his preferences."""
from enum import Enum

import strawberry

from models import Citizen

from .access import CITIZEN


@strawberry.enum
class Language(Enum):
    EN = "en"
    HI = "hi"


@strawberry.type(description="The citizen who holds the token.")
class Me:
    name: str
    mobile: str | None
    email: str | None
    language: Language = strawberry.field(description=(
        "The language of his SMS and e-mail, and of the API's messages unless Accept-Language asks otherwise."))

    @classmethod
    def from_model(cls, citizen: Citizen) -> "Me":
        return cls(name=citizen.name, mobile=citizen.mobile, email=citizen.email, language=Language(citizen.language))


@strawberry.type
class MeQuery:
    @strawberry.field(metadata=CITIZEN)
    def me(self, info: strawberry.Info) -> Me:
        return Me.from_model(info.context["viewer"])


@strawberry.type
class MeMutation:
    @strawberry.mutation(metadata=CITIZEN, description="Choose the language of his messages.")
    def set_language(self, info: strawberry.Info, language: Language) -> Me:
        citizen = info.context["viewer"]
        citizen.language = language.value
        citizen.save(only=[Citizen.language])
        return Me.from_model(citizen)
