"""Forms of complaints about a rating: filing and resolving."""
from __future__ import annotations

from django import forms

from appraisal.models import (
    ComplaintStatus,
)
from core.forms import date_field


class ComplaintForm(forms.Form):
    complainant = forms.CharField(label="Người khiếu nại", max_length=255)
    received_on = date_field("Ngày nhận")
    content = forms.CharField(label="Nội dung khiếu nại", widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)


class ComplaintResolveForm(forms.Form):
    status = forms.ChoiceField(
        label="Kết quả", choices=[(ComplaintStatus.UPHELD, ComplaintStatus.UPHELD.label),
                                  (ComplaintStatus.REJECTED, ComplaintStatus.REJECTED.label)],
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(label="Kết quả giải quyết", widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)
    resolved_on = date_field("Ngày giải quyết")
