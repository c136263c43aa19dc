"""appraisal.trial without the database: facts per subject type, entries, reading tables."""
from dataclasses import fields
from decimal import Decimal

import pytest

from appraisal.rules import (
    CriterionSpec,
    Facts,
    Level,
    ScoringKind,
    SubjectType,
    compile_framework,
    condition_codes,
    sample_framework,
)
from appraisal.trial import run as trial

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


def test_facts_from_keeps_quarters_in_place_and_neutral_defaults():
    """A quarter left blank stays in its place (None): it breaks a run of KHTNV quarters [002 §8.2]."""
    facts = trial.facts_from(
        {"tasks_assigned": 60, "tasks_done": 59, "quarter_levels": (Level.GOOD, None, Level.FAIL, None),
         "tasks_on_time": None, "outstanding": True},
        SubjectType.LEADER_YEARLY,
    )
    assert facts.quarter_levels == (Level.GOOD, None, Level.FAIL, None)
    assert (facts.tasks_assigned, facts.tasks_done, facts.tasks_on_time, facts.outstanding) == (60, 59, None, True)


QUAL = CriterionSpec("1.1", "a", D(10))
QUANT = CriterionSpec("2.1", "b", D(20), ScoringKind.QUANTITATIVE, key=True)


@pytest.mark.parametrize(
    ("criterion", "values", "expected"),
    [
        (QUAL, {}, [("level", "Tiêu chí «1.1»: cần chọn mức đánh giá hoặc nhập điểm.")]),
        (QUANT, {}, [("achieved", "Tiêu chí «2.1»: chưa nhập kết quả đạt được."),
                     ("plan", "Tiêu chí «2.1»: chưa nhập kế hoạch (chỉ tiêu).")]),
        (QUANT, {"achieved": D(5)}, [("plan", "Tiêu chí «2.1»: chưa nhập kế hoạch (chỉ tiêu).")]),
    ],
)
def test_criterion_entry_asks_for_what_was_left_empty(criterion, values, expected):
    """An empty input is the form's to name; the figures themselves are the engine's to judge."""
    entry, errors = trial.criterion_entry(criterion, values)
    assert entry is None and errors == expected


def test_criterion_entry_leaves_the_figures_to_the_engine():
    """A plan of 0 or points out of range make an entry; the engine refuses it when scoring, naming the criterion."""
    entry, errors = trial.criterion_entry(QUANT, {"achieved": D(5), "plan": D(0)})
    assert errors == [] and entry.problem == "Tiêu chí «2.1»: kế hoạch (chỉ tiêu) phải lớn hơn 0."


def test_engine_messages_go_to_the_criterion_they_name():
    grouped = trial.engine_errors([
        "Tiêu chí «1.1»: điểm 11 phải từ 0 đến 10.", "Tiêu chí «9.9» không có trong khung tiêu chí.", "Khác.",
    ])
    assert grouped == {
        "1.1": ["Tiêu chí «1.1»: điểm 11 phải từ 0 đến 10."],
        "9.9": ["Tiêu chí «9.9» không có trong khung tiêu chí."],
        "": ["Khác."],
    }


def test_criterion_entry_carries_the_marks():
    entry, errors = trial.criterion_entry(QUANT, {"achieved": D(3), "plan": D(4), "not_done": True, "short": True})
    assert errors == [] and (entry.completed, entry.short, entry.achieved, entry.plan) == (False, True, D(3), D(4))


def test_sheet_lines_follow_the_tree_and_number_the_criteria():
    cf = compile_framework(sample_framework(SubjectType.MEMBER_YEARLY))
    lines = trial.sheet_lines(cf)
    assert [line.node.code for line in lines][:3] == ["1", "1.1", "1.2"]
    assert [line.index for line in lines if not line.is_group] == list(range(len(cf.criteria)))
    assert {line.depth for line in lines if line.is_group} == {0}


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
    with pytest.raises(trial.TableError, match="không đọc được như bảng tính Excel"):
        trial.xlsx_rows(b"not a workbook")
