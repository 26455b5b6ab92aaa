import pytest

from tests.applications.factories import CaseWorkerFactory, DecisionFactory, DocumentFactory, StatusChangeFactory


@pytest.mark.django_db
def test_every_factory_builds_a_row_the_database_accepts(employer_user):
    line = CaseWorkerFactory(application__employer=employer_user.employer_membership.employer)
    StatusChangeFactory(application=line.application)
    DocumentFactory(application=line.application)
    decision = DecisionFactory()
    assert line.worker.employer_id == line.application.employer_id
    assert decision.application.status == "approved"
