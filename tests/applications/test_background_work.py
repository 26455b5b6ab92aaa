"""Services name their background work (applications/background.py) and applications/hooks.py
gives each name its task: a name left without a task stops the start-up, not a request later."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from applications import background, hooks
from applications.background import Work


def test_every_kind_of_background_work_has_its_task():
    assert set(hooks.TASKS) == set(Work)


def test_a_kind_of_work_left_without_a_task_stops_the_start_up_and_is_named():
    incomplete = {work: task for work, task in hooks.TASKS.items() if work != Work.QUEUE_EXPORT}
    with pytest.raises(ImproperlyConfigured, match="queue export"):
        background.register(incomplete)
