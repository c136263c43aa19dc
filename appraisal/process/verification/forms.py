"""Forms of verification: a note, a reason, a score adjusted with its reason."""
from __future__ import annotations

from django import forms


class NoteForm(forms.Form):
    note = forms.CharField(label="Ý kiến", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class UndoForm(forms.Form):
    """Undo a verification: the version seen, an optional reason, where to go back to."""

    reason = forms.CharField(label="Lý do bỏ thẩm định (nếu có)", required=False, max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)
    next = forms.ChoiceField(choices=[("", ""), ("queue", "queue")], required=False, widget=forms.HiddenInput)


class AdjustForm(forms.Form):
    """Ban Xây dựng Đảng changes one criterion's points, with the reason in writing."""

    code = forms.CharField(label="Mã tiêu chí", max_length=16)
    value = forms.CharField(label="Điểm mới", max_length=20)
    reason = forms.CharField(label="Lý do điều chỉnh", widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    version = forms.IntegerField(widget=forms.HiddenInput)
