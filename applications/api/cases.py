"""/api/v1/applications/: drafts (create, add workers, the rule check, submit), a case's status
and decision, the decision letter. The same forms, services and history as the employer's pages:
each change is recorded with the key's maker as the actor."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from applications import selectors, services
from applications.api.authentication import CompanyKey
from applications.api.errors import refused_responses
from applications.api.input import form_data, raise_form_errors
from applications.api.serializers import (
    AddWorkerInputSerializer,
    ApplicationDetailSerializer,
    ApplicationSerializer,
    CaseWorkerSerializer,
    DraftInputSerializer,
    RuleCheckSerializer,
    SubmitInputSerializer,
)
from applications.api.workers import ApiPages
from applications.declarations import submission_declaration
from applications.forms.employer import AddWorkerForm, ApplicationDraftForm, SubmitForm
from applications.letters import decision_letter_filename
from applications.models import Application, CaseWorker
from applications.selectors.documents import decided_application_get_for_user, decision_letter_build
from applications.services.decision_letters import decision_letter_pdf
from applications.transitions import Actor, available_transitions
from applications.views.documents import content_disposition
from regions.rules import blocking_failures

DRAFT_INPUT_FIELDS = list(DraftInputSerializer().fields)


def _case(request, pk: int) -> Application:
    return selectors.application_get_for_employer(user=request.user, pk=pk)


def _detail(request, application: Application, *, code: int = status.HTTP_200_OK) -> Response:
    application = _case(request, application.pk)
    data = ApplicationDetailSerializer(application, context={"request": request}).data
    return Response(data, status=code)


class ApplicationList(GenericAPIView):
    permission_classes = [CompanyKey]
    serializer_class = ApplicationSerializer
    pagination_class = ApiPages

    @extend_schema(
        summary="The company's cases, newest first", operation_id="applications_list", responses=ApplicationSerializer(many=True)
    )
    def get(self, request):
        cases = selectors.application_list_for_employer(user=request.user).select_related("decision")
        page = self.paginate_queryset(cases)
        return self.get_paginated_response(ApplicationSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(summary="Start a draft", request=DraftInputSerializer, responses={201: ApplicationDetailSerializer})
    def post(self, request):
        form = ApplicationDraftForm(data=form_data(request.data, allowed=DRAFT_INPUT_FIELDS))
        if not form.is_valid():
            raise_form_errors(form)
        application = services.application_create_draft(
            employer=selectors.employer_for_user(request.user), user=request.user, **form.cleaned_data
        )
        return _detail(request, application, code=status.HTTP_201_CREATED)


class ApplicationDetail(GenericAPIView):
    permission_classes = [CompanyKey]
    serializer_class = ApplicationDetailSerializer

    @extend_schema(summary="A case: its status, workers and decision (with the letter's address)")
    def get(self, request, pk: int):
        return _detail(request, _case(request, pk))


class CaseWorkers(GenericAPIView):
    permission_classes = [CompanyKey]
    serializer_class = CaseWorkerSerializer

    @extend_schema(
        summary="Put a worker of the registry on a draft",
        request=AddWorkerInputSerializer,
        responses={201: CaseWorkerSerializer, **refused_responses(409)},
    )
    def post(self, request, pk: int):
        application = _case(request, pk)
        form = AddWorkerForm(
            data=form_data(request.data, allowed=list(AddWorkerInputSerializer().fields)),
            workers=selectors.worker_list_for_employer(user=request.user),
        )
        if not form.is_valid():
            raise_form_errors(form)
        services.application_add_worker(
            application=application,
            user=request.user,
            worker=form.cleaned_data["worker"],
            pcr_test_taken_at=form.cleaned_data["pcr_test_taken_at"],
            pcr_test_zone=form.cleaned_data["pcr_test_zone"],
        )
        line = CaseWorker.objects.get(application=application, worker=form.cleaned_data["worker"])
        return Response(CaseWorkerSerializer(line).data, status=status.HTTP_201_CREATED)


class ApplicationRuleCheck(GenericAPIView):
    permission_classes = [CompanyKey]
    serializer_class = RuleCheckSerializer

    @extend_schema(summary="The region's rules checked against the case as saved")
    def get(self, request, pk: int):
        application = _case(request, pk)
        rule_set, checks = selectors.case_rule_check(application)
        data = {
            "rule_version": rule_set.pk if rule_set else None,
            "can_submit": not blocking_failures(checks) and application.lines.exists(),
            "checks": checks,
        }
        return Response(RuleCheckSerializer(data).data)


class ApplicationSubmit(GenericAPIView):
    permission_classes = [CompanyKey]
    serializer_class = ApplicationDetailSerializer

    @extend_schema(
        summary="Submit a draft with the employer's declaration",
        request=SubmitInputSerializer,
        responses={200: ApplicationDetailSerializer, **refused_responses(409)},
    )
    def post(self, request, pk: int):
        application = _case(request, pk)
        if "submit" not in {transition.name for transition in available_transitions(application, Actor.EMPLOYER)}:
            return Response(
                {
                    "detail": _("Application %(reference)s is “%(status)s”: it cannot be submitted.")
                    % {
                        "reference": application.reference,
                        "status": application.get_status_display(),
                    }
                },
                status=status.HTTP_409_CONFLICT,
            )
        declaration = submission_declaration(application, workers=application.lines.count())
        form = SubmitForm(data=form_data(request.data, allowed=["version", "declaration"]), declaration_text=declaration)
        if not form.is_valid():
            raise_form_errors(form)
        services.application_submit(
            application=application, user=request.user, expected_version=form.cleaned_data["version"], declaration=declaration
        )
        return _detail(request, application)


class ApplicationLetter(GenericAPIView):
    permission_classes = [CompanyKey]

    @extend_schema(
        summary="The decision letter (PDF)",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            202: OpenApiResponse(description="The letter is still being built."),
        },
    )
    def get(self, request, pk: int):
        application = decided_application_get_for_user(user=request.user, pk=pk)
        build = decision_letter_build(decision=application.decision)
        if build is not None and not build.is_ready:
            return Response({"detail": _("The letter is being built: ask again in a minute.")}, status=status.HTTP_202_ACCEPTED)
        response = HttpResponse(decision_letter_pdf(application.decision), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition(decision_letter_filename(application), as_attachment=True)
        response["Cache-Control"] = "private, no-store"
        return response
