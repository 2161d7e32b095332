from models import ALL_MODELS, database, migrate


def test_migrations_from_empty_match_the_models(db):
    assert not migrate.pending()
    assert not migrate.drift(), f"models and migrations disagree:\n{migrate.drift()}"
    tables = set(database.get_tables())
    assert {m._meta.table_name for m in ALL_MODELS} <= tables


def test_upgrade_twice_changes_nothing(db):
    assert migrate.upgrade() == []


def test_db_upgrade_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0
    assert "up to date" in result.output
