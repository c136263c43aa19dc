"""Loading frameworks into the engine's specs the way rating does (`scoring.loader.frameworks`):
defaults validate, constant queries."""
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from appraisal.models import ConditionCap, Framework
from appraisal.rules import GroupSpec, validate_framework
from appraisal.rules.levels import Level, SubjectType
from appraisal.scoring.loader import frameworks
from tests.appraisal.test_frameworks import make_framework


def load_framework_spec(framework_id: int):
    """The spec rating uses for the framework: the loader's own path, not a helper of the tests."""
    return frameworks([framework_id])[framework_id].spec


@pytest.fixture
def defaults(db):
    call_command("load_frameworks", stdout=StringIO())


def test_every_default_framework_loads_and_validates_with_the_engine(defaults):
    """Each of the six defaults becomes a FrameworkSpec of its subject type with no errors."""
    seen = set()
    for framework in Framework.objects.all():
        spec = load_framework_spec(framework.pk)
        assert validate_framework(spec) == [], framework.code
        assert sum(g.max_points for g in spec.groups) == Decimal(100)
        seen.add(spec.subject_type)
    assert seen == set(SubjectType)


def test_leader_default_reads_quy_dinh_366_as_30_plus_70(defaults):
    """The leader framework's common part is 9 × 2 + 4 × 1 + 4 × 2 = 30; the task part is 70 and key."""
    spec = load_framework_spec(Framework.objects.get(code="CB-QUY").pk)
    common, tasks = spec.groups
    assert [(len(g.children), {c.max_points for c in g.children}) for g in common.children] == [
        (9, {Decimal(2)}), (4, {Decimal(1)}), (4, {Decimal(2)}),
    ]
    assert tasks.max_points == Decimal(70)
    assert all(c.key for c in tasks.children)
    assert spec.exceeded_share == Decimal("0.3")


def test_settings_and_thresholds_reach_the_spec(defaults):
    """Base organisations use 85/70/50; the quota is 20 % of those rated HTTNV or above, half up."""
    spec = load_framework_spec(Framework.objects.get(code="TCCSD-NAM").pk)
    assert (spec.thresholds.excellent, spec.thresholds.good, spec.thresholds.passing) == (85, 70, 50)
    assert spec.quota.share == Decimal("0.2") and spec.quota.base_min_level is Level.GOOD
    assert spec.quota.rounding == "ROUND_HALF_UP" and spec.quota.small_group_size == 5


def test_disabled_caps_are_left_out_of_the_spec(defaults):
    """A cap staff switched off is not applied by the engine; the others are."""
    framework = Framework.objects.get(code="DV-NAM")
    ConditionCap.objects.filter(framework=framework, condition="not_outstanding").update(enabled=False)
    spec = load_framework_spec(framework.pk)
    assert spec.cap("not_outstanding") is None
    assert spec.cap("criteria_poor").level is Level.FAIL


@pytest.mark.parametrize("n_tasks", [2, 14])
def test_loading_a_spec_takes_three_queries_whatever_its_size(db, django_assert_num_queries, n_tasks):
    """Its stamp, then framework, criteria and caps: four queries for 2 or 14 task criteria."""
    from tests.factories import user_with_role

    framework = make_framework(user_with_role("staff"), n_tasks=n_tasks)
    with django_assert_num_queries(4):
        spec = load_framework_spec(framework.pk)
    assert isinstance(spec.groups[1], GroupSpec) and len(spec.groups[1].children) == n_tasks
