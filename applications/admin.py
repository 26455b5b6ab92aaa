"""Admin for employers, workers and cases.

Cases, their history and decisions are read-only here: every change of a case goes through
applications/services.py (one transaction, the row locked, a history row appended), and the
database refuses to update or delete history and decisions anyway. Admins see, they do not edit.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from applications.admin_read_only import ReadOnlyAdminMixin
from applications.models import (
    Application,
    CaseWorker,
    Charter,
    CharterEvent,
    CharterMember,
    Decision,
    DecisionOverride,
    Document,
    Employer,
    EmployerEvent,
    EmployerFigures,
    EmployerMember,
    StatusChange,
    Worker,
    WorkerEarlierPermit,
)
from applications.services import TransitionRefused, employer_verify
from applications.services.workers import (
    LOCKED_FIELDS,
    WorkerIdentityLocked,
    ensure_identity_may_change,
    identity_lock_references,
    worker_update_by_staff,
)
from applications.transitions import TRANSITIONS
from regions.countries import country_name
from regions.templatetags.rule_checks import check_text
from regions.time_zones import in_zone

# Employers and workers


class VerifiedFilter(admin.SimpleListFilter):
    title = _("verified")
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return (("yes", _("Yes")), ("no", _("No")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(verified_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(verified_at__isnull=True)
        return queryset


class EmployerMemberInline(admin.TabularInline):
    model = EmployerMember
    fields = ("user", "joined_at")
    readonly_fields = ("joined_at",)
    autocomplete_fields = ("user",)
    extra = 0


class EmployerFiguresInline(admin.TabularInline):
    """The figures history, read-only: the database refuses to rewrite it, and a new statement
    comes with its evidence from the company page."""

    model = EmployerFigures
    fields = ("year", "annual_revenue_rub", "average_headcount", "evidence_name", "recorded_at", "recorded_by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class EmployerEventInline(admin.TabularInline):
    """The company's history, read-only: the database refuses to rewrite it."""

    model = EmployerEvent
    fields = ("at", "action", "from_state", "to_state", "actor", "reason", "changes")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ("name", "inn", "ogrn", "region", "is_verified", "members_count")
    list_select_related = ("region",)
    list_filter = ("region__federal_district", VerifiedFilter)
    search_fields = ("name", "=inn", "=ogrn")
    autocomplete_fields = ("region", "group_head")
    # Verification is stamped by the "Verify" action (the service), never typed in.
    # The figures follow the newest statement of the history (shown below), never typed in here.
    readonly_fields = (
        "verified_at", "verified_by", "refused_at", "refusal_reason", "created_at", "annual_revenue_rub", "average_headcount",
    )
    inlines = (EmployerMemberInline, EmployerFiguresInline, EmployerEventInline)
    actions = ("verify",)
    ordering = ("name",)  # Meta.ordering does not apply to the GROUP BY query the members count makes
    fieldsets = (
        (None, {"fields": ("name", "kind", "inn", "ogrn", "legal_address", "region", "phone", "language")}),
        (_("Eligibility"), {"fields": ("main_activity_okved", "annual_revenue_rub", "average_headcount", "group_head")}),
        (_("Verification"), {"fields": ("verified_at", "verified_by", "refused_at", "refusal_reason", "created_at")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(members_count=Count("members"))

    @admin.display(description=_("verified"), boolean=True, ordering="verified_at")
    def is_verified(self, employer):
        return employer.is_verified

    @admin.display(description=_("members"), ordering="members_count")
    def members_count(self, employer):
        return employer.members_count

    @admin.action(description=_("Verify selected companies"), permissions=["change"])
    def verify(self, request, queryset):
        verified = 0
        for employer in queryset:
            try:
                employer_verify(employer=employer, user=request.user)
            except TransitionRefused as refusal:
                self.message_user(request, f"{employer}: {refusal.message}", messages.ERROR)
                continue
            verified += 1
        if verified:
            self.message_user(
                request,
                ngettext("%(count)d company is verified.", "%(count)d companies are verified.", verified)
                % {"count": verified},
                messages.SUCCESS,
            )


class CitizenshipFilter(admin.SimpleListFilter):
    """Only the citizenships present in the registry, by name: the full list has 249 countries."""

    title = _("citizenship")
    parameter_name = "citizenship"

    def lookups(self, request, model_admin):
        codes = Worker.objects.order_by().values_list("citizenship", flat=True).distinct()
        return sorted(((code, country_name(code)) for code in codes), key=lambda choice: choice[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(citizenship=self.value())
        return queryset


class WorkerEarlierPermitInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The worker's declared permits and patents, as the employer entered them; the scan opens
    through the portal's page, which checks who is asking (staff may)."""

    model = WorkerEarlierPermit
    fields = ("kind", "number", "issued_on", "region", "scan_link", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("region", "uploaded_by")

    @admin.display(description=_("scan"))
    def scan_link(self, permit):
        if not permit.has_scan:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("applications:earlier-permit-scan", args=[permit.pk]), permit.scan_name)


class WorkerAdminForm(forms.ModelForm):
    def _get_validation_exclusions(self):
        # The person's key is no field of the form, so Django would skip the registry's "one
        # person once" constraint on it (and the database would refuse the row with an error
        # page); the key is computed from the passport number the form does hold.
        return super()._get_validation_exclusions() - {"passport_key"}

    def clean(self):
        cleaned_data = super().clean()
        # The registry's own check: the instance is still the row as stored until _post_clean.
        if self.instance.pk is not None:
            try:
                ensure_identity_may_change(self.instance, self._identity_as_posted())
            except WorkerIdentityLocked as refusal:
                self.add_error(None, refusal.message)
        return cleaned_data

    def _identity_as_posted(self) -> dict:
        """The identity this POST gives: from the form's fields while they are fields; once the
        page shows them read-only they are no fields, so a value posted anyway is read as typed,
        and anything but the stored value is an attempt to change it."""
        values = {}
        for name in LOCKED_FIELDS:
            if name in self.fields:
                if name in self.cleaned_data:
                    values[name] = self.cleaned_data[name]
            elif name in self.data:
                field = Worker._meta.get_field(name).formfield()
                try:
                    values[name] = field.clean(self.data[name])
                except ValidationError:
                    values[name] = self.data[name]
        return values


@admin.register(Worker)
class WorkerAdmin(admin.ModelAdmin):
    form = WorkerAdminForm
    list_display = (
        "surname_latin", "given_names_latin", "citizenship_name", "passport_number", "passport_expiry", "occupation", "employer",
    )
    list_select_related = ("employer",)
    list_filter = (CitizenshipFilter,)
    search_fields = (
        "surname_latin", "given_names_latin", "surname_cyrillic", "given_names_cyrillic", "=passport_number",
    )
    autocomplete_fields = ("employer",)
    readonly_fields = ("created_at",)
    inlines = (WorkerEarlierPermitInline,)

    # The model's choices name countries in English; this names them in the admin's language.
    @admin.display(description=_("citizenship"), ordering="citizenship")
    def citizenship_name(self, worker):
        return country_name(worker.citizenship)

    # The identity lock of the registry holds here too (services/workers.py): shown read-only
    # while a case under review or approved lists the worker, refused by the form's check if
    # posted anyway, and checked again by the service that saves, with the row locked.

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and _locking_references(obj):
            return (*self.readonly_fields, *LOCKED_FIELDS)
        return self.readonly_fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None and (references := _locking_references(obj)):
                self.message_user(request, WorkerIdentityLocked.describe(references), messages.INFO)
        return super().change_view(request, object_id, form_url, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except TransitionRefused as refusal:
            # The save's own check (or the database's) saw a case submitted after the form was
            # validated; the transaction is rolled back, nothing of the POST is kept.
            self.message_user(request, refusal.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        worker_update_by_staff(
            worker=obj, user=request.user, fields={name: form.cleaned_data[name] for name in form.changed_data}
        )


def _locking_references(worker: Worker) -> list[str]:
    """Read once per page: the admin asks for the read-only fields several times."""
    if not hasattr(worker, "_locking_references"):
        worker._locking_references = identity_lock_references(worker)
    return worker._locking_references


# Cases: read-only


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False


class CaseWorkerInline(ReadOnlyInline):
    model = CaseWorker
    fields = ("worker", "citizenship", "passport_number", "pcr_test_as_printed", "outcome", "refusal_reason", "refusal_note")
    readonly_fields = fields

    def get_queryset(self, request):
        # The row's title (str of the line) names the case's reference, so the case comes along too.
        return super().get_queryset(request).select_related("worker", "application")

    @admin.display(description=_("citizenship"))
    def citizenship(self, line):
        return country_name(line.worker.citizenship)

    @admin.display(description=_("PCR test taken at"))
    def pcr_test_as_printed(self, line):
        return in_zone(line.pcr_test_taken_at, line.pcr_test_zone_info) or "—"

    @admin.display(description=_("passport number"))
    def passport_number(self, line):
        return line.worker.passport_number


class DocumentInline(ReadOnlyInline):
    # No link to the file: documents hold passport data and there is deliberately no public media
    # route; they are opened through the portal's pages, which check who is asking.
    model = Document
    fields = ("kind", "original_name", "content_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = ("at", "from_status", "to_status", "action", "actor", "message", "reply_due")
    readonly_fields = fields
    verbose_name_plural = _("status history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    # The row stores the transition's code ("approve"): the admin shows its label, then the code.
    @admin.display(description=_("action"))
    def action(self, change):
        transition = TRANSITIONS.get(change.transition)
        return f"{transition.label} ({change.transition})" if transition else change.transition


def _checks_as_list(decision: Decision):
    if not decision.checks:
        return "—"
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li>{} {}{}</li>",
            (
                (
                    "✔" if check.get("passed") else "✘",
                    check_text(check),
                    "" if check.get("passed") or not check.get("blocking") else gettext(" (blocking)"),
                )
                for check in decision.checks
            ),
        ),
    )


class DecisionInline(ReadOnlyAdminMixin, admin.StackedInline):
    model = Decision
    fields = ("outcome", "rule_set", "reason", "decided_by", "decided_at", "rule_check")
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("decision")  # one per case at most

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("application", "rule_set__region", "decided_by")

    @admin.display(description=_("rule check as it stood"))
    def rule_check(self, decision):
        return _checks_as_list(decision)


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("reference", "employer", "region", "status", "planned_arrival_date", "deadline", "submitted_at")
    list_select_related = ("employer", "region")
    list_filter = ("status", "kind", "region__federal_district")
    search_fields = ("reference", "employer__name", "=employer__inn")
    # The table grows to millions of rows: skip the COUNT(*) of the unfiltered table on every page.
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("reference", "employer", "region", "kind", "project_name", "activity_okved")}),
        (_("Arrival"), {"fields": ("planned_arrival_local", "crossing_point")}),
        (
            _("Guarantees"),
            {
                "fields": (
                    "transport_to_isolation", "isolation_address", "isolation_days", "insurance_policy",
                    "charter_transport_agreed", "vaccination_booked",
                )
            },
        ),
        (
            _("Status"),
            {
                "fields": (
                    "status", "deadline", "assigned_officer", "created_by", "created_at", "submitted_at", "decided_at",
                    "updated_at", "version", "decision_days_left", "reply_due",
                )
            },
        ),
    )
    inlines = (CaseWorkerInline, DocumentInline, StatusChangeInline, DecisionInline)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(
            "employer", "region", "assigned_officer", "created_by", "checkpoint__region", "border_region"
        )

    @admin.display(description=_("border crossing point"))
    def crossing_point(self, application):
        return application.crossing_point_label

    @admin.display(description=_("Planned arrival"))
    def planned_arrival_local(self, application):
        return in_zone(application.planned_arrival_at, application.arrival_zone)

    def get_readonly_fields(self, request, obj=None):
        # Status changes are made by the services only, so every field is shown, none is a form field.
        return [field for fieldset in self.fieldsets for field in fieldset[1]["fields"]]


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("application", "at", "from_status", "to_status", "transition", "actor")
    list_select_related = ("application", "actor")
    list_filter = ("to_status", "transition")
    search_fields = ("=application__reference",)
    show_full_result_count = False


class DecisionOverrideInline(ReadOnlyInline):
    """The approvals against a failing check kept with the decision."""

    model = DecisionOverride
    fields = ("worker_name", "overridden_checks", "justification")
    readonly_fields = fields

    @admin.display(description=_("failing checks overridden"))
    def overridden_checks(self, override):
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((check_text(check),) for check in override.failed_checks)))


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("application", "outcome", "rule_set", "decided_by", "decided_at")
    list_select_related = ("application", "rule_set__region", "decided_by")
    list_filter = ("outcome",)
    search_fields = ("=application__reference",)
    show_full_result_count = False
    fields = ("application", "outcome", "rule_set", "reason", "decided_by", "decided_at", "rule_check")
    readonly_fields = fields
    inlines = (DecisionOverrideInline,)

    @admin.display(description=_("rule check as it stood"))
    def rule_check(self, decision):
        return _checks_as_list(decision)


# Charters: read-mostly, changed only by the companies and officers through services/charters.py.


class CharterMemberInline(ReadOnlyInline):
    model = CharterMember
    fields = ("employer", "state", "invited_by", "invited_at", "answered_by", "answered_at")
    readonly_fields = fields


class CharterEventInline(ReadOnlyInline):
    model = CharterEvent
    fields = ("at", "action", "application", "actor")
    readonly_fields = fields


@admin.register(Charter)
class CharterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("reference", "transport_kind", "transport_number", "arrival_date", "checkpoint", "region", "organiser")
    list_select_related = ("checkpoint__region", "region", "organiser")
    list_filter = ("transport_kind", "region__federal_district", "arrival_date")
    search_fields = ("=reference", "transport_number", "organiser__name", "=organiser__inn")
    date_hierarchy = "arrival_date"
    inlines = (CharterMemberInline, CharterEventInline)


@admin.register(CharterMember)
class CharterMemberAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("charter", "employer", "state", "invited_at", "answered_at")
    list_select_related = ("charter", "employer")
    list_filter = ("state",)
    search_fields = ("=charter__reference", "employer__name", "=employer__inn")


# The API keys' and the retention job's pages live in modules of their own.
from applications import admin_api_keys, retention_admin  # noqa: E402, F401
