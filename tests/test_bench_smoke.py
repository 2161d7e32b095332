"""The benchmarks run tiny, so that they do not rot: each script completes and writes what it should.

The figures of a run this small mean nothing; bench/run at full size is for a person (docs/benchmarks.md).
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parent.parent


def run(*args, timeout=600):
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def postgresql():
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        message = "the PostgreSQL benchmark needs TEST_DATABASE_URL"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return base


@pytest.mark.parametrize("server", ["sqlite", "postgresql"])
def test_bench_run_writes_every_section_with_its_targets(tmp_path, server):
    out = tmp_path / "benchmarks.md"
    extra = ["--postgresql", postgresql()] if server == "postgresql" else []
    run("bash", "bench/run", "--requests", "200", "--runs", "1", "--mails", "10", "--out", str(out), *extra)

    text = out.read_text()
    databases = ["## SQLite"] + (["## PostgreSQL"] if extra else [])
    for database in databases:
        assert text.count(database) == 1
    for section in ("### Loading", "### Dashboard", "### Admin pages", "### SLA sweep", "### Outbox sender"):
        assert text.count(section) == len(databases), section
    assert "| requests list, page 1,000 |" in text and "| 50 ms |" in text
    assert "| 10 each | met |" in text  # every mail sent and received
    assert "appealed to the first authority | 10 | 10 | met |" in text  # 5% of 200
    assert "## Not measured yet" in text and "Machine: " in text


@pytest.mark.parametrize("script, args", [
    ("bench.admin", ("--requests", "200", "--runs", "1")),
    ("bench.sweep", ("--requests", "200")),
    ("bench.outbox", ("--mails", "10")),
    ("bench.dashboard", ("--requests", "200", "--runs", "1")),
])
def test_each_benchmark_runs_on_its_own(tmp_path, script, args):
    out = tmp_path / "out.md"
    run(sys.executable, "-m", script, *args, "--out", str(out))
    assert out.read_text().count("\n| ") >= 4  # a table of its figures
