"""The app's own programs as real processes for the tests: gunicorn, the job worker."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port():
    """A port on loopback nothing listens on (yet)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Program:
    """A command run from the repository root with extra environment, its output kept in a file."""

    def __init__(self, command, log, **env):
        self.command, self.log = command, log
        self.env = {**os.environ, **{name: str(value) for name, value in env.items()}}
        self.process = None

    def start(self):
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=out,
                                            stderr=subprocess.STDOUT)
        return self

    def output(self):
        return self.log.read_text(errors="replace")

    def running(self):
        return self.process.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def fetch(url, headers=None):
    """(status, headers, body) of a GET; an HTTP error status is an answer too."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


class Gunicorn(Program):
    """gunicorn -c gunicorn.conf.py wsgi:app as a real process on a loopback port."""

    def __init__(self, tmp_path, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        super().__init__([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
                         tmp_path / f"gunicorn-{self.port}.log", GUNICORN_BIND=f"127.0.0.1:{self.port}",
                         INSTANCE_PATH=tmp_path / "inst", PROMETHEUS_MULTIPROC_DIR=tmp_path / f"metrics-{self.port}",
                         **env)

    def wait_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.running(), f"gunicorn exited:\n{self.output()}"
            try:
                status, _, _ = fetch(f"{self.url}/healthz")
            except OSError:
                time.sleep(0.2)
                continue
            if status == 200:
                return self
        raise AssertionError(f"gunicorn did not answer in {timeout} s:\n{self.output()}")
