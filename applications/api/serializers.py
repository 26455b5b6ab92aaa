"""What the API returns, and the shape of what it takes (for the OpenAPI schema). The input is
validated by the web pages' forms (applications/api/input.py), not by these serializers."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from applications.models import Application, CaseWorker, Document, DocumentKind, Worker
from applications.services.workers import WORKER_FIELDS


class WorkerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Worker
        fields = ["id", *WORKER_FIELDS]


class WorkerInputSerializer(serializers.ModelSerializer):
    """A worker as the registry's form takes it: dates as YYYY-MM-DD, citizenship as ISO 3166-1 alpha-2."""

    class Meta:
        model = Worker
        fields = list(WORKER_FIELDS)


class WorkerBulkInputSerializer(serializers.Serializer):
    workers = WorkerInputSerializer(many=True)


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The worker's place in the list sent, from 1.")
    field = serializers.CharField()
    message = serializers.CharField()


class WorkerBulkReportSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    workers = WorkerSerializer(many=True, required=False)
    errors = RowErrorSerializer(many=True, required=False)
    unreported_rows = serializers.IntegerField(required=False)


class DraftInputSerializer(serializers.Serializer):
    """The draft form's fields. `checkpoint` is a checkpoint's id or "other" (then name the crossing
    in `border_crossing_point` and give its region's id in `border_region`)."""

    region = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Application._meta.get_field("kind").choices)
    project_name = serializers.CharField()
    activity_okved = serializers.CharField(required=False)
    planned_arrival_date = serializers.DateField()
    planned_arrival_time = serializers.TimeField(format="%H:%M")
    checkpoint = serializers.CharField()
    border_crossing_point = serializers.CharField(required=False)
    border_region = serializers.IntegerField(required=False)
    transport_to_isolation = serializers.BooleanField(required=False)
    isolation_address = serializers.CharField(required=False)
    isolation_days = serializers.IntegerField()
    insurance_policy = serializers.CharField(required=False)
    charter_transport_agreed = serializers.BooleanField(required=False)
    vaccination_booked = serializers.BooleanField(required=False)


class AddWorkerInputSerializer(serializers.Serializer):
    worker = serializers.IntegerField(help_text="The id of a worker of your registry.")
    pcr_test_taken_at = serializers.CharField(required=False, help_text="YYYY-MM-DDTHH:MM, as printed on the certificate.")
    pcr_test_zone = serializers.CharField(required=False, help_text="An IANA time zone; by default the citizenship's usual one.")


class SubmitInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The case's version as last read: a change made meanwhile is refused.")
    declaration = serializers.BooleanField(help_text="true: the employer gives the guarantees of the declaration.")


class CheckSerializer(serializers.Serializer):
    code = serializers.CharField()
    passed = serializers.BooleanField()
    blocking = serializers.BooleanField()
    line_id = serializers.IntegerField(allow_null=True)
    message = serializers.CharField(source="text")


class RuleCheckSerializer(serializers.Serializer):
    rule_version = serializers.IntegerField(allow_null=True)
    can_submit = serializers.BooleanField()
    checks = CheckSerializer(many=True)


class CaseWorkerSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseWorker
        fields = ["id", "worker", "pcr_test_taken_at", "pcr_test_zone", "outcome", "refusal_reason", "refusal_note"]


class DocumentSerializer(serializers.ModelSerializer):
    original_name = serializers.CharField(help_text="The file's name as sent, made safe to show.")
    content_type = serializers.CharField(help_text="The type judged from the file's content, not its name.")

    class Meta:
        model = Document
        fields = ["id", "kind", "original_name", "content_type", "size", "uploaded_at"]


class DocumentUploadInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField(
        help_text="PDF, JPEG or PNG (judged by its content), at most 10 MB; a passport copy or a PCR certificate at most 5 MB."
    )


class ArrivalSerializer(serializers.ModelSerializer):
    """An approved worker's arrival as reported; `arrived_on` is the day on the clocks of the point of arrival."""

    class Meta:
        model = CaseWorker
        fields = [
            "id",
            "worker",
            "arrived_at",
            "arrived_on",
            "isolation_started_on",
            "isolation_ended_on",
            "arrival_test_taken_at",
        ]


class ArrivalInputSerializer(serializers.Serializer):
    """One worker's report. A field left out keeps what is stored; null clears it."""

    worker = serializers.IntegerField(help_text="The id of an approved worker of the case (the registry's id).")
    arrived_at = serializers.CharField(
        required=False, allow_null=True, help_text="YYYY-MM-DDTHH:MM on the clocks of `zone`: when the worker arrived."
    )
    zone = serializers.CharField(
        required=False, help_text="An IANA time zone for the times of the row; by default the zone of the point of arrival."
    )
    isolation_started_on = serializers.DateField(required=False, allow_null=True)
    isolation_ended_on = serializers.DateField(required=False, allow_null=True)
    arrival_test_taken_at = serializers.CharField(
        required=False,
        allow_null=True,
        help_text="YYYY-MM-DDTHH:MM on the clocks of `zone`: the PCR test after arrival, where the region's rules ask for one.",
    )


class ArrivalReportInputSerializer(serializers.Serializer):
    arrivals = ArrivalInputSerializer(many=True)


class ArrivalReportSerializer(serializers.Serializer):
    recorded = serializers.IntegerField(help_text="How many workers' reports changed.")
    warnings = serializers.ListField(child=serializers.CharField(), required=False)
    workers = ArrivalSerializer(many=True, required=False)
    errors = RowErrorSerializer(many=True, required=False)
    unreported_rows = serializers.IntegerField(required=False)


class DecisionSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    decided_at = serializers.DateTimeField()
    reason = serializers.CharField()
    verification_code = serializers.CharField()
    letter_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField())
    def get_letter_url(self, decision) -> str:
        request = self.context["request"]
        return request.build_absolute_uri(reverse("api:application-letter", args=[decision.application_id]))


class ApplicationSerializer(serializers.ModelSerializer):
    decision = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "reference",
            "status",
            "version",
            "region",
            "kind",
            "project_name",
            "activity_okved",
            "planned_arrival_at",
            "checkpoint",
            "border_crossing_point",
            "border_region",
            "transport_to_isolation",
            "isolation_address",
            "isolation_days",
            "insurance_policy",
            "charter_transport_agreed",
            "vaccination_booked",
            "deadline",
            "created_at",
            "submitted_at",
            "decided_at",
            "decision",
        ]

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision(self, application):
        decision = getattr(application, "decision", None)
        return DecisionSerializer(decision, context=self.context).data if decision is not None else None


class ApplicationDetailSerializer(ApplicationSerializer):
    workers = CaseWorkerSerializer(many=True, source="lines")

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "workers"]


class BorderWorkerSerializer(serializers.Serializer):
    surname_latin = serializers.CharField()
    given_names_latin = serializers.CharField()
    date_of_birth = serializers.DateField()
    citizenship = serializers.CharField()
    passport_number = serializers.CharField()
    reference = serializers.CharField(source="decision.case_particulars.reference")
    planned_arrival_date = serializers.DateField(source="arrival_date")
    checkpoint = serializers.CharField(source="checkpoint_code", help_text="The checkpoint's code; empty for another crossing.")
    crossing = serializers.CharField(source="decision.case_particulars.crossing.label_ru")
    region = serializers.IntegerField(source="region_number")


class BorderPageSerializer(serializers.Serializer):
    results = BorderWorkerSerializer(many=True)
    next_cursor = serializers.CharField(allow_null=True)
