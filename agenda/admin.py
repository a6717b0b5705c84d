"""The secretariat's admin for the agenda: items and their speaking rules, the audit trail,
API tokens, the record's corrections and exports, the Lausanne Action Plan.

The list of speakers changes only through its services: the admin shows it read-only, except
a delivered entry's record fields, which the secretariat corrects through
`agenda.record.services.record_correct`. A correction of a delegation's category at a meeting
(the participation's page, registered again here) goes through
`agenda.speakers.participations.participation_category_set`, which re-ranks its waiting
requests.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ExportMixin
from import_export.formats import base_formats

from delegations.admin import CategoryListFilter, ParticipationAdmin
from delegations.models import Delegation, ParticipantCategory, Participation
from meetings.admin import MeetingAdmin
from meetings.adminkit import (
    LabelledTabularInline,
    TranslatedAdmin,
    TranslatedStackedInline,
    TranslatedTabularInline,
)
from meetings.languages import in_every_language
from meetings.models import Meeting
from meetings.roles import is_secretariat

from .errors import FloorError
from .models import (
    AgendaItem,
    ApiToken,
    FloorRequest,
    LapAction,
    LapArea,
    ListEvent,
    MandateReference,
    OutcomeEvent,
    Presenter,
    Proposal,
    ProposalTopic,
    RecordNote,
    SpeakingRules,
    StatementFile,
)
from .record.resources import SpeakerResource, StatementResource
from .record.selectors import DELIVERED, is_delivered
from .record.services import RECORD_FIELDS, record_correct, record_corrections_check
from .speakers.checks import MAX_REASON
from .speakers.participations import participation_category_set
from .statements.services import statement_file_text_read


class SubitemInline(TranslatedStackedInline):
    model = AgendaItem
    fk_name = "parent"
    extra = 0
    fields = ["order", "label", "title", "annotation", "format", "coordinators", "sittings"]
    filter_horizontal = ["coordinators", "sittings"]
    verbose_name = _("subitem")
    verbose_name_plural = _("subitems")
    show_change_link = True


class MandateReferenceInline(LabelledTabularInline):
    model = MandateReference
    extra = 0
    autocomplete_fields = ["document"]


class PresenterInline(LabelledTabularInline):
    model = Presenter
    extra = 0
    autocomplete_fields = ["delegation"]
    verbose_name_plural = _(
        "designated presenters (Article 4 extension requests, invited presentations)"
    )


RULES_FIELDSETS = [
    (
        _("Order of speakers"),
        {
            "fields": [
                "kind_order",
                "category_order",
                "spoken_wait_behind",
                "groups_first",
                "max_replies_per_delegation",
                "max_invited_presentations",
            ]
        },
    ),
    (
        _("Who may ask for what"),
        {"fields": ["online_points_of_order", "replies_from", "readded_to"]},
    ),
    (
        _("Time limits (seconds)"),
        {
            "fields": [
                "statement_seconds",
                "right_of_reply_seconds",
                "point_of_order_seconds",
                "coordinator_remarks_seconds",
                "extension_request_seconds",
                "invited_presentation_seconds",
                "response_seconds",
                "closing_remarks_seconds",
            ]
        },
    ),
]


class ItemRulesInline(admin.StackedInline):
    model = SpeakingRules
    fk_name = "item"
    extra = 0
    max_num = 1
    fieldsets = RULES_FIELDSETS
    verbose_name_plural = _("speaking rules of this item (empty fields: the meeting's)")


class MeetingRulesInline(admin.StackedInline):
    model = SpeakingRules
    fk_name = "meeting"
    extra = 0
    max_num = 1
    fieldsets = RULES_FIELDSETS
    verbose_name_plural = _("default speaking rules (empty fields: the product's defaults)")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(item__isnull=True)


@admin.register(AgendaItem)
class AgendaItemAdmin(TranslatedAdmin):
    list_display = ["code_display", "title", "meeting", "order", "list_is_open", "untranslated"]
    list_display_links = ["code_display", "title"]
    list_filter = ["meeting", ("parent", admin.EmptyFieldListFilter)]
    search_fields = ["label", *in_every_language("title"), "annotation"]
    list_select_related = ["meeting", "parent"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["coordinators", "sittings", "facilitators"]
    inlines = [MandateReferenceInline, PresenterInline, ItemRulesInline, SubitemInline]
    ordering = ["meeting", "parent__order", "parent__label", "order", "label"]
    fieldsets = [
        (None, {"fields": ["meeting", "parent", "order", "label", "title"]}),
        (_("Programme"), {"fields": ["annotation", "format", "sittings"]}),
        (_("Who chairs"), {"fields": ["coordinators", "facilitators"]}),
        (
            _("List of speakers"),
            {"fields": ["list_is_open", "list_opens_at", "list_closes_at", "list_version"]},
        ),
    ]
    readonly_fields = ["list_version"]

    @admin.display(description=_("code"), ordering="label")
    def code_display(self, obj: AgendaItem) -> str:
        return obj.code

    def save_formset(self, request, form, formset, change):
        # Subitems and item rules belong to the item's meeting.
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, AgendaItem | SpeakingRules):
                instance.meeting = form.instance.meeting
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


class ReadOnlyAdmin(admin.ModelAdmin):
    """The list of speakers changes only through its services (and so the audit trail)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ListEvent)
class ListEventAdmin(ReadOnlyAdmin):
    list_display = ["when", "item", "version", "action", "delegation", "user", "reason"]
    list_filter = ["item__meeting", "action", "item", "delegation", "user"]
    search_fields = ["reason", "delegation__name", "delegation__code", "user__username"]
    list_select_related = ["item__parent", "delegation", "user"]
    date_hierarchy = "at"
    fields = ["at", "item", "version", "action", "entry", "delegation", "user", "reason",
              "before", "after"]  # fmt: skip

    @admin.display(description=_("at"), ordering="at")
    def when(self, event: ListEvent) -> str:
        """To the second, in the meeting's time zone, which it names (e.g. 10:00:05 CEST)."""
        return date_format(timezone.localtime(event.at), "Y-m-d H:i:s T")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at"]
    search_fields = ["user__username", "name", "prefix"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    fields = ["user", "name"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        row, token = ApiToken.issue(obj.user, obj.name)
        obj.pk = row.pk
        obj.refresh_from_db()
        messages.warning(
            request,
            _("The token for %(user)s is %(token)s — copy it now: it will not be shown again.")
            % {"user": obj.user, "token": token},
        )


admin.site.unregister(Meeting)


@admin.register(Meeting)
class MeetingWithRulesAdmin(MeetingAdmin):
    inlines = [*MeetingAdmin.inlines, MeetingRulesInline]

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            instance.meeting = form.instance
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


admin.site.unregister(Participation)


@admin.register(Participation)
class ParticipationReRankingAdmin(ParticipationAdmin):
    """A delegation at a meeting; a correction of its category goes through
    `participation_category_set`: its waiting requests are re-ranked, each list that changed
    logs it. Only the secretariat corrects a category."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None or is_secretariat(request.user):
            return form

        class CategoryKeptForm(form):
            def clean_category(self):
                category = self.cleaned_data["category"]
                if category != self.instance.category:
                    raise ValidationError(
                        _("Only the secretariat may correct a delegation's category.")
                    )
                return category

        return CategoryKeptForm

    def save_model(self, request, obj, form, change):
        if not (change and "category" in form.changed_data):
            return super().save_model(request, obj, form, change)
        category, obj.category = obj.category, form.initial["category"]
        super().save_model(request, obj, form, change)  # the other fields, if any
        changed = participation_category_set(
            participation=obj, category=category, user=request.user
        )
        obj.category = category
        if changed:
            self.message_user(
                request,
                ngettext(
                    "Its waiting requests were re-ranked on %(count)s list of speakers.",
                    "Its waiting requests were re-ranked on %(count)s lists of speakers.",
                    changed,
                )
                % {"count": changed},
                messages.INFO,
            )
        return None


class RecordCorrectionForm(forms.ModelForm):
    """The secretariat corrects a delivered entry: the record's fields, and why."""

    category = forms.ChoiceField(
        label=_("Category"), choices=lambda: ParticipantCategory.table().choices
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=MAX_REASON,
        help_text=_("Kept in the audit trail with what the record said before and after."),
    )

    class Meta:
        model = FloorRequest
        fields = list(RECORD_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and self.instance.delegation_id is None:
            # A speaker without a delegation is in no category, and stays so.
            field = self.fields["category"]
            field.choices = [("", _("none (a speaker without a delegation)"))]
            field.required = False
            field.disabled = True

    def clean(self):
        cleaned = super().clean()
        changes = {
            name: cleaned.get(name)
            for name in RECORD_FIELDS
            if name in self.changed_data and name in cleaned
        }
        if not changes:
            raise ValidationError(_("Nothing was changed: the record stays as it was."))
        try:
            record_corrections_check(entry=self.instance, corrections=changes)
        except FloorError as error:
            if error.field in RECORD_FIELDS:
                self.add_error(error.field, error.message)
            else:
                raise ValidationError(error.message) from None
        self.record_changes = changes
        return cleaned

    def _post_clean(self):
        # The service writes the row: the form neither copies values onto it nor checks the
        # model's constraints (the service does what the record needs).
        pass


class EntryCategoryListFilter(CategoryListFilter):
    """The categories of the entries: the table's, and none for speakers without a delegation
    (a choice with a name, not an empty link)."""

    @staticmethod
    def choices_of_table() -> list[tuple[str, str]]:
        return [*CategoryListFilter.choices_of_table(), ("", _("none (without a delegation)"))]


@admin.register(FloorRequest)
class FloorRequestAdmin(ExportMixin, ReadOnlyAdmin):
    """The list of speakers changes only through the chair's services; the secretariat corrects
    a delivered entry's record fields here, with a reason, through `record_correct`."""

    list_display = [
        "speaker", "on_behalf_of", "co_sponsor_codes", "item", "kind", "status", "presence",
        "added_by_chair", "speaker_name", "requested_at", "started_at", "ended_at",
    ]  # fmt: skip
    list_filter = [
        "item__meeting", "kind", "status", ("category", EntryCategoryListFilter), "on_behalf_of",
        "guest", "presence",
        "added_by_chair",
    ]  # fmt: skip
    search_fields = [
        "delegation__name", "delegation__code", "speaker_name", "on_behalf_of__code",
        "on_behalf_of__name", "guest__name", "co_sponsors__code",
    ]  # fmt: skip
    list_select_related = ["delegation", "guest", "on_behalf_of", "item__parent"]
    date_hierarchy = "requested_at"
    # The delivered entries chosen, as the list of speakers or as their statements' files.
    resource_classes = [SpeakerResource, StatementResource]
    export_formats = [base_formats.XLSX, base_formats.CSV]
    actions = ["read_texts"]
    readonly_fields = [
        "item", "delegation", "guest", "on_behalf_of", "co_sponsor_codes", "presence", "kind",
        "status", "requested_at", "added_by_chair",
    ]  # fmt: skip

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("co_sponsors", queryset=Delegation.objects.order_by("code")))
        )

    @admin.display(description=_("speaker"), ordering="delegation__name")
    def speaker(self, entry: FloorRequest) -> str:
        return entry.speaker

    @admin.display(description=_("co-sponsors"))
    def co_sponsor_codes(self, entry: FloorRequest) -> str:
        return " ".join(delegation.code for delegation in entry.co_sponsors.all())

    def _correctable(self, request, obj) -> bool:
        return obj is not None and is_delivered(obj) and is_secretariat(request.user)

    def has_change_permission(self, request, obj=None):
        return self._correctable(request, obj)

    def get_fieldsets(self, request, obj=None):
        if self._correctable(request, obj):
            return [
                (None, {"fields": self.readonly_fields}),
                (_("The record"), {"fields": [*RECORD_FIELDS, "reason"]}),
            ]
        return super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self._correctable(request, obj):
            kwargs["form"] = RecordCorrectionForm
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        record_correct(
            entry=obj,
            corrections=form.record_changes,
            user=request.user,
            reason=form.cleaned_data["reason"],
        )

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).filter(DELIVERED)

    @admin.action(description=_("Read the words of their statements (DOCX, ODT) for the search"))
    def read_texts(self, request, queryset):
        pairs = Q(pk__in=[])
        delegations = queryset.filter(delegation__isnull=False)
        for item_id, delegation_id in delegations.values_list("item_id", "delegation_id"):
            pairs |= Q(statement__item_id=item_id, statement__delegation_id=delegation_id)
        files = StatementFile.objects.filter(pairs)
        read = sum(1 for row in files if statement_file_text_read(statement_file=row))
        messages.success(request, _("Read %(count)s files.") % {"count": read})


class LapActionInline(TranslatedTabularInline):
    model = LapAction
    extra = 0
    fields = ["number", "title"]


@admin.register(LapArea)
class LapAreaAdmin(TranslatedAdmin):
    list_display = ["title", "first_action", "last_action", "order", "untranslated"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [LapActionInline]


@admin.register(LapAction)
class LapActionAdmin(TranslatedAdmin):
    list_display = ["number", "title", "area", "untranslated"]
    list_filter = ["area"]
    search_fields = in_every_language("title")
    list_select_related = ["area"]


# --- what the meeting produced (agenda/outcome): topics are the secretariat's; notes, proposals
# and their audit trail change only through the services (the record's pages), audited.


@admin.register(ProposalTopic)
class ProposalTopicAdmin(TranslatedAdmin):
    list_display = ["title", "item", "order", "untranslated"]
    list_filter = ["item__meeting"]
    list_select_related = ["item__parent"]
    search_fields = in_every_language("title")


@admin.register(RecordNote)
class RecordNoteAdmin(ReadOnlyAdmin):
    list_display = ["text", "kind", "entry", "created_at", "published_at"]
    list_filter = ["entry__item__meeting", "kind"]
    list_select_related = ["entry__item__parent", "entry__delegation", "entry__guest"]
    search_fields = ["text"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["text", "item", "topic", "status", "created_at"]
    list_filter = ["item__meeting", "status", "topic"]
    list_select_related = ["item__parent", "topic"]
    search_fields = ["text"]


@admin.register(OutcomeEvent)
class OutcomeEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "item", "action", "user"]
    list_filter = ["item__meeting", "action"]
    list_select_related = ["item__parent", "user"]
    date_hierarchy = "at"
    fields = ["at", "item", "action", "note", "proposal", "user", "before", "after"]
