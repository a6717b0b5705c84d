from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from meetings.admin import MeetingAdmin
from meetings.models import Meeting

from .models import (
    AgendaItem,
    ApiToken,
    FloorRequest,
    ListEvent,
    MandateReference,
    Presenter,
    SpeakingRules,
)


class SubitemInline(admin.StackedInline):
    model = AgendaItem
    fk_name = "parent"
    extra = 0
    fields = ["order", "label", "title", "annotation", "format", "coordinators", "sittings"]
    autocomplete_fields = ["coordinators"]
    filter_horizontal = ["sittings"]
    verbose_name = _("subitem")
    verbose_name_plural = _("subitems")
    show_change_link = True


class MandateReferenceInline(admin.TabularInline):
    model = MandateReference
    extra = 0
    autocomplete_fields = ["document"]


class PresenterInline(admin.TabularInline):
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
                "max_replies_per_delegation",
                "max_invited_presentations",
            ]
        },
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
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["code_display", "title", "meeting", "order", "list_is_open"]
    list_display_links = ["code_display", "title"]
    list_filter = ["meeting", ("parent", admin.EmptyFieldListFilter)]
    search_fields = ["label", "title", "annotation"]
    list_select_related = ["meeting", "parent"]
    autocomplete_fields = ["coordinators", "parent"]
    filter_horizontal = ["sittings", "facilitators"]
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


@admin.register(FloorRequest)
class FloorRequestAdmin(ReadOnlyAdmin):
    list_display = [
        "delegation", "item", "kind", "status", "speaker_name", "requested_at", "started_at",
        "ended_at",
    ]  # fmt: skip
    list_filter = ["item__meeting", "kind", "status", "category"]
    search_fields = ["delegation__name", "delegation__code", "speaker_name"]
    list_select_related = ["delegation", "item__parent"]
    date_hierarchy = "requested_at"


@admin.register(ListEvent)
class ListEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "item", "version", "action", "delegation", "user", "reason"]
    list_filter = ["item__meeting", "action", "item", "delegation", "user"]
    search_fields = ["reason", "delegation__name", "delegation__code", "user__username"]
    list_select_related = ["item__parent", "delegation", "user"]
    date_hierarchy = "at"
    fields = ["at", "item", "version", "action", "entry", "delegation", "user", "reason",
              "before", "after"]  # fmt: skip


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
