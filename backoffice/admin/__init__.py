"""Flask-Admin screens: wiring only, the views live in the modules beside this one."""
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l

from models import (
    Area, AuditEntry, BouncedAddress, CannedResponse, Circular, Citizen, Department, Designation, District, HelpTicket,
    Holiday, JobFailure, Officer, Outbox, Service, ServiceRequest, TicketMessage,
)

from .audit import AuditView
from .catalogue import AreaView, DepartmentView, DesignationView, DistrictView, ServiceView
from .catalogue_files import CatalogueFilesView
from .circulars import CircularView, MyCircularsView
from .counter import CounterView
from .helpdesk import BouncedAddressView, CannedResponseView, LookupView, SystemMailView, TicketView
from .holidays import HolidayView
from .jobs import JobFailureView
from .home import HomeView
from .outbox import OutboxView
from .people import CitizenView, OfficerView
from .privacy import PrivacyView
from .requests import RequestView


def init_app(app):
    admin = Admin(
        app,
        name=_l("Jansahayak back office"),
        theme=Bootstrap4Theme(base_template="admin/backoffice_base.html"),
        index_view=HomeView(name=_l("Home")),
        # Flask-Admin ships no Hindi: its own words come from our catalogue.
        translations_path=app.config["BABEL_TRANSLATION_DIRECTORIES"],
    )
    catalogue = _l("Catalogue")
    people = _l("People")
    helpdesk = _l("Help desk")
    admin.add_views(
        ServiceView(Service, name=_l("Services"), category=catalogue),
        DepartmentView(Department, name=_l("Departments"), category=catalogue),
        DesignationView(Designation, name=_l("Designations"), category=catalogue),
        DistrictView(District, name=_l("Districts"), category=catalogue),
        AreaView(Area, name=_l("Areas"), category=catalogue),
        HolidayView(Holiday, name=_l("Holidays"), category=catalogue),
        CatalogueFilesView(name=_l("Import and export"), endpoint="catalogue_files", url="catalogue-files",
                           category=catalogue),
        OfficerView(Officer, name=_l("Officers"), category=people),
        CitizenView(Citizen, name=_l("Citizens"), category=people),
        PrivacyView(name=_l("Personal data"), endpoint="privacy", url="privacy", category=people),
        RequestView(ServiceRequest, name=_l("Requests"), endpoint="request"),
        CounterView(name=_l("File a request"), endpoint="counter"),
        AuditView(AuditEntry, name=_l("Audit log"), endpoint="audit"),
        OutboxView(Outbox, name=_l("Outbox"), endpoint="outbox"),
        JobFailureView(JobFailure, name=_l("Failed jobs"), endpoint="job_failure", url="failed-jobs"),
        CircularView(Circular, name=_l("Circulars"), endpoint="circular"),
        MyCircularsView(name=_l("My circulars"), endpoint="my_circulars", url="my-circulars"),
        TicketView(HelpTicket, name=_l("Inbox"), category=helpdesk, endpoint="ticket"),
        LookupView(name=_l("Look up a citizen"), category=helpdesk, endpoint="helpdesk_lookup", url="helpdesk/lookup"),
        CannedResponseView(CannedResponse, name=_l("Canned responses"), category=helpdesk, endpoint="canned_response"),
        SystemMailView(TicketMessage, name=_l("System mail"), category=helpdesk, endpoint="system_mail"),
        BouncedAddressView(BouncedAddress, name=_l("Bounced addresses"), category=helpdesk, endpoint="bounced_address"),
    )
    return admin
