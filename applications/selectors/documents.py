"""Reads of a case's documents and of its decision letter, scoped to who is asking: the case's
company, the officers of its region (never a draft) and staff. Anyone else gets a 404."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from applications.models import Application, Document, DocumentBuild, DocumentBuildKind, Status
from applications.models.application import DECIDED_STATUSES
from applications.permissions import can_delete_document, employer_id_of, officer_region_ids


def _case_scope(user, prefix: str = "") -> Q:
    """The cases a user may read, as a filter; raises Http404 when there are none at all."""
    if not user.is_authenticated:
        raise Http404
    if user.is_staff:
        return Q()
    scopes = []
    employer_id = employer_id_of(user)
    if employer_id is not None:
        scopes.append(Q(**{f"{prefix}employer_id": employer_id}))
    region_ids = officer_region_ids(user)
    if region_ids:
        # Drafts are the employer's own business until submitted.
        scopes.append(Q(**{f"{prefix}region_id__in": region_ids}) & ~Q(**{f"{prefix}status": Status.DRAFT}))
    if not scopes:
        raise Http404
    scope = scopes[0]
    for other in scopes[1:]:
        scope |= other
    return scope


def documents_for_case(application: Application, *, user=None) -> list[Document]:
    """The case's documents, oldest first. Given the user, each document carries `can_delete`
    for the page's remove button (the service checks again)."""

    documents = list(
        application.documents.select_related("uploaded_by", "status_change").order_by("uploaded_at", "pk")
    )
    for document in documents:
        document.can_delete = user is not None and can_delete_document(user, document, application)
    return documents


def document_get_for_user(*, user, pk: int) -> Document:
    queryset = Document.objects.filter(_case_scope(user, prefix="application__")).select_related("application")
    return get_object_or_404(queryset, pk=pk)


def document_of_case(*, application: Application, pk: int) -> Document:
    """A document of a case the caller has already fetched through a selector scoped to the user."""
    return get_object_or_404(Document.objects.filter(application=application), pk=pk)


def decided_application_get_for_user(*, user, pk: int) -> Application:
    """A decided case for its decision letter: the letter exists only once there is a decision."""
    queryset = (
        Application.objects.filter(_case_scope(user), status__in=DECIDED_STATUSES, decision__isnull=False)
        .select_related("decision")
    )
    return get_object_or_404(queryset, pk=pk)


def decision_letter_build(*, decision) -> DocumentBuild | None:
    """The background build of a decision's letter, if the case was large enough to have one."""
    return DocumentBuild.objects.filter(decision=decision, kind=DocumentBuildKind.DECISION_LETTER).first()
