"""Documents attached to a case: upload and removal.

A file's type is read from its content (its first bytes), never from its name or the type the
browser claims: a script renamed `.pdf` is refused. The uploader's file name is kept only as
data for display; the stored name is random (see `applications.models.document.document_path`).
"""

from __future__ import annotations

import os
from functools import partial

import puremagic
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext

from applications.models import Application, Document, DocumentKind, Status, StatusChange, document_max_bytes
from applications.models.document import DOCUMENT_MAX_BYTES
from applications.permissions import acts_for_employer, can_delete_document
from applications.services.corrections import log_document
from applications.services.errors import TransitionRefused

MAX_DOCUMENT_SIZE = DOCUMENT_MAX_BYTES  # the database refuses more (constraint document_at_most_10_mb)
MAX_DISPLAY_NAME_LENGTH = 100

# The types accepted, each with the bytes a file of that type starts with. puremagic names the
# type; the signature check makes sure its match is at the very start of the file.
ACCEPTED_TYPES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
EXTENSION_OF_TYPE = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
# Enough for every signature puremagic knows at the start of a file.
HEAD_BYTES = 8192

UPLOAD_STATUSES = (Status.DRAFT, Status.INFO_REQUESTED)


def document_content_type(uploaded_file: UploadedFile) -> str:
    """The file's type judged from its content; refuses anything but PDF, JPEG and PNG.

    Reads only the file's head and rewinds it, so the caller can store it afterwards."""
    uploaded_file.seek(0)
    head = uploaded_file.read(HEAD_BYTES)
    uploaded_file.seek(0)
    refused = TransitionRefused(
        gettext("The file “%(name)s” is not a PDF, JPEG or PNG file (judged by its content, not its name).")
        % {"name": display_name(uploaded_file.name or "", content_type=None)}
    )
    if not head:
        raise TransitionRefused(gettext("The file “%(name)s” is empty.") % {"name": display_name(uploaded_file.name or "", content_type=None)})
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        raise refused from None
    for match in matches:
        signatures = ACCEPTED_TYPES.get(match.mime_type)
        if signatures and match.offset == 0 and head.startswith(signatures):
            return match.mime_type
    raise refused


def display_name(raw_name: str, *, content_type: str | None) -> str:
    """The uploader's file name made safe to show and to put in a download header: no folders
    (`../../etc/passwd` becomes `passwd`), no characters outside letters, digits, `-`, `_`
    and `.`, and at most MAX_DISPLAY_NAME_LENGTH characters with the extension kept."""
    base = os.path.basename(raw_name.replace("\\", "/")).strip()
    try:
        name = get_valid_filename(base)
    except SuspiciousFileOperation:  # nothing usable left, e.g. ".." or "   "
        name = ""
    name = name.lstrip(".")  # no hidden-file names
    if not name:
        name = "document" + EXTENSION_OF_TYPE.get(content_type or "", "")
    if len(name) > MAX_DISPLAY_NAME_LENGTH:
        stem, extension = os.path.splitext(name)
        extension = extension[:10]
        name = stem[: MAX_DISPLAY_NAME_LENGTH - len(extension)] + extension
    return name


def _check_size(uploaded_file: UploadedFile, *, kind: str | None = None) -> None:
    """At most MAX_DOCUMENT_SIZE, and less for some kinds (a passport copy, a PCR certificate:
    see DOCUMENT_MAX_BYTES_OF_KIND); the forms say the same next to the field first."""
    limit = document_max_bytes(kind)
    if uploaded_file.size is None or uploaded_file.size > limit:
        raise TransitionRefused(
            gettext("The file “%(name)s” is %(size)s; a document may be at most %(limit)d MB.")
            % {
                "name": display_name(uploaded_file.name or "", content_type=None),
                "size": filesizeformat(uploaded_file.size or 0),
                "limit": limit // (1024 * 1024),
            }
        )


def check_document_file(uploaded_file: UploadedFile) -> str:
    """Size, then content, as for a case's documents; returns the type judged from the content.
    For other uploads held to the same rules (the scan of an earlier work permit)."""
    _check_size(uploaded_file)
    return document_content_type(uploaded_file)


@transaction.atomic
def document_upload(
    *,
    application: Application,
    user,
    uploaded_file: UploadedFile,
    kind: str,
    status_change: StatusChange | None = None,
    with_answer: bool = False,
) -> Document:
    """Attaches a file to a case while the employer may still change it (a draft, or while the
    authority waits for information). `with_answer`: the file goes with the answer being sent,
    whose history row lists it, so it is not logged as a correction of its own."""
    # Size and content first: a refused file is never written anywhere under MEDIA_ROOT.
    _check_size(uploaded_file, kind=kind)
    content_type = document_content_type(uploaded_file)
    if kind not in DocumentKind.values:
        raise TransitionRefused(gettext("Choose the kind of document from the list."))

    # Locked so an upload cannot slip in while the case is being submitted or withdrawn.
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not acts_for_employer(user, locked):
        raise TransitionRefused(gettext("You may not do this on this application."))
    if locked.status not in UPLOAD_STATUSES:
        raise TransitionRefused(
            gettext("Documents can be added only to a draft or while the authority asks for information; this application is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    if status_change is not None and status_change.application_id != locked.pk:
        raise TransitionRefused(gettext("That answer belongs to another application."))

    document = Document(
        application=locked,
        kind=kind,
        original_name=display_name(uploaded_file.name or "", content_type=content_type),
        content_type=content_type,
        size=uploaded_file.size,
        uploaded_by=user,
        status_change=status_change,
    )
    # upload_to ignores the name given here: the stored name is random.
    document.file.save("upload", uploaded_file, save=False)
    try:
        document.save()
    except BaseException:
        # No row, no file: a failed insert leaves nothing behind under MEDIA_ROOT.
        document.file.storage.delete(document.file.name)
        raise
    if not with_answer:
        log_document(application=locked, user=user, document=document, added=True)
    return document


@transaction.atomic
def document_delete(*, document: Document, user) -> None:
    locked = Application.objects.select_for_update().get(pk=document.application_id)
    if not can_delete_document(user, document, locked):
        if locked.status != Status.DRAFT:
            raise TransitionRefused(
                gettext("Documents can be removed only from a draft; this application is “%(status)s”.")
                % {"status": locked.get_status_display()}
            )
        raise TransitionRefused(gettext("Only the person who uploaded a document can remove it."))
    stored_name, storage = document.file.name, document.file.storage
    log_document(application=locked, user=user, document=document, added=False)
    document.delete()
    # The file goes only once the row is gone for good, and only if no other row names it (the
    # drafts made by splitting a draft share its files: services/draft_split.py). Asked after the
    # commit, so of two rows removed at once the later commit sees neither and removes the file.
    transaction.on_commit(partial(_delete_unless_named, storage, stored_name, employer_id=locked.employer_id))


def _delete_unless_named(storage, stored_name: str, *, employer_id: int) -> None:
    # Only the company's own drafts share a file; scoped to them, the query reads the company's
    # documents through the indexes of cases by employer and of documents by case.
    if not Document.objects.filter(application__employer_id=employer_id, file=stored_name).exists():
        storage.delete(stored_name)
