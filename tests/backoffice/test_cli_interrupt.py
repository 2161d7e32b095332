"""The long commands interrupted: Ctrl-C (SIGINT) to a real `catalogue load` and `demo load` mid-run leaves
nothing of the half-done job, on SQLite and PostgreSQL; an interrupted `db backup` leaves no file."""
import csv
import shutil
import signal
import time

import pytest

from models import ServiceRequest, backup, database
from tests.processes import BIN, ROOT, Program
from tests.rows import snapshot

BIG = 4000  # services: seconds of writing, so that the signal comes in the middle


def started(program, label, timeout=60):
    """Wait until `label`'s progress bar is drawn: the command is inside its transaction, some rows written."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert program.running(), program.output()
        if label in program.output():
            return
        time.sleep(0.05)
    raise AssertionError(f"no progress from {label}:\n{program.output()}")


def interrupted(program):
    program.process.send_signal(signal.SIGINT)
    program.process.wait(timeout=60)
    return program.process.returncode, program.output()


def command(app, tmp_path, *args):
    return Program([str(BIN / "flask"), "--app", "wsgi", *args], tmp_path / "command.log", APP_ENV="test",
                   DATABASE_URL=app.config["DATABASE_URL"], SECRET_KEY="test-secret",
                   INSTANCE_PATH=tmp_path / "instance").start()


def big_catalogue(folder):
    """The bundled catalogue with BIG more services."""
    shutil.copytree(ROOT / "catalogue" / "haryana", folder, ignore=shutil.ignore_patterns("*.md", "*.txt"))
    with open(folder / "services.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, first = rows[0], rows[1]
    code = header.index("code")
    with open(folder / "services.csv", "a", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        for n in range(BIG):
            writer.writerow([f"EXTRA-{n}" if i == code else value for i, value in enumerate(first)])
    return folder


def test_an_interrupted_catalogue_load_writes_nothing(app, tmp_path):
    folder = big_catalogue(tmp_path / "catalogue")
    with database.connection_context():
        before = snapshot()
    program = command(app, tmp_path, "catalogue", "load", str(folder))
    started(program, "catalogue load")
    status, output = interrupted(program)
    assert status != 0 and "Aborted" in output, output
    with database.connection_context():
        assert snapshot() == before


def test_an_interrupted_demo_load_leaves_no_demo_row(app, catalogue, tmp_path):
    with database.connection_context():
        before = snapshot()
    program = command(app, tmp_path, "demo", "load", "--requests", "20000")
    started(program, "demo load")
    status, output = interrupted(program)
    assert status != 0 and "Aborted" in output, output
    with database.connection_context():
        assert snapshot() == before
        assert not ServiceRequest.select().exists()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # PostgreSQL has pg_dump
def test_an_interrupted_backup_leaves_no_file(app, catalogue, tmp_path):
    target = tmp_path / "copy.db"
    steps = []

    def ctrl_c(done, total):
        # Raised where Python would raise it on SIGINT: between two steps of the copy.
        steps.append(done)
        raise KeyboardInterrupt

    backup.PAGES_PER_STEP, pages = 1, backup.PAGES_PER_STEP
    try:
        with database.connection_context(), pytest.raises(KeyboardInterrupt):
            backup.backup(target, progress=ctrl_c)
    finally:
        backup.PAGES_PER_STEP = pages
    assert steps == [1]
    assert list(tmp_path.glob("copy.db*")) == []
