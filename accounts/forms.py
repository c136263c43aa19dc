"""Forms for accounts, roles and passwords: they check shape and types; accounts.services checks the rules."""
from django import forms
from django.contrib.auth.forms import PasswordChangeForm

from core.forms import VersionForm
from core.models import Role
from orgs.forms import OrgChoiceField
from orgs.models import PartyOrganization, Unit


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


class UserEditForm(VersionForm):
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
