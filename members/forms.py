"""Forms for member changes: they check shape and types; the services check coherence."""
from django import forms

from core.forms import VersionForm, date_field
from orgs.forms import CellChoiceField
from orgs.models import PartyOrganization, Unit
from orgs.selectors import destination_cells

from .models import DisciplineForm, Gender, LeadershipRole, MemberStatus, PositionGroup, Tier


class MemberForm(forms.Form):
    """A member's own fields; `cell` only on creation, `version` only on edit."""

    full_name = forms.CharField(label="Họ và tên", max_length=120)
    date_of_birth = date_field("Ngày sinh", required=False)
    gender = forms.ChoiceField(label="Giới tính", choices=Gender.choices)
    card_number = forms.CharField(label="Số thẻ đảng viên", max_length=32)
    admitted_on = date_field("Ngày vào Đảng")
    status = forms.ChoiceField(label="Tình trạng", choices=MemberStatus.choices)
    official_on = date_field("Ngày chính thức", required=False, help_text="Để trống nếu còn là đảng viên dự bị.")


class MemberCreateForm(MemberForm):
    cell = CellChoiceField(label="Chi bộ sinh hoạt", queryset=PartyOrganization.objects.none())

    field_order = ["cell"]

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cell"].queryset = cells


class MemberEditForm(MemberForm):
    is_active = forms.BooleanField(
        label="Còn sinh hoạt", required=False,
        help_text="Bỏ chọn khi đảng viên chuyển ra ngoài Đảng bộ hoặc từ trần.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class TransferForm(forms.Form):
    to_cell = CellChoiceField(label="Chuyển đến chi bộ", queryset=PartyOrganization.objects.none())
    moved_on = date_field("Ngày chuyển")
    note = forms.CharField(label="Ghi chú", max_length=255, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_cell"].queryset = destination_cells()


class PeriodForm(forms.Form):
    """Exemption or suspension: from a date, optionally until a date."""

    start_on = date_field("Từ ngày")
    end_on = date_field("Đến ngày", required=False, help_text="Để trống nếu chưa xác định.")
    reason = forms.CharField(label="Lý do", max_length=255, required=False)


class TemporaryActivityForm(forms.Form):
    """Temporary party activity elsewhere: where, from a date, optionally until a date."""

    place = forms.CharField(label="Nơi sinh hoạt tạm thời", max_length=255,
                            help_text="Ví dụ: Chi bộ thôn Nà Bó, Đảng bộ xã Nậm Xé.")
    start_on = date_field("Từ ngày")
    end_on = date_field("Đến ngày", required=False, help_text="Để trống nếu chưa xác định.")


class PeriodEndForm(VersionForm):
    """The day an exemption, suspension or temporary activity ends (and the period's version)."""

    end_on = date_field("Ngày kết thúc")


class DisciplineRecordForm(forms.Form):
    form = forms.ChoiceField(label="Hình thức kỷ luật", choices=DisciplineForm.choices)
    violation_on = date_field("Ngày vi phạm")
    decided_on = date_field("Ngày quyết định")
    decision_number = forms.CharField(label="Số quyết định", max_length=64, required=False)
    reason = forms.CharField(label="Nội dung vi phạm", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    related_to_duties = forms.BooleanField(label="Liên quan đến thực hiện chức trách, nhiệm vụ", required=False, initial=True)
    self_detected_remedied = forms.BooleanField(label="Tự phát hiện và khắc phục", required=False)


class PositionForm(forms.Form):
    title = forms.CharField(label="Chức vụ", max_length=255)
    leadership_role = forms.ChoiceField(label="Vai trò", choices=LeadershipRole.choices)
    group = forms.ModelChoiceField(
        label="Nhóm chức danh", queryset=PositionGroup.objects.all(), empty_label="— Chọn nhóm chức danh —"
    )
    tier = forms.ChoiceField(label="Diện quản lý", choices=Tier.choices, initial=Tier.COMMUNE)
    unit = forms.ModelChoiceField(
        label="Cơ quan, đơn vị", queryset=Unit.objects.none(), required=False, empty_label="— Chọn cơ quan, đơn vị —"
    )
    organization = CellChoiceField(
        label="Hoặc tổ chức đảng", queryset=PartyOrganization.objects.none(), required=False
    )
    start_on = date_field("Từ ngày")
    end_on = date_field("Đến ngày", required=False, help_text="Để trống nếu đang giữ chức vụ.")

    def __init__(self, *args, units, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["organization"].queryset = organizations


class PositionEndForm(forms.Form):
    end_on = date_field("Ngày thôi giữ chức vụ")
