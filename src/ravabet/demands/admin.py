from django.contrib import admin

from . import workdays
from .models import DeadlineRule, Holiday


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["day", "name_fa", "name_en"]
    search_fields = ["name_fa", "name_en"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        workdays.forget_holidays()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        workdays.forget_holidays()


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ["office", "kind", "working_days"]
    list_filter = ["kind"]
