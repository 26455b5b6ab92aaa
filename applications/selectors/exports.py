"""Reads of the officer's queue exports: each officer sees and downloads only their own, whatever
their regions (an export holds the rows of its requester's scope)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from applications.models import ExportState, QueueExport

# The exports page lists the latest ones; older files stay in storage but are not offered.
EXPORTS_SHOWN = 20


def queue_exports_for_officer(*, user) -> list[QueueExport]:
    """The officer's latest exports, newest first."""
    return list(QueueExport.objects.filter(requested_by=user).order_by("-created_at", "-pk")[:EXPORTS_SHOWN])


def queue_export_get_for_download(*, user, pk: int) -> QueueExport:
    """The officer's own export, once it is ready; anything else (another officer's, one still
    being prepared or failed) is a 404."""
    return get_object_or_404(QueueExport, pk=pk, requested_by=user, state=ExportState.DONE)
