"""Form of a decision: its number, date and signer."""
from __future__ import annotations

from django import forms

from core.forms import date_field


class DecisionForm(forms.Form):
    number = forms.CharField(label="Số quyết định", max_length=64, help_text="Ví dụ: 25-QĐ/ĐU")
    decided_on = date_field("Ngày quyết định")
    signer = forms.CharField(label="Người ký", max_length=255, required=False)
    signer_title = forms.CharField(
        label="Chức vụ người ký", max_length=80, required=False,
        help_text="Để trống: chức vụ người ký giữ trong cấp ủy quyết định (BÍ THƯ, PHÓ BÍ THƯ).",
    )
