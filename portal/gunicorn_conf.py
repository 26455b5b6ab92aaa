"""gunicorn settings for `make serve`, from the environment."""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# Exports stream for longer than a page; gthread workers keep serving others meanwhile.
worker_class = "gthread"
accesslog = "-"
errorlog = "-"
# The app logs each request with its id; gunicorn's own access line is kept short.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Request line and headers bounded (issue 16, item 2): gunicorn answers 400 past these before
# Django sees the request. 4094 is gunicorn's own largest request line; 50 headers and 8190 bytes
# each are far above what a browser sends and match the proxy's buffers (docs/deploy.md).
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190


# /metrics with several workers (docs/operations.md, "Metrics"): each worker writes its request
# figures to files in this folder (empty it before starting), and a finished worker's are marked dead.
PROMETHEUS_MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def child_exit(server, worker):
    if PROMETHEUS_MULTIPROC_DIR:
        # Only with several processes: the module reads PROMETHEUS_MULTIPROC_DIR when imported.
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
