"""`flask --app wsgi graphql export`: the schema file the mobile team builds against."""
from pathlib import Path

import click
from flask.cli import AppGroup

from ..config import ROOT

SCHEMA_FILE = ROOT / "graphql" / "schema.graphql"

graphql_cli = AppGroup("graphql", help="The mobile app's GraphQL API.")


@graphql_cli.command("export")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=SCHEMA_FILE,
              show_default=True, help="Where to write the schema.")
def export(output):
    """Write the schema (SDL) from the code; commit the file with the change."""
    from .schema import schema_sdl
    output.write_text(schema_sdl(), encoding="utf-8")
    click.echo(f"wrote {output}")
