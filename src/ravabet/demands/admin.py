from django.contrib import admin

from .models import DeadlineRule, Holiday


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["day", "name_fa", "name_en"]
    search_fields = ["name_fa", "name_en"]
    # Saving or deleting a holiday bumps the list's stamp (signals in apps.py).


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ["office", "kind", "working_days"]
    list_filter = ["kind"]
