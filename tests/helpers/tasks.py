"""Background tasks in tests: the task backends, the dummy backend's queue and a worker to run
it, the database worker run once, and a mail server that is down for a while."""

from django.core.mail import send_mail as real_send_mail
from django.core.management import call_command
from django_tasks import default_task_backend

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued():
    """What the dummy backend holds: each enqueued task with its arguments."""
    return list(default_task_backend.results)


def run_queued_tasks():
    """Plays the worker for the dummy backend: runs what is queued, including retries it queues."""
    done = []
    while default_task_backend.results:
        result = default_task_backend.results.pop(0)
        done.append(result)
        try:
            result.task.call(*result.args, **result.kwargs)
        except OSError:
            pass  # a task that gave up: recorded as failed by a real worker
    return done


class FlakyMailServer:
    """Stands in for send_mail: refuses the first `failures` sends, then delivers."""

    def __init__(self, failures):
        self.failures = failures
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionRefusedError("SMTP down")
        return real_send_mail(*args, **kwargs)


def run_worker_once():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
