from django.contrib import admin

from .models import Delegate, Delegation, FocalPoint, Participation


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind"]
    list_filter = ["kind", "participations__category", "participations__meeting"]
    search_fields = ["name", "code"]
    inlines = [ParticipationInline]


class DelegateInline(admin.TabularInline):
    model = Delegate
    extra = 0


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["delegation", "category", "meeting"]
    list_filter = ["meeting", "category"]
    search_fields = ["delegation__name", "delegation__code"]
    list_select_related = ["delegation", "meeting"]
    autocomplete_fields = ["delegation"]
    inlines = [DelegateInline]


@admin.register(Delegate)
class DelegateAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "role", "participation"]
    list_filter = ["role", "participation__meeting", "participation__category"]
    search_fields = ["name", "participation__delegation__name", "participation__delegation__code"]
    list_select_related = ["participation__delegation", "participation__meeting"]
    autocomplete_fields = ["participation"]


@admin.register(FocalPoint)
class FocalPointAdmin(admin.ModelAdmin):
    list_display = ["user", "delegation"]
    search_fields = ["user__username", "user__email", "delegation__name", "delegation__code"]
    list_select_related = ["user", "delegation"]
    autocomplete_fields = ["user", "delegation"]
