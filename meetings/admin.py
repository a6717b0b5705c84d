from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .adminkit import TranslatedAdmin, TranslatedTabularInline
from .documents import DOCUMENT_TYPES
from .models import Document, Meeting, Sitting


class SittingInline(TranslatedTabularInline):
    model = Sitting
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(TranslatedAdmin):
    list_display = [
        "short_title",
        "start_date",
        "end_date",
        "venue",
        "room",
        "status",
        "untranslated",
    ]
    list_filter = ["status"]
    search_fields = ["title", "short_title", "slug"]
    prepopulated_fields = {"slug": ["short_title"]}
    filter_horizontal = ["presiding_officers"]
    inlines = [SittingInline]
    fieldsets = [
        (None, {"fields": ["title", "short_title", "slug", "status"]}),
        (_("Body and presidency"), {"fields": ["convention", "body", "presidency", "president"]}),
        (
            _("When and where"),
            {"fields": ["start_date", "end_date", "venue", "room", "city", "time_zone"]},
        ),
        (_("Description"), {"fields": ["description"]}),
        (_("Accounts"), {"fields": ["presiding_officers"]}),
    ]


@admin.register(Sitting)
class SittingAdmin(TranslatedAdmin):
    list_display = ["__str__", "meeting", "date", "start_time", "end_time", "untranslated"]
    list_filter = ["meeting"]
    search_fields = ["title", "meeting__short_title"]


@admin.register(Document)
class DocumentAdmin(TranslatedAdmin):
    list_display = ["symbol", "title", "kind", "meeting", "untranslated"]
    list_filter = ["kind", "meeting"]
    search_fields = ["symbol", "title"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "file":
            # What the model's check accepts (meetings.documents), said before the upload.
            field.widget.attrs["accept"] = ",".join(t.extension for t in DOCUMENT_TYPES)
            field.help_text = _(
                "A PDF, a Word document (DOCX) or an OpenDocument text (ODT), without macros "
                "or embedded programs; its content is checked. It is offered as a download."
            )
        return field
