"""What the app asks before anything else: must it upgrade, is the service down for maintenance."""
import strawberry
from flask import current_app
from flask_babel import get_locale

from .access import PUBLIC


@strawberry.type
class AppConfig:
    minimum_version: str = strawberry.field(description="Older apps must upgrade before going on.")
    latest_version: str = strawberry.field(description="Older apps may suggest an upgrade.")
    maintenance_message: str | None = strawberry.field(description=(
        "When set, the service is down for maintenance: show this, in the reader's language."))


@strawberry.type
class AppConfigQuery:
    @strawberry.field(metadata=PUBLIC)
    def app_config(self) -> AppConfig:
        config = current_app.config
        locale = get_locale()
        message = config["APP_MAINTENANCE_MESSAGE"]
        if locale is not None and locale.language == "hi":
            message = config["APP_MAINTENANCE_MESSAGE_HI"] or message
        return AppConfig(minimum_version=config["APP_MIN_VERSION"], latest_version=config["APP_LATEST_VERSION"],
                         maintenance_message=message or None)
