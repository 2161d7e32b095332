"""What the benchmarks share: a database to load, the app on it, logging in, timing, the machine."""
import os
import platform
import re
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg2
from werkzeug.security import generate_password_hash

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backoffice import create_app  # noqa: E402
from models import catalogue_file, database, demo, migrate  # noqa: E402

PASSWORD = "bench-password-not-for-use"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def median_ms(work, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def load_average():
    return ", ".join(f"{value:.1f}" for value in os.getloadavg()) + " (1, 5, 15 min)"


def machine():
    """One line about where the figures come from."""
    model = ""
    try:
        model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), "")
    except OSError:
        pass
    memory = ""
    try:
        kib = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                       if line.startswith("MemTotal")))
        memory = f", {kib / 1024 / 1024:.1f} GiB memory"
    except (OSError, StopIteration):
        pass
    return (f"{os.cpu_count()} CPUs ({model or platform.processor() or 'unknown'}){memory}, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")


def app_for(url, **settings):
    """The app on the database at `url`, with an instance folder of its own and any other `settings`."""
    os.environ["INSTANCE_PATH"] = tempfile.mkdtemp(prefix="bench-instance-")
    return create_app({"APP_ENV": "test", "DATABASE_URL": url, "SECRET_KEY": "bench", **settings})


def load(requests):
    """Migrate, load the catalogue and `demo load --requests N` (open connection); returns the seconds it took,
    and the seconds of CPU this process spent on it (on a shared machine, what it would take with the CPU to itself
    but for the database server's own work)."""
    migrate.upgrade()
    catalogue_file.load()
    started, cpu = time.monotonic(), time.process_time()
    demo.load(requests=requests, password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"))
    took, cpu = time.monotonic() - started, time.process_time() - cpu
    # As PostgreSQL's autovacuum would, and as an operator should after a bulk load into SQLite.
    database.execute_sql("ANALYZE")
    return took, cpu


def logged_in(app, email):
    """A test client logged in as the demo officer `email`."""
    client = app.test_client()
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    return client


def postgresql_schema(base):
    """A fresh schema on the server at `base`: (its URL, a function that drops it, the server's version)."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(base)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {schema}")
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]

    def drop():
        with admin.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA {schema} CASCADE")
        admin.close()

    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options={quote(f'-csearch_path={schema}')}", drop, version


def target(args, folder):
    """(URL, a function that drops it or None, a name for the report) of the database a benchmark times:
    --database as given, a fresh schema on --postgresql, else a new SQLite file in `folder`."""
    if args.database:
        return args.database, None, "given database"
    if args.postgresql:
        url, drop, version = postgresql_schema(args.postgresql)
        return url, drop, f"PostgreSQL {version}"
    return f"sqlite:///{folder}/bench.db", None, f"SQLite {sqlite3.sqlite_version}"


def table(rows, header=("", "measured", "target", "")):
    """A markdown table of (label, figure, target, verdict) rows."""
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines
