"""The form helpers every page uses: a service's refusal on the form, numbers read from a request."""
import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict

from core.forms import TamperedPost, form_errors, posted_int, posted_version, query_int


class NameForm(forms.Form):
    name = forms.CharField()


def _bound() -> NameForm:
    form = NameForm({"name": "An"})
    assert form.is_valid()
    return form


def test_a_field_keyed_refusal_lands_beside_its_field_and_the_rest_on_top():
    form = _bound()
    form_errors(form, ValidationError({"name": ["Tên đã được dùng."], "code": ["Mã sai."], "__all__": ["Chung."]}))
    assert form.errors["name"] == ["Tên đã được dùng."]
    assert form.non_field_errors() == ["Mã sai.", "Chung."]


def test_a_plain_refusal_lands_on_top_with_every_message():
    form = _bound()
    form_errors(form, ValidationError(["Một.", "Hai."]))
    assert form.non_field_errors() == ["Một.", "Hai."]
    assert "name" not in form.errors


def test_a_refusal_of_a_formset_lands_above_its_rows():
    formset = forms.formset_factory(NameForm, extra=0)({"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0",
                                                        "form-0-name": "An"})
    assert formset.is_valid()
    form_errors(formset, ValidationError(["Dòng 1: thiếu hạn.", "Dòng 2: trùng."]))
    assert list(formset.non_form_errors()) == ["Dòng 1: thiếu hạn.", "Dòng 2: trùng."]
    assert not formset.is_valid()


@pytest.mark.parametrize(("posted", "read"), [
    ({"version": "7"}, 7), ({"version": " 7 "}, 7), ({"version": "0"}, 0), ({}, -1), ({"version": ""}, -1),
    ({"version": "7a"}, -1), ({"version": "-3"}, -1), ({"version": "1e3"}, -1), ({"version": str(2**31)}, -1),
])
def test_a_posted_whole_number_or_minus_one(posted, read):
    """posted_int (a count typed by a user) gives -1 for the service to refuse; posted_version (a hidden
    field the page wrote) is a 400 instead (tests/security/test_tampered_versions.py)."""
    data = QueryDict(mutable=True)
    data.update(posted)
    assert posted_int(data, "version") == read
    if read >= 0:
        assert posted_version(data) == read
    else:
        with pytest.raises(TamperedPost):
            posted_version(data)


@pytest.mark.parametrize(("query", "read"), [("", 2026), ("quy=", 2026), ("quy=1", 1), ("quy=4", 4)])
def test_a_query_number_in_range_or_the_default(query, read):
    assert query_int(QueryDict(query), "quy", default=2026, lo=1, hi=4) == read


@pytest.mark.parametrize("query", ["quy=0", "quy=5", "quy=hai", "quy=1.5", "quy=-1"])
def test_a_query_number_out_of_range_or_not_whole_is_not_found(query):
    with pytest.raises(Http404, match="Tham số quy không hợp lệ"):
        query_int(QueryDict(query), "quy", default=None, lo=1, hi=4)
