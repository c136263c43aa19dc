"""Forms for the tree, units and blocks: they check shape and types; orgs.services checks the rules."""
from django import forms

from core.forms import SORT_ORDER_MAX, VersionForm, date_field

from .models import Block, OrgKind, PartyOrganization


class CellChoiceField(forms.ModelChoiceField):
    """Organisations indented by depth, starting with a "choose" line instead of dashes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", "— Chọn tổ chức đảng —")
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return ("— " * obj.depth) + obj.name


OrgChoiceField = CellChoiceField  # any organisation (not only cells), indented by its depth


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


class OrgEditForm(VersionForm):
    code = forms.CharField(label="Mã", max_length=32)
    name = forms.CharField(label="Tên tổ chức đảng", max_length=255)
    established_on = date_field("Ngày thành lập", required=False)
    sort_order = forms.IntegerField(label="Thứ tự", min_value=0, max_value=SORT_ORDER_MAX, required=False)
    letterhead_superior = forms.CharField(
        label="Dòng cấp trên ở đầu văn bản", max_length=255, required=False,
        help_text=PartyOrganization._meta.get_field("letterhead_superior").help_text,
    )
    letterhead_issuer = forms.CharField(
        label="Tên cơ quan ban hành ở đầu văn bản", max_length=255, required=False,
        help_text=PartyOrganization._meta.get_field("letterhead_issuer").help_text,
    )
    letterhead_place = forms.CharField(
        label="Địa danh ở dòng ngày tháng", max_length=80, required=False,
        help_text=PartyOrganization._meta.get_field("letterhead_place").help_text,
    )

    def clean_sort_order(self):
        return self.cleaned_data.get("sort_order") or 0


class OrgMoveForm(VersionForm):
    parent = OrgChoiceField(label="Chuyển về trực thuộc", queryset=PartyOrganization.objects.none())

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents


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


class UnitEditForm(UnitForm, VersionForm):
    pass




class PlacementRuleForm(VersionForm):
    """Where organisations of one kind may sit."""

    top_allowed = forms.BooleanField(label="Được là tổ chức cấp cao nhất của Đảng bộ", required=False)
    parent_kinds = forms.MultipleChoiceField(
        label="Được trực thuộc các loại tổ chức", choices=OrgKind.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
