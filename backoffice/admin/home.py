"""The admin's front page: who is logged in, and the figures of his own scope."""
from flask_admin import AdminIndexView, expose
from flask_babel import lazy_gettext as _l

from models import Department, District, Service, ServiceRequest, scope

from .base import SecureViewMixin
from .scoped import viewer

# (label, model, narrowing): each a count of the officer's rows of the model.
FIGURES = (
    (_l("Published services"), Service, Service.status == "published"),
    (_l("Draft services"), Service, Service.status == "draft"),
    (_l("Districts"), District, None),
    (_l("Departments"), Department, None),
    (_l("Requests"), ServiceRequest, None),
)


def figures(officer):
    """(label, count) for each figure of a model the officer is offered."""
    counts = []
    for label, model, narrowing in FIGURES:
        if scope.offers(officer, model):
            query = scope.rows(officer, model)
            counts.append((label, (query if narrowing is None else query.where(narrowing)).count()))
    return counts


class HomeView(SecureViewMixin, AdminIndexView):
    scoped_models = (Service, District, Department, ServiceRequest)

    @expose("/")
    def index(self):
        return self.render("admin/home.html", counts=figures(viewer()))
