"""Admin for regions and their rule versions.

A version is a draft until an admin with the "publish" permission publishes it from its page
(a confirmation names the region and the date it takes effect); a draft applies to no case. A
frozen version (published, or cited by a decision or a submitted case's check:
RuleSet.frozen_reason) is shown read-only and cannot be deleted: decisions refer to the rules as
they stood. Every write goes through regions.services, which refuses a frozen one. A change to a
region's rules is a new version, most easily made with the "Copy as a new draft version" action.
"""

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from applications.selectors.rule_versions import pending_cases_under_rule_version
from regions.models import Checkpoint, CitizenshipPolicy, EligibilityThreshold, Region, RuleSet
from regions.services import (
    Publication,
    RuleVersionFrozen,
    rule_set_copy_as_draft,
    rule_set_delete,
    rule_set_publish,
    rule_set_save,
)


def _short_date(value: dt.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


class RuleSetInline(admin.TabularInline):
    """The region's versions at a glance; each is opened (and, if still a draft, edited) on its own page."""

    model = RuleSet
    fields = ("effective_from", "published_at", "intake_open", "kinds_accepted", "monthly_worker_quota")
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


def _frozen_reason(rule_set: RuleSet | None) -> str | None:
    """Why the stored version can no longer change (RuleSet.frozen_reason), asked once per request
    and object: the form, the buttons and the delete link all need it."""
    if rule_set is None or rule_set.pk is None:
        return None
    if not hasattr(rule_set, "_frozen_reason"):
        rule_set._frozen_reason = rule_set.frozen_reason()
    return rule_set._frozen_reason


class PublishedFilter(admin.SimpleListFilter):
    title = _("publication")
    parameter_name = "published"

    def lookups(self, request, model_admin):
        return (("no", _("Drafts")), ("yes", _("Published")))

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(published_at__isnull=self.value() == "no")
        return queryset


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    form = RuleSetForm
    change_form_template = "admin/regions/ruleset/change_form.html"
    list_display = (
        "region", "effective_from", "state", "intake_open", "kinds_accepted", "isolation_days", "pcr_test_timing", "pcr_max_age_hours",
        "monthly_worker_quota",
    )
    list_select_related = ("region",)
    list_filter = (PublishedFilter, "region__federal_district", "intake_open", "kinds_accepted", "pcr_test_timing")
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
    record_fieldset = (
        _("Record"), {"fields": ("created_at", "created_by", "published_at", "published_by"), "classes": ("collapse",)}
    )

    def get_queryset(self, request):
        # The start of the next published version tells whether a version is still in force: one
        # subquery for the whole page rather than a query per row.
        next_version = RuleSet.objects.published().filter(
            region_id=OuterRef("region_id"), effective_from__gt=OuterRef("effective_from")
        ).order_by("effective_from").values("effective_from")[:1]
        return super().get_queryset(request).annotate(next_effective_from=Subquery(next_version))

    @admin.display(description=_("state"))
    def state(self, rule_set):
        if not rule_set.is_published:
            return gettext("Draft, not published")
        today = timezone.localdate()
        if rule_set.effective_from > today:
            return gettext("Published, not yet in force")
        if rule_set.next_effective_from is None or rule_set.next_effective_from > today:
            return gettext("In force")
        return gettext("Superseded")

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets
        (title, options), *rest = self.fieldsets
        if reason := _frozen_reason(obj):
            description = gettext(
                "%(reason)s It is kept as it is. To change the rules, select it in the list and use "
                "“Copy as a new draft version”."
            ) % {"reason": reason}
        else:
            description = gettext(
                "This version is a draft: it applies to no case, even after its start date, until it is published."
            )
        return ((title, {**options, "description": description}), *rest, self.record_fieldset)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if _frozen_reason(obj):
            return flatten_fieldsets(self.get_fieldsets(request, obj))
        # A draft stays with its region; only the record of who made and published it is never typed in.
        return ("region", "created_at", "created_by", "published_at", "published_by")

    def has_delete_permission(self, request, obj=None):
        if obj is not None and _frozen_reason(obj):
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if (reason := _frozen_reason(obj)) is not None:
            if request.method == "POST":
                # With every field read-only the form would "save" nothing and still report
                # success; say plainly that nothing changed instead.
                self._refused(request, obj, reason)
                return HttpResponseRedirect(request.path)
            extra_context = {
                **(extra_context or {}),
                "show_save": False,
                "show_save_and_continue": False,
                "show_save_and_add_another": False,
            }
        elif obj is not None and not obj.is_published and self.has_publish_permission(request):
            extra_context = {**(extra_context or {}), "publish_url": reverse("admin:regions_ruleset_publish", args=[obj.pk])}
        return super().change_view(request, object_id, form_url, extra_context)

    def _refused(self, request, obj, reason: str) -> None:
        self.message_user(
            request, gettext("“%(version)s” was not changed: %(reason)s") % {"version": obj, "reason": reason},
            messages.WARNING,
        )

    # Every write goes through regions.services, which refuses a frozen version (also one frozen
    # between the form's check and the write: a case submitted or decided meanwhile). A refusal
    # there becomes a message and a redirect, never a 500 and never a "changed successfully".

    def save_model(self, request, obj, form, change):
        try:
            rule_set_save(rule_set=obj, user=request.user)
        except RuleVersionFrozen as error:
            request._rule_set_refused = True
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    def save_related(self, request, form, formsets, change):
        if not getattr(request, "_rule_set_refused", False):
            super().save_related(request, form, formsets, change)

    def log_change(self, request, obj, message):
        if not getattr(request, "_rule_set_refused", False):
            return super().log_change(request, obj, message)
        return None

    def response_change(self, request, obj):
        if getattr(request, "_rule_set_refused", False):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if (reason := _frozen_reason(obj)) is not None:
            self.message_user(
                request, gettext("“%(version)s” was not deleted: %(reason)s") % {"version": obj, "reason": reason},
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:regions_ruleset_change", args=[obj.pk]))
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        try:
            rule_set_delete(rule_set=obj, user=request.user)
        except RuleVersionFrozen as error:
            # The admin logged the deletion before asking for it: undo that with the rest.
            transaction.set_rollback(True)
            request._rule_set_refused = True
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    def response_delete(self, request, obj_display, obj_id):
        if getattr(request, "_rule_set_refused", False):
            return HttpResponseRedirect(reverse("admin:regions_ruleset_change", args=[obj_id]))
        return super().response_delete(request, obj_display, obj_id)

    def delete_queryset(self, request, queryset):
        """The bulk action: each version on its own, so a frozen one is refused with a message and
        the others are still deleted. Only drafts can be deleted, and a draft applies to no
        case, so no case needs a re-check."""
        for rule_set in queryset.select_related("region"):
            try:
                rule_set_delete(rule_set=rule_set, user=request.user)
            except RuleVersionFrozen as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)

    # Publishing: a page of its own that names the region and the date the version takes effect,
    # and the button on it; the change page of a draft links to it.

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("regions.publish_ruleset")

    def get_urls(self):
        publish = path(
            "<path:object_id>/publish/", self.admin_site.admin_view(self.publish_view), name="regions_ruleset_publish"
        )
        return [publish, *super().get_urls()]

    def publish_view(self, request, object_id):
        if not self.has_publish_permission(request):
            raise PermissionDenied
        rule_set = self.get_object(request, object_id)
        if rule_set is None:
            raise Http404
        change_url = reverse("admin:regions_ruleset_change", args=[rule_set.pk])
        if rule_set.is_published:
            self.message_user(
                request, gettext("“%(version)s” has already been published.") % {"version": rule_set}, messages.INFO
            )
            return HttpResponseRedirect(change_url)
        if request.method == "POST":
            try:
                publication = rule_set_publish(rule_set=rule_set, user=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(_messages_of(error)), messages.ERROR)
                return HttpResponseRedirect(request.path)
            self._report_publication(request, publication)
            return HttpResponseRedirect(change_url)
        problem = rule_set.publication_problem() or (
            RuleVersionFrozen.of(rule_set, reason) if (reason := _frozen_reason(rule_set)) else None
        )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Publish the rule version"),
            "opts": self.opts,
            "original": rule_set,
            "rule_set": rule_set,
            "problem": " ".join(problem.messages) if problem else "",
            "pending_cases": pending_cases_under_rule_version(rule_set=rule_set).count(),
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/regions/ruleset/publish_confirmation.html", context)

    def _report_publication(self, request, publication: Publication) -> None:
        rule_set = publication.rule_set
        self.message_user(
            request,
            gettext("Published: the rules of %(region)s in this version take effect on %(date)s.")
            % {"region": rule_set.region, "date": date_format(rule_set.effective_from, "DATE_FORMAT")},
            messages.SUCCESS,
        )
        count = publication.rechecked
        if publication.queued:
            text = ngettext(
                "%(count)d undecided case is being re-checked in the background.",
                "%(count)d undecided cases are being re-checked in the background.",
                count,
            ) % {"count": count}
            self.message_user(request, text, messages.INFO)
        elif publication.failing is None:
            self.message_user(
                request,
                gettext("The undecided cases it applies to could not be re-checked; the error is in the log. "
                        "Run “manage.py recheck_rule_checks”."),
                messages.ERROR,
            )
        elif not count:
            self.message_user(request, gettext("No undecided case arrives under it: none needed a re-check."), messages.INFO)
        else:
            self.message_user(
                request,
                ngettext(
                    "%(count)d undecided case was re-checked.",
                    "%(count)d undecided cases were re-checked.",
                    count,
                ) % {"count": count},
                messages.INFO,
            )
            if publication.failing:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d of them now fails a blocking check.",
                        "%(count)d of them now fail a blocking check.",
                        publication.failing,
                    ) % {"count": publication.failing},
                    messages.WARNING,
                )

    @admin.action(description=_("Copy as a new draft version"), permissions=["add"])
    def copy_as_draft(self, request, queryset):
        for rule_set in queryset.select_related("region").order_by("region__number", "effective_from"):
            try:
                draft = rule_set_copy_as_draft(rule_set=rule_set, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{rule_set}: {' '.join(_messages_of(error))}", messages.ERROR)
                continue
            url = reverse("admin:regions_ruleset_change", args=[draft.pk])
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    gettext(
                        "Created a draft version from %(date)s, without the legal basis and notes of the old one. "
                        "It applies to no case until it is published:"
                    ) % {"date": _short_date(draft.effective_from)},
                    url,
                    draft,
                ),
                messages.SUCCESS,
            )


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
