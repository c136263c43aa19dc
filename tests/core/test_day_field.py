"""Every date box reads and shows day/month/year whatever the browser's language [issue 14]:
a plain text box with a pattern, read on the server by the one core date field."""
import datetime as dt
import re

import pytest
from django import forms
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from appraisal.process.complaints.forms import ComplaintForm, ComplaintResolveForm
from appraisal.process.decisions.forms import DecisionForm
from appraisal.process.meetings.forms import MeetingForm
from appraisal.process.periods.forms import PeriodCreateForm, PeriodDeadlinesForm
from appraisal.process.ratings.forms import ProductRowForm
from core.forms import DATE_PATTERN, date_field
from members.forms import DisciplineRecordForm, MemberForm, PositionForm
from reports.forms import FinalizeForm

FORMS = [ComplaintForm, ComplaintResolveForm, DecisionForm, MeetingForm, PeriodCreateForm, PeriodDeadlinesForm, ProductRowForm, MemberForm, DisciplineRecordForm, PositionForm,
         FinalizeForm]


@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f.__name__)
def test_no_form_uses_the_browsers_date_input(form_class):
    """The browser's own date widget shows mm/dd/yyyy in an English locale: no form has one."""
    dates = {name: field for name, field in form_class.base_fields.items() if isinstance(field, forms.DateField)}
    assert dates, f"{form_class.__name__} has no date field"
    for name, field in dates.items():
        html = field.widget.render(name, None)
        assert 'type="text"' in html and f'pattern="{DATE_PATTERN}"' in html, html
        assert 'type="date"' not in html


@given(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_a_date_shown_in_its_box_is_read_back_as_the_same_day(day):
    field = date_field("Ngày họp")
    shown = field.widget.format_value(day)
    assert re.fullmatch(DATE_PATTERN, shown)
    assert field.clean(shown) == day


@pytest.mark.parametrize(("typed", "day"), [("05/3/2026", dt.date(2026, 3, 5)), ("5/03/26", dt.date(2026, 3, 5)),
                                           ("24/06/2026", dt.date(2026, 6, 24))])
def test_day_month_year_is_read_day_first(typed, day):
    assert date_field("Ngày").clean(typed) == day


def test_month_first_is_refused_with_a_vietnamese_message():
    """03/24/2026 (an English browser's order) is not a date: the message names the field."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Ngày họp: ngày không hợp lệ"):
        date_field("Ngày họp").clean("03/24/2026")


def test_the_period_form_shows_its_dates_day_first(db, client):
    from core.models import Role
    from tests.factories import user_with_role

    client.force_login(user_with_role(Role.STAFF, username="bxd"))
    html = client.get(reverse("appraisal:period_create")).content.decode()
    assert 'type="date"' not in html
    assert html.count(f'pattern="{DATE_PATTERN}"') >= 1
