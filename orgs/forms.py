"""Forms for the tree, units, blocks, position groups, accounts and the audit filter.

They check shape and types; the services in orgs.services check the rules.
"""
from django import forms
from django.contrib.auth.forms import PasswordChangeForm

from members.forms import CellChoiceField, date_field

from .manage_selectors import object_type_choices
from .models import Block, OrgKind, PartyOrganization, Role, Unit

OrgChoiceField = CellChoiceField  # any organisation (not only cells), indented by its depth
SORT_ORDER_MAX = 1_000_000  # beyond it a 30-digit number would overflow the database column


class FingerprintForm(forms.Form):
    """A form that carries the fingerprint of the row as it was shown (optimistic locking)."""

    fingerprint = forms.CharField(widget=forms.HiddenInput)


class OrgCreateForm(forms.Form):
    parent = OrgChoiceField(
        label="Trực thuộc", queryset=PartyOrganization.objects.none(), required=False,
        help_text="Để trống chỉ khi tạo tổ chức cấp cao nhất của Đảng bộ.",
    )
    kind = forms.ChoiceField(label="Loại tổ chức", choices=OrgKind.choices)
    code = forms.CharField(label="Mã", max_length=32)
    name = forms.CharField(label="Tên tổ chức đảng", max_length=255)
    established_on = date_field("Ngày thành lập", required=False)
    sort_order = forms.IntegerField(label="Thứ tự", min_value=0, max_value=SORT_ORDER_MAX, initial=0, required=False)

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents

    def clean_sort_order(self):
        return self.cleaned_data.get("sort_order") or 0


class OrgEditForm(FingerprintForm):
    code = forms.CharField(label="Mã", max_length=32)
    name = forms.CharField(label="Tên tổ chức đảng", max_length=255)
    established_on = date_field("Ngày thành lập", required=False)
    sort_order = forms.IntegerField(label="Thứ tự", min_value=0, max_value=SORT_ORDER_MAX, required=False)

    def clean_sort_order(self):
        return self.cleaned_data.get("sort_order") or 0


class OrgMoveForm(FingerprintForm):
    parent = OrgChoiceField(label="Chuyển về trực thuộc", queryset=PartyOrganization.objects.none())

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents


class ConfirmOnlyForm(forms.Form):
    """A bare confirmation: no fields, only a place for the service's errors."""


class ConfirmForm(FingerprintForm):
    """A confirmation (deactivate): only the fingerprint."""


class UnitForm(forms.Form):
    code = forms.CharField(label="Mã", max_length=32)
    name = forms.CharField(label="Tên cơ quan, đơn vị", max_length=255)
    block = forms.ModelChoiceField(label="Khối", queryset=Block.objects.all(), empty_label="— Chọn khối —")
    party_organization = OrgChoiceField(
        label="Tổ chức đảng", queryset=PartyOrganization.objects.none(), required=False,
        help_text="Chi bộ, đảng bộ của cơ quan, đơn vị (nếu có).",
    )
    has_leadership_collective = forms.BooleanField(
        label="Có tập thể lãnh đạo được đánh giá", required=False, initial=True
    )
    sort_order = forms.IntegerField(label="Thứ tự", min_value=0, max_value=SORT_ORDER_MAX, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party_organization"].queryset = PartyOrganization.objects.filter(
            is_active=True
        ).order_by("path")

    def clean_sort_order(self):
        return self.cleaned_data.get("sort_order") or 0


class UnitEditForm(UnitForm, FingerprintForm):
    pass


class CodeNameForm(forms.Form):
    """Blocks and position groups: code, name, order."""

    code = forms.CharField(label="Mã", max_length=32)
    name = forms.CharField(label="Tên", max_length=255)
    sort_order = forms.IntegerField(label="Thứ tự", min_value=0, max_value=SORT_ORDER_MAX, required=False)

    def clean_sort_order(self):
        return self.cleaned_data.get("sort_order") or 0


class CodeNameEditForm(CodeNameForm, FingerprintForm):
    pass


class UserCreateForm(forms.Form):
    username = forms.CharField(label="Tên đăng nhập", max_length=150)
    full_name = forms.CharField(
        label="Họ và tên", max_length=150, required=False,
        help_text="Viết đủ họ, tên đệm và tên (Nguyễn Văn An). Để trống nếu lấy theo hồ sơ đảng viên.",
    )
    card_number = forms.CharField(
        label="Số thẻ đảng viên", max_length=32, required=False,
        help_text="Nếu tài khoản là của một đảng viên: gắn tài khoản với hồ sơ đảng viên đó.",
    )


class UserEditForm(FingerprintForm):
    full_name = forms.CharField(label="Họ và tên", max_length=150)
    card_number = forms.CharField(
        label="Số thẻ đảng viên", max_length=32, required=False,
        help_text="Để trống nếu tài khoản không gắn với đảng viên nào.",
    )


class RoleAssignForm(forms.Form):
    role = forms.ChoiceField(label="Vai trò", choices=Role.choices)
    organization = OrgChoiceField(
        label="Tổ chức đảng", queryset=PartyOrganization.objects.none(), required=False,
        help_text="Bí thư: bắt buộc. Chỉ xem: để trống nếu xem toàn Đảng bộ.",
    )
    unit = forms.ModelChoiceField(
        label="Cơ quan, đơn vị", queryset=Unit.objects.none(), required=False,
        help_text="Chỉ cho vai trò Lãnh đạo cơ quan, đơn vị.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = PartyOrganization.objects.filter(is_active=True).order_by("path")
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True).select_related("block")


class AuditFilterForm(forms.Form):
    object_type = forms.ChoiceField(label="Loại đối tượng", required=False)
    actor = forms.CharField(label="Người thực hiện", max_length=150, required=False)
    date_from = date_field("Từ ngày", required=False)
    date_to = date_field("Đến ngày", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", "Tất cả"), *object_type_choices()]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "Đến ngày không được trước Từ ngày.")
        return data


class VietnamesePasswordChangeForm(PasswordChangeForm):
    """Django's form, with Vietnamese labels."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Mật khẩu hiện tại"
        self.fields["new_password1"].label = "Mật khẩu mới"
        self.fields["new_password2"].label = "Nhập lại mật khẩu mới"
        self.fields["new_password1"].help_text = "Ít nhất 8 ký tự, không quá giống tên đăng nhập, không toàn chữ số."
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": "Mật khẩu hiện tại không đúng. Vui lòng nhập lại.",
            "password_mismatch": "Hai lần nhập mật khẩu mới không khớp nhau.",
        }
