from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from import_export.admin import ImportExportModelAdmin
from import_export.formats import base_formats

from .imports import CSVImportFormat, ImportFileError, ImportReport, XLSXImportFormat, problems
from .models import Delegate, Delegation, FocalPoint, Participation
from .resources import DelegateResource, DelegationResource


class ListImportExportAdmin(ImportExportModelAdmin):
    """Import and export of a delegation list (`delegations.resources`).

    The import is all or nothing (the resources see to it). When any row is bad, the preview
    shows every problem as a message naming its row and column, and offers no confirmation.
    """

    import_formats = [CSVImportFormat, XLSXImportFormat]
    export_formats = [base_formats.CSV, base_formats.XLSX]

    def list_resource(self, request):
        return self.get_import_resource_classes(request)[0]

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        result = context.get("result")
        if result is not None:
            found = problems(result)
            if found:
                self.message_problems(request, found)
                # The messages say it all: no table of failed rows, no confirmation.
                context["result"] = None
                context.pop("confirm_form", None)
        if "fields_list" in context:
            resource = self.list_resource(request)
            context["fields_list"] = [(resource.get_display_name(), resource.column_descriptions())]
        return response

    def message_problems(self, request, found: list[str]) -> None:
        report = ImportReport(resource=self.list_resource(request), errors=found)
        messages.error(request, report.summary())
        for problem in found:
            messages.error(request, problem)

    def process_result(self, result, request):
        found = problems(result)
        if found:
            # The data changed between the preview and the confirmation: nothing was written.
            self.message_problems(request, found)
            return HttpResponseRedirect(
                reverse(
                    "admin:{}_{}_import".format(*self.get_model_info()),
                    current_app=self.admin_site.name,
                )
            )
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        report = ImportReport.from_result(self.list_resource(request), result)
        messages.success(request, report.summary())

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportFileError):
            for message in e.messages:
                form.add_error("import_file", message)
        else:
            super().add_data_read_fail_error_to_form(form, e)


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0


@admin.register(Delegation)
class DelegationAdmin(ListImportExportAdmin):
    list_display = ["name", "code", "kind"]
    list_filter = ["kind", "participations__category", "participations__meeting"]
    search_fields = ["name", "code"]
    inlines = [ParticipationInline]
    resource_classes = [DelegationResource]

    def get_data_for_export(self, request, queryset, **kwargs):
        # A row of the delegations list is a delegation at a meeting.
        participations = Participation.objects.filter(delegation__in=queryset.values("pk"))
        return super().get_data_for_export(request, participations, **kwargs)


class DelegateInline(admin.TabularInline):
    model = Delegate
    extra = 0


@admin.register(Participation)
class ParticipationAdmin(ListImportExportAdmin):
    list_display = ["delegation", "category", "meeting"]
    list_filter = ["meeting", "category"]
    search_fields = ["delegation__name", "delegation__code"]
    list_select_related = ["delegation", "meeting"]
    autocomplete_fields = ["delegation"]
    inlines = [DelegateInline]
    resource_classes = [DelegationResource]


@admin.register(Delegate)
class DelegateAdmin(ListImportExportAdmin):
    list_display = ["name", "title", "role", "participation"]
    list_filter = ["role", "participation__meeting", "participation__category"]
    search_fields = ["name", "participation__delegation__name", "participation__delegation__code"]
    list_select_related = ["participation__delegation", "participation__meeting"]
    autocomplete_fields = ["participation"]
    resource_classes = [DelegateResource]


@admin.register(FocalPoint)
class FocalPointAdmin(admin.ModelAdmin):
    list_display = ["user", "delegation"]
    search_fields = ["user__username", "user__email", "delegation__name", "delegation__code"]
    list_select_related = ["user", "delegation"]
    autocomplete_fields = ["user", "delegation"]
