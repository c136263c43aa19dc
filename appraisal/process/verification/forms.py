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


class VerifyGroupForm(forms.Form):
    """A group of the verification queue as the page showed it: each proposal with the version
    seen ("id:version"), a note, and the confirmation an over-quota group needs."""

    phieu = forms.CharField(required=False)  # read with getlist in clean()
    note = forms.CharField(label="Ý kiến thẩm định", required=False, max_length=500)
    xac_nhan = forms.BooleanField(required=False)

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self._pairs = data.getlist("phieu") if data is not None and hasattr(data, "getlist") else []

    def clean(self):
        cleaned = super().clean()
        seen: dict[int, int] = {}
        for value in self._pairs:
            rating_id, _, version = str(value).partition(":")
            if not (f"{rating_id}{version}".isascii() and rating_id.isdigit() and version.isdigit()) \
                    or len(rating_id) > 12 or len(version) > 9:  # "²".isdigit(), but int("²") fails
                raise forms.ValidationError("Danh sách phiếu của nhóm không hợp lệ: tải lại trang rồi thẩm định lại.")
            seen[int(rating_id)] = int(version)
        if not seen:
            raise forms.ValidationError("Nhóm không có phiếu nào để thẩm định.")
        cleaned["versions"] = seen
        return cleaned
