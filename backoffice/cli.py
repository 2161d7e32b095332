"""The `flask --app wsgi ...` commands: each a thin call into models/ or a part."""
import os
import secrets
import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from models import DomainError, Officer, RoleGrant, Service, database
from models import catalogue_file, migrate
from models.passwords import validate_password

from .messages import describe
from .notify import sender

db_cli = AppGroup("db", help="Database schema.")
admin_cli = AppGroup("admin", help="Administrator accounts.")
catalogue_cli = AppGroup("catalogue", help="Districts, departments, designations and services.")
mail_cli = AppGroup("mail", help="The outbox: e-mail and SMS.")


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


@admin_cli.command("ensure")
def admin_ensure():
    """Create the first state administrator unless one exists.

    E-mail from ADMIN_EMAIL, password from ADMIN_PASSWORD; without it a password
    is generated and printed this once.
    """
    with database.connection_context(), database.atomic():
        if RoleGrant.select().where(RoleGrant.role == "state_admin").exists():
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
def catalogue_load(path, if_empty):
    """Upsert the catalogue from PATH (a directory or one CSV file), by default the bundled Haryana one.

    All or nothing: on any bad row every problem is listed and nothing is written.
    """
    with database.connection_context():
        if if_empty and Service.select().exists():
            click.echo("services exist already: nothing loaded (--if-empty)")
            return
        try:
            report = catalogue_file.load(path)
        except catalogue_file.CatalogueError as error:
            for problem in error.problems:
                where = problem.file if problem.line is None else f"{problem.file}:{problem.line}"
                click.echo(f"{where}: {in_english(problem)}", err=True)
            click.echo(in_english(error), err=True)
            sys.exit(1)
        drafts = Service.select().where(Service.status == "draft", Service.tat_value.is_null()).count()
    for kind, counts in report.items():
        click.echo(f"{kind}: {counts['created']} created, {counts['updated']} updated, "
                   f"{counts['unchanged']} unchanged")
    if drafts:
        click.echo(f"{drafts} service(s) have no time limit: drafts until an admin sets one")


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


def init_app(app):
    app.cli.add_command(db_cli)
    app.cli.add_command(admin_cli)
    app.cli.add_command(catalogue_cli)
    app.cli.add_command(mail_cli)
