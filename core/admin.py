"""Django admin: the base class every app's admin uses, roles and the audit trail.

The admin is the administrators' tool (superusers only: it is not narrowed to a part of the
tree, so a staff flag alone must not open it). Everyone else works through the application's
own pages. The base class below:
- search ignores tones and case on the stored folded names ("nguyen van anh" finds
  "Nguyễn Văn Ánh"), word by word;
- every save or delete, including inline rows, is written to the audit trail;
- big foreign keys are autocomplete fields, and list pages select their related rows.
"""
from django import forms
from django.contrib import admin
from django.contrib.admin.utils import lookup_spawns_duplicates
from django.db.models import Model, Q, QuerySet

from .audit import AuditAction, action_label, record_change
from .models import AuditEntry, IssuedDocument, Role, RoleAssignment
from .vntext import fold, nfc


def _loggable(value):
    """A form value as the audit trail stores it (querysets of m2m fields as primary keys)."""
    if isinstance(value, QuerySet):
        return ", ".join(str(pk) for pk in value.values_list("pk", flat=True))
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v.pk if isinstance(v, Model) else v) for v in value)
    return value


def form_changes(form) -> dict:
    """Field → (old, new) for a changed object, field → value for a new one."""
    if form.instance._state.adding or not form.initial:
        return {name: _loggable(form.cleaned_data.get(name)) for name in form.changed_data}
    return {
        name: (_loggable(form.initial.get(name)), _loggable(form.cleaned_data.get(name)))
        for name in form.changed_data
    }


def add_errors(form, errors: dict[str, list[str]]) -> None:
    """Put a validator's field → messages on the form; fields it lacks go to the top."""
    for field, messages in errors.items():
        form.add_error(field if field in form.fields else None, messages)


STALE_MESSAGE = (
    "Bản ghi này vừa được người khác sửa sau khi đồng chí mở trang. "
    "Chưa lưu gì: hãy tải lại trang để xem thông tin mới nhất rồi sửa lại."
)


class ValidatedModelForm(forms.ModelForm):
    """An admin form that runs the entity's validator (the same one forms, services and the
    import call): subclasses return its field → messages from `entity_errors`."""

    def entity_errors(self, data: dict) -> dict[str, list[str]]:
        return {}

    def value(self, data: dict, name: str, default=None):
        """A field's value: as typed on this form, else as stored on the row."""
        if name in self.fields:
            return data.get(name, default)
        return getattr(self.instance, name, default)

    def clean(self):
        data = super().clean()
        add_errors(self, self.entity_errors(data))
        return data


class VersionedModelForm(ValidatedModelForm):
    """For a row with a `version` (the one stale-edit guard of the application): the form
    carries the version it was opened with, and a save over someone else's newer change is
    refused; a save claims the next version (inline rows too: their formset saves through here).
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            # The admin's change view runs in a transaction: the row stays locked until saved.
            current = (type(self.instance).objects.select_for_update().filter(pk=self.instance.pk)
                       .values_list("version", flat=True).first())
            if data.get("loaded_version") != current:
                raise forms.ValidationError(STALE_MESSAGE, code="stale")
        return data

    def save(self, commit=True):
        if self.instance.pk and self.cleaned_data.get("loaded_version") is not None:
            self.instance.version = self.cleaned_data["loaded_version"] + 1
        return super().save(commit)


class BaseAdmin(admin.ModelAdmin):
    """Superusers only; Vietnamese search; every change audited."""

    folded_search_fields: tuple[str, ...] = ()  # lookups on columns holding fold(name)
    plain_search_fields: tuple[str, ...] = ()  # codes, numbers: matched with icontains
    list_per_page = 50

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        # Shows the search box and satisfies autocomplete; the search itself is below.
        self.search_fields = (*self.folded_search_fields, *self.plain_search_fields)

    def get_search_results(self, request, queryset, search_term):
        """Keep the rows matching every word of the query, ignoring tones and case."""
        words = nfc(search_term).split()
        if not words:
            return queryset, False
        for word in words:
            q = Q()
            for lookup in self.folded_search_fields:
                q |= Q(**{f"{lookup}__contains": fold(word)})
            for lookup in self.plain_search_fields:
                q |= Q(**{f"{lookup}__icontains": word})
            queryset = queryset.filter(q)
        may_have_duplicates = any(
            lookup_spawns_duplicates(self.opts, lookup)
            for lookup in (*self.folded_search_fields, *self.plain_search_fields)
        )
        return queryset, may_have_duplicates

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def save_model(self, request, obj, form, change):
        changes = form_changes(form)
        changes.pop("loaded_version", None)
        super().save_model(request, obj, form, change)
        record_change(actor=request.user, action=AuditAction.ADMIN_CHANGE if change else AuditAction.ADMIN_ADD, obj=obj, changes=changes)

    def delete_model(self, request, obj):
        record_change(actor=request.user, action=AuditAction.ADMIN_DELETE, obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record_change(actor=request.user, action=AuditAction.ADMIN_DELETE, obj=obj)
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        """Save inline rows one by one so each lands in the audit trail."""
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            record_change(actor=request.user, action=AuditAction.ADMIN_DELETE, obj=obj)
            obj.delete()
        changed = {id(obj): fields for obj, fields in formset.changed_objects}
        for obj in instances:
            adding = obj._state.adding
            obj.save()
            record_change(
                actor=request.user, action=AuditAction.ADMIN_ADD if adding else AuditAction.ADMIN_CHANGE, obj=obj,
                changes={"fields": ", ".join(changed.get(id(obj), []))} if not adding else None,
            )
        formset.save_m2m()


class ReadOnlyAdmin(BaseAdmin):
    """For records nobody edits by hand (the audit trail)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RoleAssignmentForm(forms.ModelForm):
    """Say in Vietnamese which scope each role needs, before the database constraint does.

    The rules are RoleAssignment's check constraint (and orgs.services.ROLE_SCOPES): staff and
    the standing committee hold their role over the whole deployment, never one organisation.
    """

    class Meta:
        model = RoleAssignment
        fields = ("user", "role", "organization", "unit")

    def clean(self):
        data = super().clean()
        role, org, unit = data.get("role"), data.get("organization"), data.get("unit")
        if role == Role.SECRETARY and (org is None or unit is not None):
            raise forms.ValidationError(
                "Vai trò Bí thư chi bộ cần chọn tổ chức đảng (chi bộ, đảng bộ) và để trống cơ quan, đơn vị."
            )
        if role == Role.UNIT_LEADERSHIP and (unit is None or org is not None):
            raise forms.ValidationError(
                "Vai trò Lãnh đạo cơ quan, đơn vị cần chọn cơ quan, đơn vị và để trống tổ chức đảng."
            )
        if role in (Role.STAFF, Role.STANDING) and org is not None:
            raise forms.ValidationError(
                f"Vai trò “{Role(role).label}” áp dụng cho toàn Đảng bộ: để trống ô tổ chức đảng "
                f"(muốn cho xem riêng một tổ chức, hãy giao vai trò “{Role.VIEWER.label}”)."
            )
        if role in (Role.STAFF, Role.STANDING, Role.VIEWER) and unit is not None:
            raise forms.ValidationError("Vai trò này không gắn với cơ quan, đơn vị: để trống ô cơ quan, đơn vị.")
        return data


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(BaseAdmin):
    form = RoleAssignmentForm
    list_display = ("user", "role", "organization", "unit")
    list_filter = ("role",)
    list_select_related = ("user", "organization", "unit")
    folded_search_fields = ("organization__search_name",)
    plain_search_fields = ("user__username", "user__first_name", "user__last_name", "unit__name")
    autocomplete_fields = ("user", "organization", "unit")


class ActionFilter(admin.SimpleListFilter):
    """Filter the audit trail by action, labelled in Vietnamese."""

    title = "thao tác"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return AuditAction.choices

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action_label", "object_type", "object_repr")
    list_filter = (ActionFilter, "object_type")
    list_select_related = ("actor",)
    raw_id_fields = ("actor",)
    plain_search_fields = ("object_repr", "object_id", "action", "actor__username")

    @admin.display(description="thao tác", ordering="action")
    def action_label(self, obj):
        return action_label(obj.action)


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    """Issued documents (core.issued): read-only; a document is issued by its service, never here."""

    list_display = ("code", "title", "issued_on", "signed", "test_certificate", "timestamped", "superseded_at")
    list_filter = ("kind", "signed", "test_certificate")
    plain_search_fields = ("code", "title", "sha256")
