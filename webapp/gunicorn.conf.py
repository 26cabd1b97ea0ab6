"""gunicorn settings for Voices: gunicorn -c webapp/gunicorn.conf.py wsgi:app

Each setting can be changed from the environment (the README's deployment table). A
command-line flag still wins over this file.
"""

from __future__ import annotations

import multiprocessing
import os


def _bind() -> str:
    """Return where to listen: BIND as given, else every interface on PORT (as hosting
    platforms expect), else the local machine only."""
    if os.environ.get("BIND"):
        return os.environ["BIND"]
    if os.environ.get("PORT"):
        return f"0.0.0.0:{os.environ['PORT']}"
    return "127.0.0.1:8000"


bind = _bind()
# Sync workers: pages are computed when an article is stored, so a request is short and
# CPU-bound; two per core (plus one) keeps the cores busy while one worker waits on I/O.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
# The app is made once, in the master (tables, new seeds, compiled templates), then
# forked: a worker that is (re)started starts at once instead of checking every seed file
# again. first_start() closes its database connections before the fork.
preload_app = True
# Booting a worker may load new seeds (the first start): give it time; a request gets 30 s.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Workers are not restarted after a number of requests unless MAX_REQUESTS asks: their
# caches are bounded, and a worker exiting (its whole heap torn down) left its connections
# waiting 100-200 ms, the slowest 1 % of requests in the benchmark. With MAX_REQUESTS set,
# restarts come with 10 % jitter, never all workers at once.
max_requests = int(os.environ.get("MAX_REQUESTS") or 0)
max_requests_jitter = max_requests // 10
# Which proxies may set X-Forwarded-*: only the local one unless the operator says more.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# One access line per request on stdout: client, request, status, bytes, time in ms.
accesslog = os.environ.get("ACCESS_LOG", "-") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
# Large bodies are never expected (reading is GET); refuse absurd request lines early.
limit_request_line = 8190
limit_request_fields = 100
