from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest

from . import services
from .models import AuditEvent, Holiday, Membership, Office, OutboxMessage, QuickLink


class AuditedAdmin(admin.ModelAdmin):
    """Operators' edits in the admin land in the same audit log as everyone else's."""

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        before = {name: form.initial.get(name) for name in form.changed_data}
        super().save_model(request, obj, form, change)
        after = {name: form.cleaned_data.get(name) for name in form.changed_data}
        services.record(
            request.user,
            f"admin.{'edit' if change else 'create'}",
            target=obj,
            office=obj if isinstance(obj, Office) else getattr(obj, "office", None),
            changes=services.field_changes(before, after),
            request=request,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.record(
            request.user,
            "admin.delete",
            target=obj,
            office=obj if isinstance(obj, Office) else getattr(obj, "office", None),
            request=request,
        )
        super().delete_model(request, obj)


class QuickLinkInline(admin.TabularInline):
    model = QuickLink
    extra = 0


@admin.register(Office)
class OfficeAdmin(AuditedAdmin):
    list_display = ["name_fa", "kind", "slug", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name_fa", "name_en", "slug"]
    inlines = [QuickLinkInline]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "office", "role", "created_at"]
    list_filter = ["role"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "office", "object_repr", "allowed"]
    list_filter = ["allowed", "action"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["day", "name_fa", "name_en"]
    search_fields = ["name_fa", "name_en"]
    # Saving or deleting a holiday bumps the list's stamp (signals.py).


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "recipient", "subject", "topic", "sent_at", "attempts"]
    list_filter = ["channel", "sent_at"]
    search_fields = ["recipient", "subject", "topic"]
    readonly_fields = ["created_at", "sent_at", "attempts", "last_error", "claim", "claimed_until"]
