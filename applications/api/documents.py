"""/api/v1/applications/{id}/documents/: a case's documents, and a file attached to a draft (or
while the authority asks for information) as the web page attaches it: the upload form checks
the kind and the size for that kind, the service the content (sniffed, never the name) and the
case's state, and records the correction in the case's history."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from applications import selectors
from applications.api.authentication import CompanyKey
from applications.api.errors import FieldErrors, refused_responses
from applications.api.input import form_data, raise_form_errors
from applications.api.serializers import DocumentSerializer, DocumentUploadInputSerializer
from applications.forms.documents import DocumentUploadForm
from applications.selectors.documents import documents_for_case
from applications.services.documents import document_content_type, document_upload
from applications.services.errors import TransitionRefused


class CaseDocuments(GenericAPIView):
    permission_classes = [CompanyKey]
    serializer_class = DocumentSerializer

    def get_parsers(self):
        # A file comes as multipart/form-data; the list is read with no body at all.
        return [MultiPartParser()] if self.request is not None and self.request.method == "POST" else super().get_parsers()

    @extend_schema(
        summary="The case's documents, oldest first",
        operation_id="applications_documents_list",
        responses=DocumentSerializer(many=True),
    )
    def get(self, request, pk: int):
        application = selectors.application_get_for_employer(user=request.user, pk=pk)
        return Response(DocumentSerializer(documents_for_case(application), many=True).data)

    @extend_schema(
        summary="Attach a document (multipart/form-data: kind and file)",
        request={"multipart/form-data": DocumentUploadInputSerializer},
        responses={201: DocumentSerializer, **refused_responses(409, 415)},
    )
    def post(self, request, pk: int):
        application = selectors.application_get_for_employer(user=request.user, pk=pk)
        fields = form_data(request.POST, allowed=["kind", "file"])
        unknown = set(request.FILES) - {"file"}
        if unknown:
            raise FieldErrors({name: [_("There is no such field.")] for name in sorted(unknown)})
        form = DocumentUploadForm(fields, request.FILES)
        if not form.is_valid():
            raise_form_errors(form)
        uploaded = form.cleaned_data["file"]
        try:
            # The content is judged here first only to name the field it is wrong in; the
            # service judges it again, whichever door the file comes through.
            document_content_type(uploaded)
        except TransitionRefused as exc:
            raise FieldErrors({"file": [exc.message]}) from exc
        document = document_upload(
            application=application, user=request.user, uploaded_file=uploaded, kind=form.cleaned_data["kind"]
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)
