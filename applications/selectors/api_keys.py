"""The API keys a company member sees and acts on."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from applications.models import ApiKey, ApiKeyKind
from applications.permissions import employer_id_of


def api_keys_for_employer(*, user) -> QuerySet[ApiKey]:
    return (
        ApiKey.objects.filter(kind=ApiKeyKind.EMPLOYER, employer_id=employer_id_of(user))
        .select_related("created_by")
        .order_by("-created_at", "-pk")
    )


def api_key_get_for_employer(*, user, pk: int) -> ApiKey:
    return get_object_or_404(api_keys_for_employer(user=user), pk=pk)
