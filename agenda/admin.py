from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AgendaItem, MandateReference


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


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["code_display", "title", "meeting", "order"]
    list_display_links = ["code_display", "title"]
    list_filter = ["meeting", ("parent", admin.EmptyFieldListFilter)]
    search_fields = ["label", "title", "annotation"]
    list_select_related = ["meeting", "parent"]
    autocomplete_fields = ["coordinators", "parent"]
    filter_horizontal = ["sittings", "facilitators"]
    inlines = [MandateReferenceInline, SubitemInline]
    ordering = ["meeting", "parent__order", "parent__label", "order", "label"]
    fields = [
        "meeting",
        "parent",
        "order",
        "label",
        "title",
        "annotation",
        "format",
        "coordinators",
        "facilitators",
        "sittings",
    ]

    @admin.display(description=_("code"), ordering="label")
    def code_display(self, obj: AgendaItem) -> str:
        return obj.code

    def save_formset(self, request, form, formset, change):
        # Subitems belong to their item's meeting.
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, AgendaItem):
                instance.meeting = form.instance.meeting
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()
