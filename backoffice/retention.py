"""The retention purge with this deployment's periods (RETENTION_*_DAYS): `privacy purge` and the daily job."""
from flask import current_app

from models import retention


def purge():
    config = current_app.config
    return retention.purge(config["RETENTION_TICKET_ATTACHMENT_DAYS"], config["RETENTION_LOGIN_CODE_DAYS"],
                           config["RETENTION_TOKEN_DAYS"])
