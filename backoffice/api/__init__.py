"""The GraphQL endpoint for the mobile app."""


def init_app(app):
    pass
