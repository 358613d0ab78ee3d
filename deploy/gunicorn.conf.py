"""gunicorn's settings for OCOP Lạng Sơn: `make run`, deploy/systemd/ocop-web.service and
`make deploy-check` all start gunicorn with `-c deploy/gunicorn.conf.py`; command-line flags
(-b, -w) override what is here. Read by gunicorn, not by Django (no environment is read here).
"""

import multiprocessing

wsgi_app = "config.wsgi:application"

# Loopback only: nginx (deploy/nginx/ocop.conf) is the one way in, which is what makes its
# X-Forwarded-* headers safe to believe (OCOP_TRUSTED_PROXIES, OCOP_BEHIND_PROXY).
bind = "127.0.0.1:8000"
# Synchronous workers, two per core and one more, at most 8: every page answers in well under a
# second, and anything long (exports, imports, reports) runs in the job worker.
workers = min(2 * multiprocessing.cpu_count() + 1, 8)
worker_class = "sync"
# A request still running after 60 s is stuck: its worker is replaced. nginx waits a little
# longer (proxy_read_timeout 65s) so that the answer is gunicorn's, not a 504.
timeout = 60
graceful_timeout = 30
keepalive = 5  # nginx keeps upstream connections open (keepalive 16 in the upstream block)
# A worker is replaced after this many requests: bounds the memory a long-running worker gathers.
max_requests = 5000
max_requests_jitter = 500

# The scheme is Django's business (SECURE_PROXY_SSL_HEADER from OCOP_BEHIND_PROXY): gunicorn does
# not rewrite it from X-Forwarded-Proto, so there is one place that decides.
secure_scheme_headers = {}
forwarded_allow_ips = "127.0.0.1,::1"

accesslog = "-"
errorlog = "-"
# The client's address as nginx saw it first, then the usual fields and the duration in seconds.
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(b)s "%(a)s" %(L)s'
proc_name = "ocop-web"
