"""The admin's front page: the compliance dashboard for administrators, his own queue for a field officer.

The figures are models/dashboard.py's, for the requests received in a date
range given as ?from=YYYY-MM-DD&to=YYYY-MM-DD (IST dates, both included;
default the last 30 days); figures.csv is the same figures as a file. The
charts are SVG drawn by the template, so they need no script and no CDN.
"""
import datetime
from decimal import Decimal

from flask import flash, redirect, request, url_for
from flask_admin import AdminIndexView, expose
from flask_babel import get_locale, gettext as _, lazy_gettext as _l

from backoffice.i18n import indian_number
from models import Department, District, HelpTicket, Service, ServiceRequest, clock, dashboard, scope
from models.dashboard import DayTally, DecisionDays
from models.deadlines import STOPPED
from models.timeutil import utcnow

from . import helpdesk, timeleft
from .base import SecureViewMixin
from .scoped import viewer
from .spreadsheet import csv_response

# (label, model, narrowing): each a count of the officer's rows of the model. Not
# of his requests: counting a million of them is what the dashboard is built
# to avoid, and the dashboard and the queue say more.
FIGURES = (
    (_l("Published services"), Service, Service.status == "published"),
    (_l("Draft services"), Service, Service.status == "draft"),
    (_l("Districts"), District, None),
    (_l("Departments"), Department, None),
)

# The columns of the figures' tables and of the CSV file: (label, how to read it off a dashboard.Figures).
COLUMNS = (
    (_l("Received"), lambda f: f.received),
    (_l("Delivered within time"), lambda f: f.delivered_on_time),
    (_l("Delivered late"), lambda f: f.delivered_late),
    (_l("Rejected"), lambda f: f.rejected),
    (_l("Withdrawn"), lambda f: f.withdrawn),
    (_l("Pending within time"), lambda f: f.pending_in_time),
    (_l("Pending overdue"), lambda f: f.overdue),
    (_l("In appeal"), lambda f: f.in_appeal),
    (_l("On time %"), lambda f: f.on_time_percent),
    (_l("Median working days to decision"), lambda f: f.median_days),
    (_l("Average citizen rating"), lambda f: f.average_rating),
)

# The figures of the whole scope above the charts.
SUMMARY = (
    (_l("Received"), lambda f: f.received),
    (_l("On time %"), lambda f: f.on_time_percent),
    (_l("Median working days to decision"), lambda f: f.median_days),
    (_l("Pending overdue"), lambda f: f.overdue),
    (_l("Score out of 10"), lambda f: f.score),
)


def figures(officer):
    """(label, count) for each figure of a model the officer is offered."""
    counts = []
    for label, model, narrowing in FIGURES:
        if scope.offers(officer, model):
            query = scope.rows(officer, model)
            counts.append((label, (query if narrowing is None else query.where(narrowing)).count()))
    return counts


def chosen_range(args, today):
    """(start, end, problem): the dates asked for in `args`, or the default range with what was wrong with them."""
    default = dashboard.default_range(today)
    try:
        end = datetime.date.fromisoformat(args["to"]) if args.get("to") else default[1]
        start = (datetime.date.fromisoformat(args["from"]) if args.get("from")
                 else end - datetime.timedelta(days=dashboard.DEFAULT_DAYS - 1))
    except ValueError:
        return (*default, _("Dates are written YYYY-MM-DD, such as %(example)s.", example=today.isoformat()))
    if start > end:
        return (*default, _("The range starts after it ends."))
    if (end - start).days >= dashboard.MAX_DAYS:
        return (*default, _("A range may cover at most %(days)d days.", days=dashboard.MAX_DAYS))
    return start, end, None


def name(subject):
    return subject.name_hi if str(get_locale()) == "hi" else subject.name_en


def cell(value):
    """A figure as the file shows it: whole, or to one decimal; — when there is none."""
    if value is None:
        return "—"
    return f"{value:.1f}".removesuffix(".0") if isinstance(value, float) else str(value)


def shown(value):
    """A figure as the page shows it: cell()'s, grouped as India writes numbers (12,34,567)."""
    return cell(value) if value is None else indian_number(Decimal(cell(value)))


class HomeView(SecureViewMixin, AdminIndexView):
    scoped_models = (Service, District, Department, ServiceRequest, DayTally, DecisionDays, HelpTicket)

    @expose("/")
    def index(self):
        officer = viewer()
        j = scope.jurisdiction(officer)
        report = export_url = None
        if j.administers:
            start, end, problem = chosen_range(request.args, clock.ist_date(utcnow()))
            if problem:
                flash(_("%(problem)s Showing the last %(days)d days.", problem=problem, days=dashboard.DEFAULT_DAYS),
                      "error")
            report = dashboard.report(officer, start, end)
            export_url = url_for(".export", **{"from": start.isoformat(), "to": end.isoformat()})
        return self.render("admin/home.html", counts=figures(officer), queue=self.queue(officer) if j.field else None,
                           tickets=helpdesk.home_figures(self.admin._views, officer),
                           report=report, export_url=export_url, summary=SUMMARY, columns=COLUMNS, cell=shown, name=name,
                           ranking=dashboard.ranking, weights=dashboard.WEIGHTS)

    @expose("/figures.csv")
    def export(self):
        officer = viewer()
        if not scope.jurisdiction(officer).administers:
            return redirect(url_for(".index"))
        start, end, problem = chosen_range(request.args, clock.ist_date(utcnow()))
        if problem:
            # The page says what was wrong; a file would only hide it.
            return redirect(url_for(".index", **request.args))
        report = dashboard.report(officer, start, end)
        rows = [[_("From"), _("To"), _("Level"), _("Code"), _("Name")]
                + [str(label) for label, _read in COLUMNS] + [_("Score")]]
        levels = [(_("All"), [report.total]), (_("Department"), report.departments),
                  (_("District"), report.districts), (_("Service"), report.services)]
        for level, figures_of in levels:
            for figures in figures_of:
                subject = figures.subject
                rows.append([start.isoformat(), end.isoformat(), level, subject.code if subject else "",
                             name(subject) if subject else ""]
                            + [cell(read(figures)) for _label, read in COLUMNS] + [cell(figures.score)])
        return csv_response(rows, f"dashboard-{start.isoformat()}-{end.isoformat()}.csv")

    def queue(self, officer):
        """(label, count, address) of the worklists of the requests assigned to a field officer."""
        requests = scope.rows(officer, ServiceRequest).where(ServiceRequest.assigned_officer == officer.id)
        # The requests screen's own deadline filter, so that each count is what its link lists to one
        # who only holds a post (an administrator's lists hold his department's or district's too).
        view = next(view for view in self.admin._views if view.endpoint == "request")
        index, deadline = next((i, f) for i, f in enumerate(view._filters) if isinstance(f, timeleft.DeadlineFilter))
        arg = f"flt0_{view.get_filter_arg(index, deadline)}"
        return [
            (_("Due today"), deadline.apply(requests, "today").count(),
             url_for("request.index_view", **{arg: "today"})),
            (_("Overdue"), deadline.apply(requests, timeleft.OVERDUE).count(),
             url_for("request.index_view", **{arg: timeleft.OVERDUE})),
            (_("Open"), requests.where(ServiceRequest.status.not_in(STOPPED)).count(), url_for("request.index_view")),
        ]
