import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# The cyclic garbage collector, tuned for pages that make many short-lived objects (a case page
# checks every worker of a case: some 100,000 objects at 5,000 workers). With the default
# thresholds it ran a hundred times a request and re-walked the objects loaded at start-up (Django,
# the templates, the translations) on each full pass: a third of such a page's time. Those objects
# live as long as the process, so they are frozen out of the collector's sight, and it runs less
# often; objects freed by reference counting (almost all) never wait for it.
gc.collect()
gc.freeze()
gc.set_threshold(10_000, 10, 10)
