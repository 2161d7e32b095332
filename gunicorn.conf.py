"""gunicorn's settings: `gunicorn -c gunicorn.conf.py wsgi:app` (docs/deployment.md).

Sized for a small machine (2 cores): two worker processes of four threads
each. Every number can be changed by the environment without editing this file.
"""
import os
import re
import shutil
import tempfile
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Processes survive each other's crashes and use both cores; threads let a
# worker wait on the database for one officer while it answers another.
workers = int(os.environ.get("GUNICORN_WORKERS", 2))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
# A worker restarts after this many requests (jittered) so a slow leak cannot grow without end.
max_requests = 2000
max_requests_jitter = 200
# The app logs every request itself, as a JSON line with its request id (backoffice/logs.py).
accesslog = None
errorlog = "-"
# gunicorn believes X-Forwarded-Proto from nginx on this machine only; the client's address (and the
# scheme from nginx elsewhere) is for the app's ProxyFix, which trusts PROXY_COUNT hops.
forwarded_allow_ips = "127.0.0.1,::1"

# prometheus-client keeps each worker's counters in files here, summed when /metrics is read; it picks
# its storage when first imported, so the variable is set before the app is loaded. One folder per
# address, so that two servers on one machine do not add up (or wipe) each other's counts.
_metrics_dir = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", str(Path(tempfile.gettempdir()) / ("jansahayak-metrics-" + re.sub(r"\W", "_", bind))))


def on_starting(server):
    # Counts left by an earlier run would be added to this one's.
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    os.makedirs(_metrics_dir, exist_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
