from django.contrib import admin

from .models import Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "code", "parent", "epci", "population", "is_current"]
    list_filter = ["level", "is_current"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent", "epci", "replaced_by"]
    readonly_fields = ["path"]
    list_select_related = ["parent", "epci"]
    show_full_result_count = False  # 35,000 communes: skip the extra COUNT(*)
