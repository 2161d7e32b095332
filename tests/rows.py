"""Every row of some tables, to show that a refused or failed action changed nothing."""
from models import ALL_MODELS


def snapshot(models=ALL_MODELS):
    """{model name: its rows in primary-key order} (composite keys included)."""
    return {model.__name__: list(model.select().order_by(*model._meta.get_primary_keys()).dicts())
            for model in models}
