"""gunicorn's settings, for `make stack` and production: `gunicorn -c gunicorn.conf.py talentapp.wsgi`.

Threaded workers (gthread): a page spends much of its time waiting for PostgreSQL, so each
process serves WEB_THREADS requests at once; one process per core (WEB_WORKERS) uses the cores.
Each thread keeps its own database connection (CONN_MAX_AGE), so PostgreSQL needs
WEB_WORKERS x WEB_THREADS connections per machine, plus the Celery workers'.
A worker is replaced after about MAX_REQUESTS requests (with jitter, so they do not all restart
at once), which bounds what native libraries such as WeasyPrint's hold on to.
"""

import multiprocessing
import os


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise SystemExit(f"{name} must be a whole number; got {value!r}.") from None


bind = f"127.0.0.1:{_env_int('PORT', 8000)}"
worker_class = "gthread"
workers = _env_int("WEB_WORKERS", multiprocessing.cpu_count())
threads = _env_int("WEB_THREADS", 4)
max_requests = _env_int("WEB_MAX_REQUESTS", 5000)  # docs/operations.md#capacity: why 5,000
max_requests_jitter = max_requests // 10
timeout = 30  # a request still running after this is stopped and its worker replaced
graceful_timeout = 10  # on restart or stop, requests under way get this long to finish
keepalive = 5
preload_app = True  # Django loaded once, before the workers fork: they start at once and share its memory
accesslog = "-"
