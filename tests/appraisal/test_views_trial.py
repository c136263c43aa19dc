"""Trial pages (chấm thử, thử tỷ lệ, kiểm phiếu): the seeds' cases submitted through the browser forms.

Each test posts what a staff member would type and checks the rendered page: levels, reasons
with their citations, the quota arithmetic, ties left to the committee, errors naming the
criterion, line or column, permissions, no writes, and query counts flat in the criteria.
"""
from decimal import Decimal
from io import BytesIO

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from appraisal.frameworks import services
from appraisal.frameworks.defaults import DEFAULT_FRAMEWORKS
from appraisal.rules import Level
from core.models import Role
from tests.appraisal.test_frameworks import make_framework
from tests.factories import user_with_role

TRIAL_PAGES = ("framework_trial", "quota_trial", "ballot_trial")



@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def install(staff, code: str):
    """One of the default frameworks (text from the seeds), created as a draft through the service."""
    default = next(d for d in DEFAULT_FRAMEWORKS if d.code == code)
    return services.framework_import(actor=staff, settings=default.settings(), rows=default.rows(), caps=default.caps())


@pytest.fixture
def leader_quarterly(staff):
    return install(staff, "CB-QUY")


@pytest.fixture
def member_yearly(staff):
    return install(staff, "DV-NAM")


def trial_url(framework, name="framework_trial") -> str:
    return reverse(f"appraisal:{name}", args=[framework.pk])


def filled(form, **overrides) -> dict:
    """POST data with every input at the value the page shows (full marks), then `overrides`.

    Criterion inputs may be given by code: `c__2.1__plan="0"` stands for the plan of criterion 2.1.
    """
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if field.widget.input_type == "checkbox":
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    index = {c.code: i for i, c in enumerate(form.criteria)}
    for key, value in overrides.items():
        if key.startswith("c__"):
            _, code, suffix = key.split("__")
            key = f"c{index[code]}_{suffix}"
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def post_trial(client, framework, **overrides):
    form = client.get(trial_url(framework)).context["form"]
    return client.post(trial_url(framework), filled(form, **overrides))


def text(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------- chấm thử


def test_59_of_60_tasks_is_fail_with_the_reason_and_its_source(staff_client, leader_quarterly):
    """002 fn 2: full marks and outstanding, but 59 of 60 tasks done ⇒ Không hoàn thành nhiệm vụ, with why."""
    response = post_trial(
        staff_client, leader_quarterly, f_tasks_assigned="60", f_tasks_done="59", f_outstanding="on"
    )
    assert response.status_code == 200
    result = response.context["workings"]
    assert (result.total, result.score_level, result.level) == (Decimal(100), Level.EXCELLENT, Level.FAIL)
    page = text(response)
    assert "Hoàn thành xuất sắc nhiệm vụ (HTXSNV)" in page  # the level the score alone gives
    assert "<strong>Không hoàn thành nhiệm vụ (KHTNV)</strong>" in page
    assert "hoàn thành 59/60 nhiệm vụ được giao, cần 100%" in page
    assert "[002 §4.4a; fn 2]" in page
    assert "tổng điểm 100 (từ 90 điểm trở lên)" in page and "[002 §4.1–4.4; 004 IV.2]" in page


def test_all_60_tasks_and_outstanding_is_excellent(staff_client, leader_quarterly):
    """Every task done, 18 of them (30 %, Quy định 366) exceeded: HTXSNV; with 17, HTTNV and why."""
    response = post_trial(
        staff_client, leader_quarterly, f_tasks_assigned="60", f_tasks_done="60", f_tasks_exceeded="18",
        f_outstanding="on",
    )
    assert response.context["workings"].level == Level.EXCELLENT
    rows = [r for r in response.context["rows"] if not r.is_group]
    assert len(rows) == 23 and all(r.working.level.label == "Xuất sắc" for r in rows)
    short = post_trial(
        staff_client, leader_quarterly, f_tasks_assigned="60", f_tasks_done="60", f_tasks_exceeded="17",
        f_outstanding="on",
    )
    assert short.context["workings"].level == Level.GOOD
    assert "chỉ 17/60 nhiệm vụ hoàn thành vượt mức, cần ít nhất 30%" in text(short)


def test_facts_shown_are_those_of_the_subject_type(staff_client, leader_quarterly, member_yearly, staff):
    """A quarterly leader is asked about tasks, discipline and the collective; a party member about
    low-confidence votes; a base organisation about its members; quarters only for a yearly leader."""
    leader = text(staff_client.get(trial_url(leader_quarterly)))
    assert "Số nhiệm vụ được giao" in leader and "Là người đứng đầu tập thể" in leader
    assert "Số phiếu tín nhiệm thấp" not in leader and "Quý III" not in leader
    member = text(staff_client.get(trial_url(member_yearly)))
    assert "Số phiếu tín nhiệm thấp" in member and "Là người đứng đầu tập thể" not in member
    assert "Chưa bảo đảm chất lượng, tiến độ" in member  # the per-criterion mark its conditions read
    base = text(staff_client.get(trial_url(install(staff, "TCCSD-NAM"))))
    assert "Loại tổ chức cơ sở đảng" in base and "Số nhiệm vụ được giao" not in base
    yearly = text(staff_client.get(trial_url(install(staff, "CB-NAM"))))
    assert "Quý III" in yearly


def test_a_failed_quarter_caps_the_yearly_leader_and_two_in_a_row_raise_a_flag(staff_client, staff):
    """002 §8.2: a KHTNV quarter ⇒ no HTXSNV for the year; two consecutive ⇒ a flag for the committee."""
    yearly = install(staff, "CB-NAM")
    response = post_trial(
        staff_client, yearly, f_tasks_assigned="10", f_tasks_done="10", f_outstanding="on",
        f_quarter_1="4", f_quarter_2="1", f_quarter_3="1",
    )
    assert response.context["workings"].level == Level.GOOD
    page = text(response)
    assert "có 2 quý trong năm xếp loại Không hoàn thành nhiệm vụ" in page and "[002 §8.2]" in page
    assert "Cần cấp ủy xem xét" in page and "Có 2 quý liên tiếp" in page


def test_a_committee_whose_organisation_is_not_rated_is_held_not_passed(staff_client, staff):
    """003 C.III.3.1: a committee is never above its organisation; with the organisation not rated yet
    the trial shows "Chờ xếp loại" and why, not HTXSNV; once the organisation's level is given, it caps."""
    committee = install(staff, "CAPUY-NAM")
    held = post_trial(staff_client, committee, f_outstanding="on")
    workings = held.context["workings"]
    assert workings.level is None and workings.ceiling == Level.EXCELLENT
    assert "Chờ xếp loại" in text(held) and "chờ xếp loại tổ chức đảng" in text(held)
    capped = post_trial(staff_client, committee, f_outstanding="on", f_organisation_level="3")
    assert capped.context["workings"].level == Level.GOOD


def test_the_sheet_shows_how_each_criterion_was_scored(staff_client, member_yearly):
    """Each criterion's working comes from the engine: achieved ÷ plan × max, rounded down, never up to the max."""
    response = post_trial(
        staff_client, member_yearly, **{"c__2.2__achieved": "2999", "c__2.2__plan": "3000"},
        f_tasks_assigned="4", f_tasks_done="4",
    )
    row = next(r for r in response.context["rows"] if not r.is_group and r.line.node.code == "2.2")
    assert row.working.points == Decimal("39.98")  # 39,9866… rounded down, never up to 40
    assert "đạt 2.999/3.000 kế hoạch × 40 = 39,98, làm tròn xuống đến 0,01" in text(response)


def test_decimal_comma_is_accepted_and_shown_back(staff_client, member_yearly):
    """Points typed "27,5" count as 27.5; the total is printed with a decimal comma."""
    response = post_trial(
        staff_client, member_yearly, **{"c__2.1__points": "27,5"}, f_tasks_assigned="4", f_tasks_done="4",
        f_tasks_exceeded="2", f_outstanding="on",
    )
    result = response.context["workings"]
    assert result.total == Decimal("97.5")
    assert "<strong>97,5</strong>" in text(response)
    assert result.level == Level.EXCELLENT


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"c__1.1.1__level": "3", "c__1.1.1__points": "2"}, None,
         "Tiêu chí «1.1.1»: điểm 2 nằm ngoài khung mức Tốt (từ 1,4 dưới 1,7)."),
        ({"c__1.1.1__level": "", "c__1.1.1__points": "2,5"}, None,
         "Tiêu chí «1.1.1»: điểm 2,5 phải từ 0 đến 2."),
        ({"c__1.1.1__level": "", "c__1.1.1__points": "1,999"}, None,
         "Tiêu chí «1.1.1»: điểm 1,999 có quá hai chữ số thập phân; chỉ nhập tối đa hai chữ số sau dấu phẩy."),
        ({"c__1.1.1__level": "", "c__1.1.1__points": ""}, "level",
         "Tiêu chí «1.1.1»: cần chọn mức đánh giá hoặc nhập điểm."),
        ({"c__1.1.2__points": "hai"}, "points", "Tiêu chí «1.1.2»: điểm phải là một số (ví dụ 8,5)."),
        ({"c__2.1__achieved": "-3"}, None, "Tiêu chí «2.1»: kết quả đạt được không được âm."),
        ({"c__2.1__plan": "0"}, None, "Tiêu chí «2.1»: kế hoạch (chỉ tiêu) phải lớn hơn 0."),
        ({"c__2.4__plan": ""}, "plan", "Tiêu chí «2.4»: chưa nhập kế hoạch (chỉ tiêu)."),
    ],
    ids=["outside-band", "above-max", "three-decimals", "nothing", "not-a-number", "negative", "plan-zero", "plan-missing"],
)
def test_bad_input_is_named_by_criterion_next_to_its_field(staff_client, leader_quarterly, overrides, field, message):
    """Invalid input gives no result, and a Vietnamese message naming the criterion beside its inputs.

    An empty or unreadable box is the form's to refuse (on the field); figures out of range, out
    of band or with more than two decimals are the engine's (on the criterion's row).
    """
    response = post_trial(staff_client, leader_quarterly, **overrides)
    assert response.context["workings"] is None
    form = response.context["form"]
    code = message.split("«")[1].split("»")[0]
    if field:
        index = next(i for i, c in enumerate(form.criteria) if c.code == code)
        assert form.errors[f"c{index}_{field}"] == [message]
    row = next(r for r in response.context["rows"] if not r.is_group and r.line.node.code == code)
    assert message in row.errors
    assert message in text(response)


def test_contradictory_task_counts_are_refused(staff_client, leader_quarterly):
    """59 done + 2 force majeure out of 60 assigned does not add up: the message names the counts."""
    response = post_trial(staff_client, leader_quarterly, f_tasks_assigned="60", f_tasks_done="59", f_tasks_force_majeure="2")
    assert response.context["workings"] is None
    assert response.context["form"].errors["f_tasks_done"] == [
        "Số nhiệm vụ hoàn thành (59) cộng số bất khả kháng (2) vượt số nhiệm vụ được giao (60)."
    ]


def test_an_invalid_framework_explains_instead_of_scoring(staff_client, staff):
    """A framework whose tree does not add up to 100 shows the problem and offers no form."""
    framework = make_framework(staff)
    framework.criteria.filter(code="1.1").update(max_points=Decimal(5))
    response = staff_client.get(trial_url(framework))
    assert response.status_code == 200 and response.context["form"] is None
    assert "chưa chấm thử được" in text(response) and "Nhóm «1»" in text(response)


# ---------------------------------------------------------------- thử tỷ lệ


def _group(excellent_scores, good=0) -> str:
    lines = [f"Chi bộ {i:02d}; HTXSNV; {score}; 0" for i, score in enumerate(excellent_scores, start=1)]
    lines += [f"Chi bộ T{i:02d}; Hoàn thành tốt nhiệm vụ; 80" for i in range(good)]
    return "\n".join(lines)


def test_quota_of_44_is_9_with_the_arithmetic(staff_client, member_yearly):
    """000 §4.3 / 002 §4.1: 20 % of 44 = 8,8 ⇒ 9; the 3 HTXSNV candidates below the cut are pushed down."""
    scores = [f"{99 - i},5" for i in range(12)]  # 98,5 … 87,5, all distinct
    response = staff_client.post(trial_url(member_yearly, "quota_trial"), {"lines": _group(scores, good=32)})
    page = text(response)
    assert "20% × 44 = 8,8 → 9 (làm tròn 0,5 lên)" in page
    explained = response.context["explained"]
    assert explained.outcome.allowed == 9 and len(explained.outcome.inside) == 9
    assert [line.name for line in explained.lines if line.status == "pushed"] == ["Chi bộ 10", "Chi bộ 11", "Chi bộ 12"]
    assert "Hạ xuống Hoàn thành tốt nhiệm vụ: ngoài tỷ lệ Hoàn thành xuất sắc nhiệm vụ của nhóm (được 9 trên 44" in page
    assert "44/44 đối tượng xếp loại từ Hoàn thành tốt nhiệm vụ trở lên" in page
    assert "Cần cấp ủy quyết định" not in page


def test_a_tie_at_the_cut_off_is_left_to_the_committee(staff_client, member_yearly):
    """Two candidates with equal score and votes for the last seat: neither is chosen by the machine."""
    response = staff_client.post(
        trial_url(member_yearly, "quota_trial"), {"lines": _group(["98", "95", "95"], good=7)}
    )
    page = text(response)
    assert "20% × 10 = 2 → 2" in page
    assert "Cần cấp ủy quyết định:" in page
    assert "2 đối tượng bằng nhau tại ngưỡng cắt, còn 1 chỉ tiêu" in page
    assert "Gồm: Chi bộ 02; Chi bộ 03." in page
    statuses = {line.name: line.status for line in response.context["explained"].lines}
    assert statuses["Chi bộ 01"] == "inside" and statuses["Chi bộ 02"] == statuses["Chi bộ 03"] == "tie"
    assert page.count("Chờ cấp ủy quyết định") == 2


def test_small_group_gets_one_seat(staff_client, member_yearly):
    """003 C.IV.10: 3 subjects all HTTNV or above: 20 % × 3 = 0,6 → 1 anyway, and the rule is named."""
    response = staff_client.post(
        trial_url(member_yearly, "quota_trial"),
        {"lines": "An; HTXSNV; 95\nBình; HTXSNV; 92\nCúc; HTTNV; 80"},
    )
    explained = response.context["explained"]
    assert explained.outcome.allowed == 1
    assert "20% × 3 = 0,6 → 1" in explained.outcome.arithmetic.text


def test_two_of_ten_at_httnv_or_above_get_the_seat_the_engine_gives(staff_client, member_yearly):
    """The drift case (default member framework, 10 members, 2 at HTTNV or above): 003 C.IV.10 gives a
    group with fewer than 5 HTTNV or above one HTXSNV; the page shows the seat in its arithmetic and
    marks exactly one subject inside — what the engine decided, not a sum of its own."""
    lines = "An; HTXSNV; 95\nBình; HTTNV; 80\n" + "\n".join(f"Đảng viên {i}; HTNV; 60" for i in range(8))
    response = staff_client.post(trial_url(member_yearly, "quota_trial"), {"lines": lines})
    explained = response.context["explained"]
    page = text(response)
    assert explained.outcome.allowed == 1
    assert [line.name for line in explained.lines if line.status == "inside"] == ["An"]
    assert (
        "20% × 2 = 0,4 → 0 (làm tròn 0,5 lên); dưới 05 đối tượng xếp loại từ Hoàn thành tốt nhiệm vụ "
        "trở lên: được chọn 01 ⇒ được tối đa 1"
    ) in page
    assert "<td><strong>1</strong></td>" in page


def test_quota_errors_name_the_line_and_column(staff_client, member_yearly):
    """Bad cells are reported by line and column; nothing is computed."""
    lines = "Tên; Mức; Điểm\nAn; HTXSNV; 95\nBình; Giỏi; 92\nCúc; HTTNV; tám\nAn; HTTNV; 80"
    response = staff_client.post(trial_url(member_yearly, "quota_trial"), {"lines": lines})
    assert response.context["explained"] is None
    errors = response.context["form"].errors["lines"]
    assert errors == [
        "Dòng 3, cột 2 (Mức xếp loại): «Giỏi» không phải mức xếp loại (HTXSNV, HTTNV, HTNV, KHTNV hoặc tên đầy đủ).",
        "Dòng 4, cột 3 (Điểm): «tám» không phải là số.",
        "Dòng 5, cột 1 (Tên đối tượng): «An» trùng với Dòng 2.",
    ]


def _xlsx(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("nhom.xlsx", out.getvalue())


def test_quota_from_an_xlsx_upload(staff_client, member_yearly):
    """An uploaded workbook with a header row gives the same result; its errors name row and column letter."""
    rows = [("Tên", "Mức", "Điểm", "Số phiếu", "Số quý")]
    rows += [(f"Cán bộ {i}", "HTXSNV" if i < 4 else "HTTNV", 90 + i if i < 4 else 75, 0, None) for i in range(11)]
    response = staff_client.post(trial_url(member_yearly, "quota_trial"), {"file": _xlsx(rows)})
    explained = response.context["explained"]
    assert "20% × 11 = 2,2 → 2" in explained.outcome.arithmetic.text
    assert [line.name for line in explained.lines if line.status == "inside"] == ["Cán bộ 3", "Cán bộ 2"]
    bad = _xlsx([("An", "HTXSNV", 95, -1)])
    response = staff_client.post(trial_url(member_yearly, "quota_trial"), {"file": bad})
    assert response.context["form"].errors["file"] == ["Dòng 1, cột D (Số phiếu): «-1» không được âm."]


def test_yearly_leaders_rank_by_excellent_quarters(staff_client, staff):
    """002 §8.2: among yearly leaders, more HTXSNV quarters come first, before the score."""
    yearly = install(staff, "CB-NAM")
    page = staff_client.get(trial_url(yearly, "quota_trial"))
    assert page.context["form"]["by_quarters"].value() is True
    lines = "\n".join(["A; HTXSNV; 99; 0; 1", "B; HTXSNV; 91; 0; 3"] + [f"T{i}; HTTNV; 80" for i in range(3)])
    response = staff_client.post(trial_url(yearly, "quota_trial"), {"lines": lines, "by_quarters": "on"})
    assert response.context["explained"].outcome.inside == ("B",)
    assert "số quý được đề xuất Hoàn thành xuất sắc nhiệm vụ, rồi điểm" in text(response)


# ---------------------------------------------------------------- kiểm phiếu


def _ballot(lines, issued=20, collected=20, valid=20, invalid=0) -> dict:
    return {"issued": issued, "collected": collected, "valid": valid, "invalid": invalid, "lines": lines}


def test_ballot_cascade_carries_higher_votes_down(staff_client, member_yearly):
    """003 C.IV.11: 10 HTXSNV + 1 HTTNV + 9 HTNV of 20: HTXSNV is 50 %, not more; with HTTNV it is 11/20 ⇒ HTTNV."""
    lines = "Nguyễn Văn An; 10; 1; 9; 0\n" + "\n".join(f"Đảng viên {i}; 0; 18; 2" for i in range(4))
    response = staff_client.post(trial_url(member_yearly, "ballot_trial"), _ballot(lines))
    page = text(response)
    line = response.context["explained"].lines[0]
    assert line.reached.level == Level.GOOD
    steps = [(s.level, s.cumulative, s.reached) for s in line.reached.steps]
    assert steps == [(Level.EXCELLENT, 10, False), (Level.GOOD, 11, True)]
    assert "Hoàn thành xuất sắc nhiệm vụ: 10 phiếu = 10/20 (50%) không quá 50%: chuyển xuống mức dưới liền kề" in page
    assert "Hoàn thành tốt nhiệm vụ: 1 phiếu + 10 phiếu mức trên chuyển xuống = 11/20 (55%) <strong>trên 50%: đạt</strong>" in page
    assert "11/20 phiếu hợp lệ (55%) cho mức Hoàn thành tốt nhiệm vụ trở lên: trên 50%" in page and "[003 C.IV.11]" in page


def test_ballot_excellent_by_votes_within_the_quota_with_a_tie(staff_client, member_yearly):
    """Three reach HTXSNV by votes; the quota of 10 is 2; two tie for the second seat ⇒ the committee decides."""
    lines = "\n".join(
        ["A; 18; 2", "B; 15; 5", "C; 15; 5"] + [f"D{i}; 2; 18" for i in range(7)]
    )
    response = staff_client.post(trial_url(member_yearly, "ballot_trial"), _ballot(lines))
    explained = response.context["explained"]
    finals = {line.name: line.final for line in explained.lines}
    assert finals["A"] == Level.EXCELLENT and finals["B"] is None and finals["C"] is None
    assert finals["D0"] == Level.GOOD
    page = text(response)
    assert "20% × 10 = 2 → 2" in page and "Cần cấp ủy quyết định:" in page and "Gồm: B; C." in page
    assert "từ cao xuống thấp theo số phiếu Hoàn thành xuất sắc nhiệm vụ" in page


def test_ballot_totals_that_do_not_add_up_are_refused(staff_client, member_yearly):
    """Valid + invalid must equal collected, no subject over the valid ballots: the engine's messages."""
    response = staff_client.post(
        trial_url(member_yearly, "ballot_trial"), _ballot("An; 15; 6", collected=20, valid=19, invalid=0)
    )
    assert response.context["explained"] is None
    errors = response.context["form"].non_field_errors()
    assert "Số phiếu hợp lệ (19) cộng phiếu không hợp lệ (0) phải bằng số phiếu thu về (20)." in errors
    assert "Đối tượng «An»: tổng số phiếu (21) vượt số phiếu hợp lệ (19)." in errors


def test_ballot_line_errors_name_line_and_column(staff_client, member_yearly):
    response = staff_client.post(trial_url(member_yearly, "ballot_trial"), _ballot("An; 10\nBình; 2,5; 3"))
    assert response.context["form"].errors["lines"] == ["Dòng 2, cột 2 (Phiếu HTXSNV): «2,5» phải là số nguyên."]


# ---------------------------------------------------------------- links, permissions, writes, queries


def test_detail_and_list_link_to_the_trial_pages(staff_client, member_yearly):
    for url in (member_yearly.get_absolute_url(), reverse("appraisal:framework_list")):
        page = text(staff_client.get(url))
        for name in TRIAL_PAGES:
            assert trial_url(member_yearly, name) in page


@pytest.mark.parametrize("name", TRIAL_PAGES)
def test_secretary_is_refused_and_standing_committee_may_try(client, tree, staff, name):
    """Trial pages are for party-building staff and the standing committee; a cell secretary gets 403."""
    framework = make_framework(staff)
    client.force_login(user_with_role(Role.SECRETARY, organization=tree["village"]))
    assert client.get(trial_url(framework, name)).status_code == 403
    assert client.post(trial_url(framework, name), {}).status_code == 403
    client.force_login(user_with_role(Role.STANDING, username="btv"))
    assert client.get(trial_url(framework, name)).status_code == 200


def test_unknown_framework_is_404(staff_client):
    for name in TRIAL_PAGES:
        assert staff_client.get(reverse(f"appraisal:{name}", args=[999999])).status_code == 404


def _row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_trials_write_nothing(staff_client, leader_quarterly):
    """Scoring, the quota and the ballot count run without a single INSERT, UPDATE or DELETE."""
    form = staff_client.get(trial_url(leader_quarterly)).context["form"]
    before = _row_counts()
    with CaptureQueriesContext(connection) as ctx:
        staff_client.post(trial_url(leader_quarterly), filled(form, f_tasks_assigned="60", f_tasks_done="59"))
        staff_client.post(trial_url(leader_quarterly, "quota_trial"), {"lines": _group(["98", "95", "95"], good=7)})
        staff_client.post(trial_url(leader_quarterly, "ballot_trial"), _ballot("An; 15; 5"))
    assert _row_counts() == before
    writes = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []


def _queries(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
        assert response.status_code == 200
    return len(ctx.captured_queries)


def test_trial_queries_do_not_grow_with_the_criteria(staff_client, staff):
    """A framework with 14 task criteria costs the same queries as one with 2, to show and to score."""
    small = make_framework(staff, code="NHO", n_tasks=2)
    large = make_framework(staff, code="LON", n_tasks=14)
    counts = []
    for framework in (small, large):
        form = staff_client.get(trial_url(framework)).context["form"]
        data = filled(form, f_tasks_assigned="3", f_tasks_done="3")
        counts.append((
            _queries(staff_client, "get", trial_url(framework)),
            _queries(staff_client, "post", trial_url(framework), data),
        ))
    assert counts[0] == counts[1]


def test_quota_and_ballot_queries_do_not_grow_with_the_lines(staff_client, member_yearly):
    """Ten subjects or forty: the same queries (the framework's settings, the user)."""
    url, ballot_url = trial_url(member_yearly, "quota_trial"), trial_url(member_yearly, "ballot_trial")
    assert _queries(staff_client, "post", url, {"lines": _group(["98"], good=9)}) == _queries(
        staff_client, "post", url, {"lines": _group(["98", "97"], good=38)}
    )
    few = "\n".join(f"A{i}; 1; 19" for i in range(10))
    many = "\n".join(f"A{i}; 1; 19" for i in range(40))
    assert _queries(staff_client, "post", ballot_url, _ballot(few)) == _queries(staff_client, "post", ballot_url, _ballot(many))


@pytest.mark.parametrize("name", ["quota_trial", "ballot_trial"])
def test_a_framework_with_bad_settings_explains_instead_of_counting(staff_client, member_yearly, name):
    """Settings the engine refuses (thresholds out of order, stored before this check) are shown, not a 500."""
    type(member_yearly).objects.filter(pk=member_yearly.pk).update(threshold_excellent=Decimal(60))
    response = staff_client.get(trial_url(member_yearly, name))
    assert response.status_code == 200 and response.context["form"] is None
    assert "Ngưỡng điểm phải tăng dần" in text(response)
    assert staff_client.post(trial_url(member_yearly, name), {"lines": "An; HTXSNV; 95"}).status_code == 200
