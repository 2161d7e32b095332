"""deploy/systemd/*.service, as docs/deployment.md installs them, checked by `systemd-analyze verify`.

The units name /opt/jansahayak, the user jansahayak and /etc/jansahayak/env; here they name this checkout,
the user running the tests and an empty settings file, so that systemd can check every command exists and
every directive parses. This machine runs no systemd: verify reads the files, it starts nothing.
"""
import getpass
import grp
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))


@pytest.fixture
def systemd_analyze():
    found = shutil.which("systemd-analyze")
    if found is None:
        message = "systemd-analyze is not installed (apt-get install systemd): the units are unchecked"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def test_there_is_a_unit_for_gunicorn_and_one_for_the_worker():
    commands = {unit.name: line for unit in UNITS for line in unit.read_text().splitlines()
                if line.startswith("ExecStart=")}
    assert commands == {
        "jansahayak-web.service": "ExecStart=/opt/jansahayak/.venv/bin/gunicorn -c gunicorn.conf.py wsgi:app",
        "jansahayak-worker.service": "ExecStart=/opt/jansahayak/.venv/bin/flask --app wsgi worker",
    }


@pytest.mark.parametrize("unit", UNITS, ids=[u.name for u in UNITS])
def test_systemd_analyze_verify_finds_nothing(systemd_analyze, unit, tmp_path):
    (tmp_path / "env").write_text("APP_ENV=production\n")
    user = getpass.getuser()
    text = (unit.read_text().replace("/opt/jansahayak", str(ROOT)).replace("/etc/jansahayak/env", str(tmp_path / "env"))
            .replace("User=jansahayak", f"User={user}")
            .replace("Group=jansahayak", f"Group={grp.getgrgid(os.getgid()).gr_name}"))
    copy = tmp_path / unit.name
    copy.write_text(text)
    checked = subprocess.run([systemd_analyze, "verify", "--man=no", str(copy)], capture_output=True, text=True,
                             timeout=60)
    assert checked.returncode == 0 and not checked.stderr.strip(), checked.stderr
