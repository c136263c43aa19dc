"""appraisal.trial without the database: facts per subject type, reading tables, arithmetic, cascade."""
from dataclasses import fields
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appraisal import trial
from appraisal.rules import (
    CriterionLevel,
    CriterionSpec,
    Facts,
    Level,
    QuotaSettings,
    ScoringKind,
    SubjectType,
    SubjectVotes,
    ballot_level,
    condition_codes,
    excellent_quota,
    sample_framework,
)

D = Decimal
FACT_NAMES = {f.name for f in fields(Facts)}


@pytest.mark.parametrize("subject_type", list(SubjectType), ids=lambda s: s.value)
def test_every_condition_of_the_engine_says_which_facts_it_reads(subject_type):
    """A condition added to the engine must be mapped here, or the trial form would not ask for its facts."""
    assert condition_codes(subject_type) <= set(trial.CONDITION_FACTS)


def test_fact_inputs_are_facts_fields():
    """Every input of the facts part fills a field of the engine's Facts, and every mapped fact has an input."""
    assert {f.name for f in trial.FACT_FIELDS} <= FACT_NAMES
    mapped = {name for names in trial.CONDITION_FACTS.values() for name in names}
    assert mapped <= set(trial.FACT_BY_NAME)


def test_facts_asked_depend_on_the_subject_type():
    names = {t: {f.name for f in trial.fact_fields(t)} for t in SubjectType}
    assert {"tasks_assigned", "tasks_done", "is_head", "collective_targets_pct"} <= names[SubjectType.LEADER_QUARTERLY]
    assert "quarter_levels" in names[SubjectType.LEADER_YEARLY]
    assert "quarter_levels" not in names[SubjectType.LEADER_QUARTERLY]
    assert {"low_confidence_votes", "discipline_self_remedied"} <= names[SubjectType.MEMBER_YEARLY]
    assert {"org_kind", "sub_total", "leadership_level"} <= names[SubjectType.BASE_ORG_YEARLY]
    assert "tasks_assigned" not in names[SubjectType.BASE_ORG_YEARLY]
    assert {"organisation_level", "disunity"} <= names[SubjectType.COMMITTEE_YEARLY]
    assert trial.criterion_marks(SubjectType.MEMBER_YEARLY) == {"short", "not_done"}
    assert trial.criterion_marks(SubjectType.LEADER_QUARTERLY) == frozenset()


def test_facts_from_drops_blank_quarters_and_keeps_neutral_defaults():
    facts = trial.facts_from(
        {"tasks_assigned": 60, "tasks_done": 59, "quarter_levels": (Level.GOOD, None, Level.FAIL, None),
         "tasks_on_time": None, "outstanding": True},
        SubjectType.LEADER_YEARLY,
    )
    assert facts.quarter_levels == (Level.GOOD, Level.FAIL)
    assert (facts.tasks_assigned, facts.tasks_done, facts.tasks_on_time, facts.outstanding) == (60, 59, None, True)


QUAL = CriterionSpec("1.1", "a", D(10))
QUANT = CriterionSpec("2.1", "b", D(20), ScoringKind.QUANTITATIVE, key=True)


@pytest.mark.parametrize(
    ("criterion", "values", "expected"),
    [
        (QUAL, {"level": CriterionLevel.GOOD, "points": D(9)},
         [("points", "Tiêu chí «1.1»: điểm 9 nằm ngoài khung mức Tốt (từ 7 dưới 8,5).")]),
        (QUAL, {"points": D(11)}, [("points", "Tiêu chí «1.1»: điểm 11 phải từ 0 đến 10.")]),
        (QUANT, {"achieved": D(5), "plan": D(0)}, [("plan", "Tiêu chí «2.1»: kế hoạch (chỉ tiêu) phải lớn hơn 0.")]),
        (QUANT, {"achieved": D(-1), "plan": D(5)}, [("achieved", "Tiêu chí «2.1»: kết quả đạt được không được âm.")]),
        (QUANT, {}, [("achieved", "Tiêu chí «2.1»: chưa nhập kết quả đạt được."),
                     ("plan", "Tiêu chí «2.1»: chưa nhập kế hoạch (chỉ tiêu).")]),
    ],
)
def test_criterion_entry_errors_name_the_code_and_the_field(criterion, values, expected):
    entry, errors = trial.criterion_entry(criterion, values)
    assert entry is None and errors == expected


def test_criterion_entry_carries_the_marks():
    entry, errors = trial.criterion_entry(QUANT, {"achieved": D(3), "plan": D(4), "not_done": True, "short": True})
    assert errors == [] and (entry.completed, entry.short, entry.achieved, entry.plan) == (False, True, D(3), D(4))


def test_sheet_lines_follow_the_tree_and_number_the_criteria():
    spec = sample_framework(SubjectType.MEMBER_YEARLY)
    lines = trial.sheet_lines(spec)
    assert [line.node.code for line in lines][:3] == ["1", "1.1", "1.2"]
    assert [line.index for line in lines if not line.is_group] == list(range(len(spec.criteria())))
    assert {line.depth for line in lines if line.is_group} == {0}


@pytest.mark.parametrize(
    ("base", "size", "text"),
    [
        (44, 44, "20% × 44 = 8,8 → 9 (làm tròn 0,5 lên)"),
        (18, 18, "20% × 18 = 3,6 → 4 (làm tròn 0,5 lên)"),
        (11, 11, "20% × 11 = 2,2 → 2 (làm tròn 0,5 lên)"),
        (3, 3, "20% × 3 = 0,6 → 1 (làm tròn 0,5 lên)"),
        (2, 2, "20% × 2 = 0,4 → 0 (làm tròn 0,5 lên); nhóm dưới 5 đối tượng, tất cả từ Hoàn thành tốt nhiệm vụ trở lên: được 1"),
        (1, 2, "20% × 1 = 0,2 → 0 (làm tròn 0,5 lên)"),
    ],
)
def test_quota_arithmetic_matches_the_seeds(base, size, text):
    """000 §4.3: 9/44, 4/18, 2/11; the small-group rule is spelled out when it gives the seat."""
    assert trial.quota_arithmetic(base, size, QuotaSettings()) == text


@given(st.integers(0, 300), st.integers(0, 30))
def test_quota_arithmetic_ends_in_the_engines_number(base, extra):
    """The spelled-out arithmetic always ends in the number the engine allows."""
    size = base + extra
    text = trial.quota_arithmetic(base, size, QuotaSettings())
    allowed = excellent_quota(base, size)
    shown = int(text.rsplit("được ", 1)[1]) if "được" in text else int(text.split("→ ")[1].split(" ")[0])
    assert shown == allowed


@given(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30), st.integers(0, 30))
def test_cascade_agrees_with_the_engine(excellent, good, passing, fail):
    """The steps shown end at the level `ballot_level` gives (or run out below HTNV for KHTNV)."""
    votes = SubjectVotes("x", excellent, good, passing, fail)
    valid = votes.total
    steps = trial.cascade(votes, valid)
    level = ballot_level(votes, valid).level
    if level == Level.FAIL:
        assert not any(s.reached for s in steps) and len(steps) == 3
    else:
        assert steps[-1].reached and steps[-1].level == level
        assert steps[-1].total == sum(s.own for s in steps)


def test_split_lines_reads_tabs_and_semicolons_and_skips_blank_lines():
    rows = trial.split_lines("An\tHTXSNV\t95\n\nBình; HTTNV; 80,5 \n")
    assert rows == [(1, ["An", "HTXSNV", "95"]), (3, ["Bình", "HTTNV", "80,5"])]


def test_parse_table_skips_a_header_and_reads_vietnamese_numbers_and_levels():
    rows = trial.parse_table(
        [(1, ["Họ và tên", "Mức xếp loại", "Điểm"]), (2, ["An", "hoan thanh tot nhiem vu", "8,5"]),
         (3, ["Bình", "htxsnv", "1.234,5", "3", "2"])],
        trial.QUOTA_COLUMNS,
    )
    assert [r.values for r in rows] == [
        ("An", Level.GOOD, D("8.5"), 0, 0), ("Bình", Level.EXCELLENT, D("1234.5"), 3, 2),
    ]


def test_parse_table_names_every_bad_cell():
    with pytest.raises(trial.TableError) as caught:
        trial.parse_table(
            [(1, ["An", "HTXSNV", "95", "1", "5"]), (2, ["", "HTTNV", "80"]), (4, ["Cúc", "HTTNV", "80", "", "", "x"])],
            trial.QUOTA_COLUMNS, letters=True,
        )
    assert caught.value.messages == [
        "Dòng 1, cột E (Số quý HTXSNV): «5» vượt quá 4.",
        "Dòng 2, cột A (Tên đối tượng): chưa nhập.",
        "Dòng 4: có 6 cột, chỉ cần 5 (Tên đối tượng; Mức xếp loại; Điểm; Số phiếu; Số quý HTXSNV).",
    ]


def test_parse_table_refuses_an_empty_list():
    with pytest.raises(trial.TableError, match="Chưa có dòng nào"):
        trial.parse_table([], trial.QUOTA_COLUMNS)


def test_xlsx_rows_refuse_a_file_that_is_not_a_workbook():
    with pytest.raises(trial.TableError, match="không phải tệp Excel"):
        trial.xlsx_rows(b"not a workbook")
