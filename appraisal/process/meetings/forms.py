"""Forms of a meeting that votes, and of a proposal without a ballot."""
from __future__ import annotations

from django import forms

from appraisal.models import (
    LevelCode,
)
from core.forms import date_field


class ProposeForm(forms.Form):
    level = forms.ChoiceField(label="Mức đề xuất", choices=LevelCode.choices)
    note = forms.CharField(label="Căn cứ đề xuất (kết quả biểu quyết, nhận xét)", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    version = forms.IntegerField(widget=forms.HiddenInput)


class MeetingForm(forms.Form):
    """The meeting and the counting team's totals (biên bản kiểm phiếu) [003 C.IV.11]."""

    held_on = date_field("Ngày họp")
    place = forms.CharField(label="Địa điểm", max_length=255, required=False)
    chair = forms.CharField(label="Chủ trì", max_length=255)
    clerk = forms.CharField(label="Thư ký", max_length=255, required=False)
    counting_team = forms.CharField(label="Tổ kiểm phiếu", max_length=500, required=False)
    full_staff = forms.BooleanField(label="Họp toàn thể cơ quan (đơn vị có từ 03 lãnh đạo trở xuống)", required=False)
    attendance_expected = forms.IntegerField(label="Số được triệu tập", min_value=0, max_value=100000)
    attendance_present = forms.IntegerField(label="Số có mặt", min_value=0, max_value=100000)
    ballots_issued = forms.IntegerField(label="Số phiếu phát ra", min_value=0, max_value=100000)
    ballots_collected = forms.IntegerField(label="Số phiếu thu về", min_value=0, max_value=100000)
    ballots_valid = forms.IntegerField(label="Số phiếu hợp lệ", min_value=0, max_value=100000)
    ballots_invalid = forms.IntegerField(label="Số phiếu không hợp lệ", min_value=0, max_value=100000)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class VoidForm(forms.Form):
    """Why a meeting's tally is voided (recorded wrongly), to record it again."""

    reason = forms.CharField(label="Lý do hủy (ghi sai số phiếu, nhầm đối tượng…)", max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 2}))
