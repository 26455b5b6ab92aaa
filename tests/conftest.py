"""Persona fixtures: an employer, another employer, an officer of region A (Moscow, 77), an
officer of region B (Saint Petersburg, 78), and an admin."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone, translation
from hypothesis import settings as hypothesis_settings

from applications.models import Status
from tests.applications.factories import CaseWorkerFactory, EmployerFactory, EmployerMemberFactory
from tests.portal.factories import AdminFactory, OfficerFactory, UserFactory
from tests.regions.factories import EligibilityThresholdFactory, RuleSetFactory, region

# Property-based tests draw the same examples on every run, so CI is reproducible; a developer
# hunting for new failures can run with --hypothesis-seed=random.
hypothesis_settings.register_profile("portal", derandomize=True, database=None)
hypothesis_settings.load_profile("portal")


def pytest_collection_modifyitems(items):
    """Transactional tests (threads on their own connections, the live server) end with a flush
    that also empties the tables data migrations filled: the 85 regions, content types. Every
    such test therefore restores them (serialized rollback), whoever wrote it."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = bool(marker and marker.kwargs.get("transaction")) or {"live_server", "transactional_db"} & set(
            item.fixturenames
        )
        if transactional and not (marker and marker.kwargs.get("serialized_rollback")):
            # Put first: pytest-django reads the closest marker, and a test's own decorator
            # would otherwise win over one appended after it.
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True), append=False)


@pytest.fixture(autouse=True)
def _fast_passwords_and_private_media(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _code_language():
    """Code called outside a request (services, guards, the rule check) speaks the language of
    its strings, English, in every test, whichever test ran before: a request activates its own
    language and Django leaves it active in the thread afterwards."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Nothing a test cached (the queue's tab counts, say) is seen by the next test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def moscow(db):
    return region(77)


@pytest.fixture
def spb(db):
    return region(78)


@pytest.fixture
def moscow_rules(moscow):
    return RuleSetFactory(region=moscow)


@pytest.fixture
def threshold(db):
    return EligibilityThresholdFactory()


@pytest.fixture
def employer_user(db):
    return EmployerMemberFactory(user=UserFactory(email="clerk@a.example")).user


@pytest.fixture
def employer(employer_user):
    return employer_user.employer_membership.employer


@pytest.fixture
def other_employer_user(db):
    return EmployerMemberFactory(employer=EmployerFactory(name="ООО Другая"), user=UserFactory(email="clerk@b.example")).user


@pytest.fixture
def officer(moscow):
    return OfficerFactory(email="officer@77.example", regions=[moscow])


@pytest.fixture
def officer_spb(spb):
    return OfficerFactory(email="officer@78.example", regions=[spb])


@pytest.fixture
def admin_user(db):
    return AdminFactory(email="admin@example.com")


@pytest.fixture
def english(client):
    """The test client reading the portal in English."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def employer_client(english, employer_user):
    """The employer's clerk, signed in, reading English."""
    english.force_login(employer_user)
    return english


@pytest.fixture
def officer_client(english, officer):
    """The Moscow officer, signed in, reading English."""
    english.force_login(officer)
    return english


@pytest.fixture
def admin_client_(english, admin_user):
    """The admin, signed in, reading English (the admin's texts are read in English; pytest-django's
    own `admin_client` is a browser of its own that reads Russian)."""
    english.force_login(admin_user)
    return english


@pytest.fixture
def draft_with_worker(employer, moscow, moscow_rules, threshold):
    """A draft that passes Moscow's rules: one worker tested the day before arrival."""
    return CaseWorkerFactory(application__employer=employer, application__region=moscow).application


@pytest.fixture
def submitted_case(employer, moscow, moscow_rules, threshold):
    """The employer's Moscow case of one worker, submitted, due in 10 days."""
    return CaseWorkerFactory(
        application__employer=employer,
        application__region=moscow,
        application__status=Status.SUBMITTED,
        application__deadline=timezone.localdate() + dt.timedelta(days=10),
    ).application
