"""The `flask --app wsgi ...` commands: each a thin call into models/ or a part."""
import os
import secrets
import sys
import time
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale
from werkzeug.security import generate_password_hash

from models import DomainError, Officer, RoleGrant, Service, ServiceRequest, database
from models import backup, catalogue_file, catalogue_json, migrate
from models import dashboard, demo, people
from models.appeals import BATCH as SWEEP_BATCH
from models.passwords import validate_password
from models.requests import REQUEST_STATUSES

from . import appeal_workflow, progress, retention
from .helpdesk import fetch as helpdesk_fetch, ingest as helpdesk_ingest
from .messages import describe
from .notify import digests, sender

db_cli = AppGroup("db", help="Database schema.")
admin_cli = AppGroup("admin", help="Administrator accounts.")
catalogue_cli = AppGroup("catalogue", help="Districts, departments, designations and services.")
mail_cli = AppGroup("mail", help="The outbox: e-mail and SMS.")
demo_cli = AppGroup("demo", help="The demo workload: areas, officers, citizens and requests, marked and removable.")
digest_cli = AppGroup("digest", help="Officers' daily digest e-mail.")
dashboard_cli = AppGroup("dashboard", help="The compliance dashboard's figures.")
sla_cli = AppGroup("sla", help="The Right to Service limits: automatic appeals.")
helpdesk_cli = AppGroup("helpdesk", help="The help desk's inbound mail.")
privacy_cli = AppGroup("privacy", help="Personal data under the DPDP Act: retention.")


def in_english(error):
    # No request to choose a language from: the terminal gets English.
    with force_locale("en"):
        return describe(error)


@db_cli.command("upgrade")
def db_upgrade():
    """Apply pending schema migrations (safe to run again)."""
    with database.connection_context():
        applied = migrate.upgrade()
    if applied:
        for name in applied:
            click.echo(f"applied {name}")
    else:
        click.echo("database is up to date")


# Said in the terminal only, like the demo's refusals below.
BACKUP_REFUSALS = {
    "backup_not_sqlite": ("db backup copies a SQLite database; this one is PostgreSQL: back it up with pg_dump "
                          "as docs/deployment.md describes (Backups)."),
    "backup_exists": "%(path)s exists already: name a new file (a backup never overwrites one).",
    "backup_damaged": "The copy failed its integrity check (%(verdict)s) and was deleted; nothing was written.",
    "backup_unwritable": "%(path)s cannot be written (%(detail)s): name a file in a folder that exists and "
                         "that this user may write to.",
}


@db_cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def db_backup(path):
    """Copy the SQLite database to PATH, safely while the server and the worker run."""
    with database.connection_context():
        try:
            with progress.bar("db backup") as step:
                size = backup.backup(path, progress=step)
        except DomainError as error:
            raise click.ClickException(BACKUP_REFUSALS[error.code] % error.params)
    click.echo(f"backed up to {path} ({size:,} bytes)")


@admin_cli.command("ensure")
def admin_ensure():
    """Create the first state administrator unless one exists.

    E-mail from ADMIN_EMAIL, password from ADMIN_PASSWORD; without it a password
    is generated and printed this once.
    """
    with database.connection_context(), database.atomic():
        # A demo state administrator is not the deployment's first one: `demo remove` takes him away.
        if (RoleGrant.select().join(Officer, on=RoleGrant.officer)
                .where(RoleGrant.role == "state_admin", Officer.demo == False).exists()):  # noqa: E712
            click.echo("a state administrator already exists")
            return
        email = os.environ.get("ADMIN_EMAIL", "admin@example.gov.in").strip().lower()
        password = os.environ.get("ADMIN_PASSWORD")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        officer = Officer.get_or_none(Officer.email == email) or Officer(
            name="State Administrator", email=email)
        try:
            validate_password(password, officer)
        except DomainError as error:
            raise click.ClickException(f"ADMIN_PASSWORD: {in_english(error)}")
        officer.set_password(password)
        officer.active = True
        officer.save()
        RoleGrant.create(officer=officer, role="state_admin")
    click.echo(f"created state administrator {email}")
    if generated:
        click.echo(f"password (shown once, change it after logging in): {password}")


@catalogue_cli.command("load")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--if-empty", is_flag=True,
              help="Do nothing if any service exists, so as never to load over an admin's edits.")
@click.option("--dry-run", is_flag=True, help="Print what would be created, changed and retired; write nothing.")
@click.option("--retire-missing", is_flag=True, help="Retire the services the files do not name (else left alone).")
def catalogue_load(path, if_empty, dry_run, retire_missing):
    """Upsert the catalogue from PATH (a directory of CSV files, one CSV file, or a JSON catalogue with
    services' forms and places), by default the bundled Haryana one.

    All or nothing: on any bad row every problem is listed and nothing is written.
    """
    with database.connection_context():
        if if_empty and Service.select().exists():
            click.echo("services exist already: nothing loaded (--if-empty)")
            return
        try:
            if dry_run:
                changes = catalogue_file.preview(path, retire_missing=retire_missing)
            else:
                with progress.bar("catalogue load") as step:
                    report = catalogue_file.load(path, retire_missing=retire_missing, progress=step)
        except catalogue_file.CatalogueError as error:
            for problem in error.problems:
                where = problem.file if problem.line is None else f"{problem.file}:{problem.line}"
                click.echo(f"{where}: {in_english(problem)}", err=True)
            click.echo(in_english(error), err=True)
            sys.exit(1)
        drafts = Service.select().where(Service.status == "draft", Service.tat_value.is_null()).count()
    if dry_run:
        for change in changes:
            detail = f": {', '.join(change.fields)}" if change.action == "change" else ""
            click.echo(f"would {change.action} {change.kind[:-1]} {change.key}{detail}")
        actions = [change.action for change in changes]
        click.echo(f"dry run: {actions.count('create')} to create, {actions.count('change')} to change, "
                   f"{actions.count('retire')} to retire; nothing was written")
        return
    for kind, counts in report.items():
        retired = f", {counts['retired']} retired" if "retired" in counts else ""
        click.echo(f"{kind}: {counts['created']} created, {counts['updated']} updated, "
                   f"{counts['unchanged']} unchanged{retired}")
    if drafts:
        click.echo(f"{drafts} service(s) have no time limit: drafts until an admin sets one")


@catalogue_cli.command("export")
@click.argument("path", required=False, type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--format", "form", type=click.Choice(["json"]), default="json", show_default=True,
              help="JSON holds everything: services with their forms and places.")
def catalogue_export(path, form):
    """Write the whole catalogue to PATH (default: standard output) as `catalogue load` takes it back."""
    with database.connection_context():
        text = catalogue_json.dumps()
    if path is None:
        click.echo(text, nl=False)
    else:
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as error:  # a folder that does not exist, or no permission: said, not a traceback
            raise click.ClickException(f"{path} cannot be written ({error.strerror or error}); nothing was written.")
        click.echo(f"catalogue written to {path}", err=True)


@mail_cli.command("send")
@click.option("--batch", default=sender.BATCH, show_default=True, type=click.IntRange(1),
              help="Messages claimed at a time: what is left uncertain if this process is killed.")
def mail_send(batch):
    """Deliver the e-mail and SMS that are due; run it from cron every minute.

    Several may run at once (two cron lines, two machines): each message goes once.
    """
    with database.connection_context():
        counts = sender.send_due(batch=batch)
    click.echo(f"{counts['sent']} sent, {counts['pending']} to try again later, "
               f"{counts['failed']} failed, {counts['uncertain']} uncertain")


@digest_cli.command("send")
def digest_send():
    """Queue today's digest for every active officer with something in it; run it from cron once a day.

    Safe to run again the same day: nobody gets it twice. `mail send` delivers it.
    """
    with database.connection_context():
        counts = digests.queue_today()
    click.echo(f"{counts['queued']} queued, {counts['empty']} with nothing to say, "
               f"{counts['already']} already sent today")


@sla_cli.command("sweep")
@click.option("--batch", default=SWEEP_BATCH, show_default=True, type=click.IntRange(1),
              help="Requests claimed at a time: what this process holds locked.")
def sla_sweep(batch):
    """Appeal every request whose time ran out one level up, everyone told; run it from cron every minute.

    Several may run at once (two cron lines, two machines): each request goes up once.
    """
    with database.connection_context():
        counts = appeal_workflow.sweep(batch=batch)
    click.echo(f"{counts[1]} appealed to the first authority, {counts[2]} to the second, "
               f"{counts[3]} flagged for the Commission")


@privacy_cli.command("purge")
def privacy_purge():
    """Purge what is past its retention period (RETENTION_*_DAYS); the worker does it daily too.

    Safe to run again, and on several machines at once.
    """
    with database.connection_context():
        counts = retention.purge()
    click.echo(f"{counts['ticket_attachments']} ticket attachments and {counts['ticket_raw_mail']} raw mails of "
               f"closed tickets, {counts['login_codes']} log-in codes, {counts['api_tokens']} app tokens purged")


@dashboard_cli.command("rebuild")
def dashboard_rebuild():
    """Count the dashboard's figures again from the requests.

    Once after `db upgrade` brought the dashboard to a database with requests.
    On PostgreSQL filings and decisions meanwhile wait for it; on SQLite run it
    when nobody is at work.
    """
    with database.connection_context():
        started = time.monotonic()
        days, decisions = dashboard.rebuild()
    click.echo(f"dashboard rebuilt in {time.monotonic() - started:.1f} s: {days:,} rows of daily counts, "
               f"{decisions:,} of decision times")


@helpdesk_cli.command("fetch")
def helpdesk_fetch_command():
    """Store the mail waiting in the help mailbox (HELPDESK_IMAP_*); run it from cron every minute or two.

    Safe to run again, or twice at once: each message is stored once, and marked done only after.
    """
    with database.connection_context():
        try:
            counts = helpdesk_fetch.fetch()
        except helpdesk_fetch.FetchError as error:
            click.echo(f"{_fetched(error.counts)}; stopped: {error}", err=True)
            sys.exit(1)
    click.echo(_fetched(counts))


def _fetched(counts):
    return (f"{counts['new']} new ticket(s), {counts['added']} added to tickets, {counts['system']} system mail, "
            f"{counts['duplicate']} seen before")


@helpdesk_cli.command("ingest")
def helpdesk_ingest_command():
    """Store one message read on standard input: the help address's pipe from the MTA.

    On any failure it exits 75 (EX_TEMPFAIL), so the MTA keeps the message and tries again.
    """
    raw = sys.stdin.buffer.read()
    try:
        with database.connection_context():
            received = helpdesk_ingest.ingest(raw)
    except Exception as error:  # the database down or locked, the disk full: never exit 0 with it lost
        click.echo(f"not stored, try again later: {type(error).__name__}: {error}", err=True)
        sys.exit(helpdesk_ingest.EX_TEMPFAIL)
    where = received.ticket.number if received.ticket else "the system-mail log"
    click.echo(f"seen before: {where}" if received.duplicate else f"stored: {where}")


# The demo's refusals are said in the terminal only, so they stay out of
# messages.py and its translations.
DEMO_REFUSALS = {
    "demo_needs_catalogue": "There is no catalogue to work on: run `flask --app wsgi catalogue load` first.",
    "demo_loaded_already": "Demo rows exist already: run `flask --app wsgi demo remove` first.",
    "demo_email_taken": "%(email)s belongs to an officer outside the demo; nothing was loaded.",
    "demo_in_use": ("%(count)s row(s) outside the demo refer to demo areas, citizens or requests (requests "
                    "filed there or by them, posts, help-desk tickets): move or delete them first. "
                    "Nothing was removed."),
}
POSTS = ("area post", "district post", "state post")


def demo_refusal(error):
    template = DEMO_REFUSALS.get(error.code)
    return template % error.params if template else in_english(error)


@demo_cli.command("load")
@click.option("--requests", "count", default=demo.REQUESTS, show_default=True, type=click.IntRange(0),
              help="How many citizens' requests.")
@click.option("--seed", default=demo.SEED, show_default=True, type=int,
              help="The same seed and day give the same rows.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The day the workload ends before (YYYY-MM-DD, IST); default today.")
@click.option("--if-empty", is_flag=True, help="Do nothing if any request exists (what scripts/serve runs).")
def demo_load(count, seed, today, if_empty):
    """Load the demo workload, every row marked demo; `demo remove` takes it away.

    All demo officers share one password: DEMO_PASSWORD, or one generated and
    printed this once.
    """
    with database.connection_context():
        if if_empty and (ServiceRequest.select().exists() or demo.loaded()):
            click.echo("requests exist already: no demo loaded (--if-empty)")
            return
        password = os.environ.get("DEMO_PASSWORD")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        try:
            validate_password(password, Officer(name="Demo officer", email=f"state-admin@{demo.EMAIL_DOMAIN}"))
        except DomainError as error:
            raise click.ClickException(f"DEMO_PASSWORD: {in_english(error)}")
        started = time.monotonic()
        try:
            # Hashed once: scrypt for every one of two thousand officers would take minutes.
            with progress.bar("demo load") as step:
                report = demo.load(requests=count, seed=seed, today=today and today.date(), progress=step,
                                   password_hash=generate_password_hash(password, method=people.PASSWORD_HASH_METHOD))
        except DomainError as error:
            raise click.ClickException(demo_refusal(error))
        took = time.monotonic() - started
    click.echo(f"demo loaded in {took:.1f} s (seed {seed}, the {demo.WINDOW_DAYS} days before {report.today}): "
               f"{report.areas:,} areas, {report.officers:,} officers ({report.on_leave:,} on leave), "
               f"{report.citizens:,} citizens, {report.requests:,} requests with {report.events:,} history entries, "
               f"{report.tickets:,} help-desk tickets with {report.messages:,} messages")
    if report.requests:
        click.echo("requests: " + ", ".join(f"{report.statuses[s]:,} {s}" for s in REQUEST_STATUSES
                                             if report.statuses[s]))
    if report.limits:
        click.echo("illustrative time limits (demo values, taken back by `demo remove`): "
                   + ", ".join(f"{code} {value} {unit.replace('_', ' ')}" for code, value, unit in report.limits))
    if generated:
        click.echo(f"demo logins, one password for all (shown once): {password}")
    else:
        click.echo("demo logins, one password for all: the one in DEMO_PASSWORD")
    kinds = {}
    for login in report.logins:
        kinds.setdefault(login.kind, []).append(login)
    rows = [("role", "where", "e-mail", "in all")]
    for kind, logins in kinds.items():
        example = next((login for login in logins if not login.on_leave), logins[0])
        rows.append((f"{example.title} ({kind})" if kind in POSTS else example.title, example.place, example.email,
                     f"{len(logins):,}"))
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    for row in rows:
        click.echo("  " + "  ".join(text.ljust(width) for text, width in zip(row, widths)) + "  " + row[3])
    click.echo(f"every demo officer: the admin's officers list, e-mails ending in @{demo.EMAIL_DOMAIN}")


@demo_cli.command("remove")
def demo_remove():
    """Delete every demo row and take the illustrative time limits back; nothing else changes."""
    with database.connection_context():
        try:
            removed = demo.remove()
        except DomainError as error:
            raise click.ClickException(demo_refusal(error))
    click.echo(f"demo removed: {removed['requests']:,} requests, {removed['events']:,} history entries, "
               f"{removed['citizens']:,} citizens, {removed['officers']:,} officers, {removed['areas']:,} areas, "
               f"{removed['tickets']:,} help-desk tickets, {removed['outbox']:,} outbox messages; "
               f"{removed['limits']:,} illustrative time limits taken back")
    if removed["officers_kept"]:
        click.echo(f"{removed['officers_kept']:,} demo officer(s) kept, deactivated: the audit log or rows outside "
                   "the demo name them")


def init_app(app):
    app.cli.add_command(db_cli)
    app.cli.add_command(admin_cli)
    app.cli.add_command(catalogue_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(digest_cli)
    app.cli.add_command(dashboard_cli)
    app.cli.add_command(sla_cli)
    app.cli.add_command(helpdesk_cli)
    app.cli.add_command(privacy_cli)
