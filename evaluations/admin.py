from django.contrib import admin

from .models import Assessment, Criterion, CriterionLevel, Dimension, Grid, Score


class DimensionInline(admin.TabularInline):
    model = Dimension
    extra = 0
    show_change_link = True


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin):
    list_display = ["name", "source"]
    inlines = [DimensionInline]


class CriterionInline(admin.StackedInline):
    model = Criterion
    extra = 0
    show_change_link = True


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["name", "grid", "position"]
    inlines = [CriterionInline]


class LevelInline(admin.TabularInline):
    model = CriterionLevel
    extra = 0


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "dimension", "position"]
    list_filter = ["dimension__grid"]
    inlines = [LevelInline]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["grid", "initiative", "organisation", "date", "state"]
    list_filter = ["grid", "state"]
    autocomplete_fields = ["initiative", "organisation"]
    inlines = [ScoreInline]
