"""Admin for regions and their rule versions.

A rule version in force (or past) is shown read-only and cannot be deleted: decisions refer to
the rules as they stood. A change to a region's rules is a new version, most easily made with the
"Copy as a new draft version" action.
"""

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from applications.tasks import recheck_region_after_rule_change
from regions.models import Checkpoint, CitizenshipPolicy, EligibilityThreshold, Region, RuleSet
from regions.services import rule_set_copy_as_draft


def _short_date(value: dt.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


class RuleSetInline(admin.TabularInline):
    """The region's versions at a glance; each is opened (and, if still a draft, edited) on its own page."""

    model = RuleSet
    fields = ("effective_from", "intake_open", "kinds_accepted", "monthly_worker_quota")
    readonly_fields = fields
    ordering = ("-effective_from",)
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("number", "name_ru", "name_en", "iso_code", "federal_district", "rule_versions")
    list_display_links = ("number", "name_ru")
    list_filter = ("federal_district",)
    # "number__exact" compares the number as text, so typing "77" finds Moscow and "Моск" does no harm.
    search_fields = ("name_ru", "name_en", "number__exact", "iso_code")
    readonly_fields = ("rule_versions",)
    inlines = (RuleSetInline,)
    list_per_page = 100  # all 85 regions on one page
    # Explicit, because Meta.ordering does not apply to the GROUP BY query the count makes
    # (and the autocomplete of the region field pages through this queryset).
    ordering = ("number",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(rule_version_count=Count("rule_sets"))

    def has_delete_permission(self, request, obj=None):
        # The 85 federal subjects are reference data loaded by a migration; rules and cases refer to them.
        return False

    @admin.display(description=_("rule versions"), ordering="rule_version_count")
    def rule_versions(self, region):
        if region.pk is None:
            return "—"
        changelist = reverse("admin:regions_ruleset_changelist") + f"?region__id__exact={region.pk}"
        add = reverse("admin:regions_ruleset_add") + f"?region={region.pk}"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            changelist, region.rule_version_count, add, gettext("add a version"),
        )


class RuleSetForm(forms.ModelForm):
    class Meta:
        model = RuleSet
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("citizenships", "closed_activities"):
            if name in self.fields:
                field = self.fields[name]
                field.help_text = format_html("{} {}", field.help_text, gettext("Separate several with commas."))

    def clean(self):
        cleaned = super().clean()
        # Repeats the database constraint ruleset_citizenship_list_given with a message next to the field.
        policy = cleaned.get("citizenship_policy")
        if policy and policy != CitizenshipPolicy.ALL and "citizenships" in cleaned and not cleaned["citizenships"]:
            self.add_error("citizenships", _("List the citizenships this policy refers to."))
        return cleaned


def _decided_on(rule_set: RuleSet) -> bool:
    return rule_set.decisions.exists()


def _kept_as_it_is(rule_set: RuleSet) -> bool:
    """A version in force, or one a decision applied: a case is judged on the version in force on
    its planned arrival, so a draft dated ahead can be applied before it takes effect, and its
    letter prints its legal basis; editing the draft would rewrite decided cases' letters."""
    return not rule_set.is_editable() or _decided_on(rule_set)


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    form = RuleSetForm
    list_display = (
        "region", "effective_from", "state", "intake_open", "kinds_accepted", "isolation_days", "pcr_test_timing", "pcr_max_age_hours",
        "monthly_worker_quota",
    )
    list_select_related = ("region",)
    list_filter = ("region__federal_district", "intake_open", "kinds_accepted", "pcr_test_timing")
    date_hierarchy = "effective_from"
    search_fields = ("region__name_ru", "region__name_en", "region__number__exact")
    autocomplete_fields = ("region",)
    actions = ("copy_as_draft",)
    fieldsets = (
        (_("Intake"), {"fields": ("region", "effective_from", "intake_open", "kinds_accepted", "days_to_decide", "days_to_answer")}),
        (_("Isolation"), {"fields": ("isolation_days", "isolation_until_test_result", "isolation_housing_required")}),
        (_("PCR test"), {"fields": ("pcr_test_timing", "pcr_max_age_hours")}),
        (_("Guarantees"), {"fields": ("insurance_required", "vaccination_required", "charter_transport_required")}),
        (_("Limits"), {"fields": ("max_workers_per_application", "monthly_worker_quota")}),
        (_("Citizenships and activities"), {"fields": ("citizenship_policy", "citizenships", "closed_activities")}),
        (
            _("Legal basis"),
            {
                "fields": ("legal_basis_type", "legal_basis_body", "legal_basis_date", "legal_basis_number", "notes"),
                "description": _("The act as it is cited: type, issuing body, date and number, e.g. постановление "
                                 "Губернатора Московской области от 12.03.2020 № 108-ПГ."),
            },
        ),
    )
    record_fieldset = (_("Record"), {"fields": ("created_at", "created_by"), "classes": ("collapse",)})

    def get_queryset(self, request):
        # The start of the next version tells whether a version is still in force: one subquery
        # for the whole page rather than a query per row.
        next_version = RuleSet.objects.filter(
            region_id=OuterRef("region_id"), effective_from__gt=OuterRef("effective_from")
        ).order_by("effective_from").values("effective_from")[:1]
        return super().get_queryset(request).annotate(next_effective_from=Subquery(next_version))

    @admin.display(description=_("state"))
    def state(self, rule_set):
        today = timezone.localdate()
        if rule_set.effective_from > today:
            return gettext("Draft")
        if rule_set.next_effective_from is None or rule_set.next_effective_from > today:
            return gettext("In force")
        return gettext("Superseded")

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets
        (title, options), *rest = self.fieldsets
        if obj.is_editable() and _decided_on(obj):
            options = {
                **options,
                "description": gettext(
                    "Decisions have been made on this version, so it is kept as it is. To change the rules, "
                    "select it in the list and use “Copy as a new draft version”."
                ),
            }
        elif not obj.is_editable():
            options = {
                **options,
                "description": gettext(
                    "This version took effect on %(date)s, so it is kept as it is. To change the rules, "
                    "select it in the list and use “Copy as a new draft version”."
                ) % {"date": _short_date(obj.effective_from)},
            }
        return ((title, options), *rest, self.record_fieldset)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if _kept_as_it_is(obj):
            return flatten_fieldsets(self.get_fieldsets(request, obj))
        # A draft stays with its region; only the record of who made it is never typed in.
        return ("region", "created_at", "created_by")

    def has_delete_permission(self, request, obj=None):
        if obj is not None and _kept_as_it_is(obj):
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and _kept_as_it_is(obj):
            if request.method == "POST":
                # With every field read-only the form would "save" nothing and still report
                # success; say plainly that nothing changed instead.
                text = (
                    gettext("“%(version)s” is in force and was not changed.") if not obj.is_editable()
                    else gettext("Decisions have been made on “%(version)s”; it was not changed.")
                )
                self.message_user(request, text % {"version": obj}, messages.WARNING)
                return HttpResponseRedirect(request.path)
            extra_context = {
                **(extra_context or {}),
                "show_save": False,
                "show_save_and_continue": False,
                "show_save_and_add_another": False,
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        self._recheck_pending_cases(request, [obj.region])

    def _recheck_pending_cases(self, request, regions):
        """A rule change can make waiting cases fail: flag them for the queue and say how many.
        With a task worker the re-check runs in the background and the count is not known yet."""
        for region in {region.pk: region for region in regions}.values():
            recheck = recheck_region_after_rule_change(region_id=region.pk)
            failing = recheck.failing
            if recheck.queued:
                self.message_user(
                    request,
                    gettext("Re-checking pending cases of %(region)s in the background.") % {"region": region},
                    messages.INFO,
                )
            elif failing is None:
                self.message_user(
                    request,
                    gettext("The pending cases of %(region)s could not be re-checked; the error is in the log.")
                    % {"region": region},
                    messages.ERROR,
                )
            elif failing:  # nothing to say when every waiting case still passes
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d pending case of %(region)s now fails a blocking check.",
                        "%(count)d pending cases of %(region)s now fail a blocking check.",
                        failing,
                    ) % {"count": failing, "region": region},
                    messages.WARNING,
                )

    @admin.action(description=_("Copy as a new draft version"), permissions=["add"])
    def copy_as_draft(self, request, queryset):
        copied_regions = []
        for rule_set in queryset.select_related("region").order_by("region__number", "effective_from"):
            try:
                draft = rule_set_copy_as_draft(rule_set=rule_set, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{rule_set}: {' '.join(_messages_of(error))}", messages.ERROR)
                continue
            copied_regions.append(rule_set.region)
            url = reverse("admin:regions_ruleset_change", args=[draft.pk])
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    gettext("Created a draft version, in force from %(date)s if left as it is:")
                    % {"date": _short_date(draft.effective_from)},
                    url,
                    draft,
                ),
                messages.SUCCESS,
            )
        self._recheck_pending_cases(request, copied_regions)


def _messages_of(error: Exception) -> list[str]:
    return list(error.messages) if isinstance(error, ValidationError) else [str(error)]


@admin.register(EligibilityThreshold)
class EligibilityThresholdAdmin(admin.ModelAdmin):
    list_display = ("effective_from", "min_annual_revenue_rub", "min_average_headcount", "legal_basis")
    date_hierarchy = "effective_from"


@admin.register(Checkpoint)
class CheckpointAdmin(admin.ModelAdmin):
    """Reference data from regions/data/checkpoints.csv. A checkpoint that closes is made
    inactive, not deleted: the cases that named it keep it (and the database protects them)."""

    list_display = ("code", "name_ru", "name_en", "kind", "region", "active")
    list_display_links = ("code", "name_ru")
    list_filter = ("kind", "active", "region__federal_district")
    list_select_related = ("region",)
    search_fields = ("code", "name_ru", "name_en", "region__name_ru", "region__name_en", "region__number__exact")
    autocomplete_fields = ("region",)
    ordering = ("region__number", "kind", "name_en")
    list_per_page = 100

    def has_delete_permission(self, request, obj=None):
        return False
