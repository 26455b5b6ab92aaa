"""Persona fixtures: an employer, another employer, an officer of region A (Moscow, 77), an
officer of region B (Saint Petersburg, 78), and an admin."""

import pytest

from tests.applications.factories import EmployerFactory, EmployerMemberFactory
from tests.portal.factories import AdminFactory, OfficerFactory, UserFactory
from tests.regions.factories import EligibilityThresholdFactory, RuleSetFactory, region


@pytest.fixture(autouse=True)
def _fast_passwords_and_private_media(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


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
