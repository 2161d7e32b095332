"""The admin's front page: who is logged in and how big the catalogue is."""
from flask_admin import AdminIndexView, expose
from flask_babel import lazy_gettext as _l

from models import Department, District, Service, ServiceRequest

from .base import SecureViewMixin


class HomeView(SecureViewMixin, AdminIndexView):
    @expose("/")
    def index(self):
        counts = [
            (_l("Published services"), Service.select().where(Service.status == "published").count()),
            (_l("Draft services"), Service.select().where(Service.status == "draft").count()),
            (_l("Districts"), District.select().count()),
            (_l("Departments"), Department.select().count()),
            (_l("Requests"), ServiceRequest.select().count()),
        ]
        return self.render("admin/home.html", counts=counts)
