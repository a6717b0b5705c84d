import copy

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin
from import_export.formats import base_formats

from meetings.adminkit import LabelledTabularInline, TranslatedAdmin
from meetings.languages import in_every_language

from .accounts import AccountError, account_invite, focal_point_add, focal_point_problems
from .categories import forget
from .imports import CSVImportFormat, ImportFileError, ImportReport, XLSXImportFormat, problems
from .models import (
    Delegate,
    Delegation,
    FocalPoint,
    Group,
    Guest,
    ParticipantCategory,
    Participation,
)
from .resources.delegates import DelegateResource
from .resources.delegations import DelegationResource
from .resources.focal_points import FocalPointResource
from .resources.groups import GroupResource
from .resources.guests import GuestResource


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


def category_choices() -> list[tuple[str, str]]:
    return ParticipantCategory.table().choices


class ParticipationForm(forms.ModelForm):
    """A delegation at a meeting: its category is one of the table's (`ParticipantCategory`)."""

    category = forms.ChoiceField(label=_("category"), choices=category_choices)

    class Meta:
        model = Participation
        fields = ["meeting", "delegation", "category"]


class ParticipationInlineForm(ParticipationForm):
    """In a delegation's page, the category of a participation already made is shown, not
    changed: a correction re-ranks the delegation's waiting requests, on the participation's
    own page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            field = self.fields["category"]
            field.disabled = True
            field.help_text = _("Corrected on the participation's page.")


class ParticipationInline(LabelledTabularInline):
    model = Participation
    form = ParticipationInlineForm
    extra = 0


class CategoryListFilter(admin.ChoicesFieldListFilter):
    """A list filter on a category, with the table's names in rank order."""

    @staticmethod
    def choices_of_table() -> list[tuple[str, str]]:
        return category_choices()

    def __init__(self, field, request, params, model, model_admin, field_path):
        field = copy.copy(field)
        field.choices = self.choices_of_table()
        super().__init__(field, request, params, model, model_admin, field_path)


@admin.register(ParticipantCategory)
class ParticipantCategoryAdmin(admin.ModelAdmin):
    """The categories of participant: names, ranks in the default order of speakers, which
    are States'. A category in use by a participation is not deleted."""

    list_display = ["rank", "name", "code", "plural_name", "state"]
    actions = None  # no bulk deletion: one by one, a category in use is kept
    list_display_links = ["name"]
    ordering = ["rank", "code"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request, obj=None):
        # Participations and the record hold the code: it stays what it was.
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        if obj is not None and Participation.objects.filter(category=obj.code).exists():
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        forget(ParticipantCategory.TABLE)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        forget(ParticipantCategory.TABLE)


@admin.register(Delegation)
class DelegationAdmin(ListImportExportAdmin, TranslatedAdmin):
    list_display = ["name", "code", "kind", "untranslated"]
    list_filter = [
        "kind",
        ("participations__category", CategoryListFilter),
        "participations__meeting",
    ]
    search_fields = [*in_every_language("name"), "code"]
    inlines = [ParticipationInline]
    resource_classes = [DelegationResource]

    def get_data_for_export(self, request, queryset, **kwargs):
        # A row of the delegations list is a delegation at a meeting.
        participations = Participation.objects.filter(delegation__in=queryset.values("pk"))
        return super().get_data_for_export(request, participations, **kwargs)


class DelegateInline(LabelledTabularInline):
    model = Delegate
    extra = 0


@admin.register(Participation)
class ParticipationAdmin(ListImportExportAdmin):
    """A delegation at a meeting. `agenda/admin.py` registers it again, so that a correction
    of the category goes through the service that re-ranks the waiting requests."""

    form = ParticipationForm
    list_display = ["delegation", "category_name", "meeting"]
    list_filter = ["meeting", ("category", CategoryListFilter)]
    search_fields = ["delegation__name", "delegation__code"]
    list_select_related = ["delegation", "meeting"]
    autocomplete_fields = ["delegation"]
    inlines = [DelegateInline]
    resource_classes = [DelegationResource]

    @admin.display(description=_("category"), ordering="category")
    def category_name(self, participation):
        return participation.get_category_display()


@admin.register(Delegate)
class DelegateAdmin(ListImportExportAdmin):
    list_display = ["name", "title", "role", "participation"]
    list_filter = [
        "role",
        "participation__meeting",
        ("participation__category", CategoryListFilter),
    ]
    search_fields = ["name", "participation__delegation__name", "participation__delegation__code"]
    list_select_related = ["participation__delegation", "participation__meeting"]
    autocomplete_fields = ["participation"]
    resource_classes = [DelegateResource]


class FocalPointAddForm(forms.ModelForm):
    """A focal point added by hand: the delegation and the account, new or existing."""

    username = forms.CharField(
        label=_("username"),
        help_text=_(
            "A new username creates the account; an existing one is linked to the delegation "
            "(with the name and e-mail given here, if any)."
        ),
    )
    name = forms.CharField(label=_("full name"), required=False)
    email = forms.CharField(
        label=_("e-mail"), required=False, help_text=_("Required for a new account.")
    )
    invite = forms.BooleanField(
        label=_("Send the invitation to set a password now"), required=False, initial=True
    )

    class Meta:
        model = FocalPoint
        fields = ["delegation"]

    def clean(self):
        data = super().clean()
        if "username" in data and data.get("delegation"):
            problems = focal_point_problems(
                username=data["username"],
                delegation=data["delegation"],
                name=data.get("name", ""),
                email=data.get("email", ""),
            )
            for field, messages in problems.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return data


@admin.register(FocalPoint)
class FocalPointAdmin(ListImportExportAdmin):
    """Focal points' accounts: one by one, or imported from a list (username, name, e-mail,
    delegation); then invited by e-mail to set their password."""

    list_display = ["user", "full_name", "email", "delegation", "has_signed_in"]
    list_filter = ["delegation__participations__meeting", "user__is_active"]
    search_fields = ["user__username", "user__email", "delegation__name", "delegation__code"]
    list_select_related = ["user", "delegation"]
    autocomplete_fields = ["user", "delegation"]
    resource_classes = [FocalPointResource]
    actions = ["invite"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, change=change, **kwargs)
        return super().get_form(request, obj, change=change, form=FocalPointAddForm, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["delegation", "username", "name", "email", "invite"]
        return ["user", "delegation"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        added = focal_point_add(
            username=data["username"],
            delegation=data["delegation"],
            name=data["name"],
            email=data["email"],
            created_by=request.user,
        )
        obj.pk, obj.user = added.pk, added.user
        obj._state.adding = False
        if data["invite"]:
            self.invite(request, FocalPoint.objects.filter(pk=added.pk).select_related("user"))
        return None

    @admin.display(description=_("name"), ordering="user__first_name")
    def full_name(self, focal_point):
        return focal_point.user.get_full_name()

    @admin.display(description=_("e-mail"), ordering="user__email")
    def email(self, focal_point):
        return focal_point.user.email

    @admin.display(description=_("has signed in"), boolean=True)
    def has_signed_in(self, focal_point):
        return focal_point.user.last_login is not None

    @admin.action(description=_("Send an invitation to set a password"), permissions=["change"])
    def invite(self, request, queryset):
        users = {focal_point.user.pk: focal_point.user for focal_point in queryset}
        base_url = f"{request.scheme}://{request.get_host()}"
        sent = 0
        for user in sorted(users.values(), key=lambda user: user.get_username()):
            try:
                account_invite(user=user, sender=request.user, base_url=base_url)
            except AccountError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                sent += 1
        if sent:
            self.message_user(
                request,
                ngettext("%(count)s invitation sent.", "%(count)s invitations sent.", sent)
                % {"count": sent},
                messages.SUCCESS,
            )


class GroupForm(forms.ModelForm):
    """A group of a meeting: its code in capitals; its own delegation and its members take part
    in the meeting."""

    class Meta:
        model = Group
        fields = ["meeting", "code", "name", "delegation", "takes_precedence", "members"]

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()

    def clean(self):
        data = super().clean()
        meeting = data.get("meeting")
        if meeting is None:
            return data
        taking_part = set(
            Participation.objects.filter(meeting=meeting).values_list("delegation_id", flat=True)
        )
        own = data.get("delegation")
        if own is not None and own.pk not in taking_part:
            self.add_error(
                "delegation",
                _("%(delegation)s does not take part in %(meeting)s.")
                % {"delegation": own, "meeting": meeting},
            )
        outside = [d for d in data.get("members") or () if d.pk not in taking_part]
        if outside:
            self.add_error(
                "members",
                ngettext(
                    "%(delegations)s does not take part in %(meeting)s: it cannot be a member.",
                    "%(delegations)s do not take part in %(meeting)s: they cannot be members.",
                    len(outside),
                )
                % {"delegations": ", ".join(sorted(str(d) for d in outside)), "meeting": meeting},
            )
        return data


@admin.register(Group)
class GroupAdmin(ListImportExportAdmin, TranslatedAdmin):
    """The groups of a meeting (the European Union, a regional group): a member, or the
    group's own delegation, may speak on its behalf. Imported from a list (code, name,
    delegation, takes precedence, members)."""

    form = GroupForm
    list_display = [
        "code",
        "name",
        "meeting",
        "delegation",
        "member_count",
        "takes_precedence",
        "untranslated",
    ]
    list_display_links = ["code", "name"]
    list_filter = ["meeting", "takes_precedence"]
    search_fields = [
        "code",
        *in_every_language("name"),
        "delegation__code",
        *in_every_language("delegation__name"),
    ]
    list_select_related = ["meeting", "delegation"]
    autocomplete_fields = ["delegation"]
    filter_horizontal = ["members"]
    ordering = ["meeting", "code"]
    resource_classes = [GroupResource]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, group):
        return group.member_count


class GuestForm(forms.ModelForm):
    """A speaker without a delegation: one per name (in any case) at a meeting, as the chair's
    console finds them by name."""

    class Meta:
        model = Guest
        fields = ["meeting", "name", "title", "organisation"]

    def clean(self):
        data = super().clean()
        meeting, name = data.get("meeting"), data.get("name")
        if meeting is not None and name:
            same = Guest.objects.filter(meeting=meeting, name__iexact=name)
            if self.instance.pk is not None:
                same = same.exclude(pk=self.instance.pk)
            other = same.first()
            if other is not None:
                self.add_error(
                    "name",
                    _("%(name)s is already a speaker without a delegation at %(meeting)s.")
                    % {"name": other.name, "meeting": meeting},
                )
        return data


@admin.register(Guest)
class GuestAdmin(ListImportExportAdmin, TranslatedAdmin):
    """Speakers without a delegation (the President, the ISU, a panellist): the chair puts
    them on a list by name; the secretariat may prepare them here, or import them (name,
    title, organisation)."""

    form = GuestForm
    list_display = ["name", "title", "organisation", "meeting", "untranslated"]
    list_filter = ["meeting"]
    search_fields = ["name", *in_every_language("title"), *in_every_language("organisation")]
    list_select_related = ["meeting"]
    resource_classes = [GuestResource]
