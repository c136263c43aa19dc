"""Form of a decision: its number, date and signer."""
from __future__ import annotations

from django import forms

from appraisal.process.periods.forms import DateField


class DecisionForm(forms.Form):
    number = forms.CharField(label="Số quyết định", max_length=64, help_text="Ví dụ: 25-QĐ/ĐU")
    decided_on = DateField(label="Ngày quyết định")
    signer = forms.CharField(label="Người ký", max_length=255, required=False)
