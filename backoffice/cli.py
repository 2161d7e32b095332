"""The `flask --app wsgi ...` commands: each a thin call into models/ or a part."""
import os
import secrets

import click
from flask.cli import AppGroup

from models import Officer, RoleGrant, database
from models import migrate

db_cli = AppGroup("db", help="Database schema.")
admin_cli = AppGroup("admin", help="Administrator accounts.")


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
        officer.set_password(password)
        officer.active = True
        officer.save()
        RoleGrant.create(officer=officer, role="state_admin")
    click.echo(f"created state administrator {email}")
    if generated:
        click.echo(f"password (shown once, change it after logging in): {password}")


def init_app(app):
    app.cli.add_command(db_cli)
    app.cli.add_command(admin_cli)
