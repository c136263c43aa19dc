"""The figures always agree with each other: properties over generated results (no database).

From any set of outcomes, the report's sentences and their footnotes are built from one set of
counts; these tests read the numbers back out of the printed text and check the identities a
reader would check: a total is the sum of its parts, a footnote's groups add up to its sentence.
"""
import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from appraisal.models import SubjectType
from appraisal.rules import SubjectType as EngineSubject
from appraisal.rules import default_quota
from reports import wording
from reports.build import year_end_figures
from reports.data import Commune, Fact, ReportScope
from reports.figures import from_json, to_json

LEVELS = ("HTXSNV", "HTTNV", "HTNV", "KHTNV")
REASONS = (("exempt", "Miễn công tác và sinh hoạt đảng"), ("new", "Mới kết nạp dưới 06 tháng"),
           ("suspended", "Đình chỉ sinh hoạt đảng"))
ORG_GROUPS = (("base", "tổ chức cơ sở đảng", 1), ("root_cell", "chi bộ thuộc Đảng ủy xã", 2),
              ("sub_cell", "chi bộ thuộc Đảng ủy cơ sở", 3))
COMMITTEE_GROUPS = (("base", "Tập thể đảng ủy, chi ủy cơ sở", 1), ("attached", "Tập thể chi ủy trực thuộc", 2))
BLOCKS = (("K1", "Khối một", 1), ("K2", "Khối hai", 2), ("K3", "Khối ba", 3))
POSITION_GROUPS = (("G1", "Nhóm một", 1), ("G2", "Nhóm hai", 2), ("G3", "Nhóm ba", 3))
COMMUNES = (Commune("000001.", "Đảng bộ xã A", "A"), Commune("000002.", "Đảng bộ xã B", "B"))
QUOTA = {t: default_quota(EngineSubject(t)) for t in SubjectType.values}


def outcome():
    return st.one_of(
        st.tuples(st.sampled_from(LEVELS), st.just(("", ""))),
        st.tuples(st.just(""), st.sampled_from(REASONS)),
    )


@st.composite
def facts(draw):
    out = []
    for _ in range(draw(st.integers(0, 40))):
        section = draw(st.sampled_from(["organisations", "committees", "collectives", "leaders", "members"]))
        level, (reason, label) = draw(outcome())
        if section in ("organisations", "committees", "collectives") and not level:
            reason, label = "new_org", "Mới thành lập dưới 06 tháng"
        commune = draw(st.sampled_from(COMMUNES)).path
        count = draw(st.integers(1, 60))
        if section == "leaders":
            group = draw(st.sampled_from(POSITION_GROUPS))
            tier = draw(st.sampled_from(["province", "commune"]))
            when = draw(st.sampled_from([(2025, None), (2026, 1), (2026, 2)]))
            out.append(Fact(section, *when, commune, *group, tier, f"cb:{group[0]}", "", level, reason, label, count))
        elif section == "members":
            peer = commune + draw(st.sampled_from(["000010.", "000011."]))
            out.append(Fact(section, 2025, None, commune, "", "", 0, "", peer, "", level, reason, label, count))
        else:
            group = draw(st.sampled_from({"organisations": ORG_GROUPS, "committees": COMMITTEE_GROUPS,
                                          "collectives": BLOCKS}[section]))
            out.append(Fact(section, 2025, None, commune, *group, "", f"{section}:{group[0]}", "", level, reason, label,
                            count))
    return out


def figures_of(fact_list, communes=COMMUNES[:1]):
    scope = ReportScope(None, communes)
    return year_end_figures(scope=scope, year=2025, quarters=[(2026, 1), (2026, 2)], facts=fact_list, quota=QUOTA)


def n(text: str) -> int:
    return int(text.replace(".", ""))


COUNT = r"(\d[\d.]*)"


@settings(max_examples=100)
@given(facts())
def test_the_collectives_sentence_equals_its_footnote(fact_list):
    """HTXSNV of collectives and committees in the sentence = the blocks' and committee groups' HTXSNV in fn 3."""
    f = figures_of(fact_list)
    p = wording.collectives_paragraph(f)
    assume((f.collectives.tally + f.committees.tally).rated)
    sentence = p.text
    said = re.search(rf"(?:có|không có) {COUNT}? ?tập thể hoàn thành xuất sắc nhiệm vụ", sentence)
    stated = 0 if "không có tập thể hoàn thành xuất sắc" in sentence else n(said.group(1))
    note = " ".join(p.notes[0]) if p.notes else ""
    parts = [n(x) for x in re.findall(rf"có {COUNT} (?:đơn vị|tập thể) xuất sắc", note)]
    assert stated == sum(parts)
    head = re.search(rf"Tổng số có {COUNT}/{COUNT} cơ quan, đơn vị và {COUNT}/{COUNT} tập thể cấp ủy", sentence)
    blocks_rated = sum(n(x) for x in re.findall(rf"^\+ [^:]+: {COUNT} tập thể \(", "\n".join(p.notes[0] if p.notes else ()), re.M))
    assert n(head.group(1)) == blocks_rated
    assert n(head.group(2)) == f.collectives.tally.total
    assert n(head.group(3)) == f.committees.tally.rated


@settings(max_examples=100)
@given(facts())
def test_each_tier_sentence_equals_its_position_group_footnote(fact_list):
    """Per management tier: rated and HTXSNV in the sentence = the sums over fn 4's position groups."""
    f = figures_of(fact_list)
    for section in f.leader_tiers:
        sentence = wording.tier_sentence(section)
        rated = n(re.search(rf"có {COUNT}/{COUNT} đồng chí", sentence).group(1))
        assert rated == sum(g.tally.rated for g in section.groups)
        lines = [wording._leader_group_line(g) for g in section.groups]
        in_lines = 0
        for line in lines:
            m = re.search(rf"(?:: |Tổng số ){COUNT}(?:/{COUNT})? đồng chí", line)
            whole = m.group(2) or m.group(1)
            in_lines += n(whole)
        assert in_lines == rated
        excellent = sum(n(x) for line in lines for x in re.findall(rf"có {COUNT} đồng chí hoàn thành xuất sắc", line))
        stated = re.search(rf"gồm {COUNT} người hoàn thành xuất sắc", sentence)
        assert (n(stated.group(1)) if stated else 0) == excellent


@settings(max_examples=100)
@given(facts())
def test_each_quarter_sentence_equals_its_footnote(fact_list):
    """Per quarter and tier: HTXSNV in the sentence = the sum of fn 5–6's groups; the intro's turns add up."""
    f = figures_of(fact_list)
    intro_turns = 0
    for q in f.quarters:
        for section in q.tiers:
            sentence = wording.tier_sentence(section)
            lines = [wording._quarter_group_line(g) for g in section.groups]
            excellent = sum(n(re.search(rf"Hoàn thành xuất sắc nhiệm vụ {COUNT}", line).group(1)) for line in lines)
            people = sum(n(re.search(rf" {COUNT} đồng chí, trong đó", line).group(1)) for line in lines)
            stated = re.search(rf"gồm {COUNT} người hoàn thành xuất sắc", sentence)
            assert (n(stated.group(1)) if stated else 0) == excellent
            assert n(re.search(rf"có {COUNT}/", sentence).group(1)) == people
            intro_turns += people
    paragraphs = wording.quarterly_paragraphs(f)
    turns = [n(x) for x in re.findall(rf"{COUNT} lượt cán bộ", paragraphs[0].text)]
    assert sum(turns) == intro_turns


@settings(max_examples=100)
@given(facts())
def test_members_total_is_rated_plus_not_rated_and_levels_add_up(fact_list):
    """Members: total = rated + not rated; the reasons add up to the not rated; the levels to the rated."""
    f = figures_of(fact_list)
    text = wording.members_paragraph(f).text
    m = f.members
    assume(m.total)
    total = n(re.search(rf"là {COUNT} đồng chí", text).group(1))
    rated = n(re.search(rf"có {COUNT} đồng chí tham gia", text).group(1))
    not_rated = re.search(rf"; {COUNT} đồng chí không tham gia", text)
    not_rated = n(not_rated.group(1)) if not_rated else 0
    assert total == rated + not_rated
    reasons = sum(n(x) for x in re.findall(rf"(?:sinh hoạt đảng|06 tháng) {COUNT} đồng chí", text))
    assert reasons == not_rated
    if rated:
        good_or_above = n(re.search(rf"trở lên {COUNT}/", text).group(1))
        passing = n(re.search(rf"hoàn thành nhiệm vụ {COUNT}/", text).group(1))
        failing = n(re.search(rf"không hoàn thành nhiệm vụ {COUNT}/", text).group(1))
        assert good_or_above + passing + failing == rated


@settings(max_examples=100)
@given(facts())
def test_the_organisations_lead_equals_its_groups(fact_list):
    """Organisations: the rated count of the lead sentence = the sum of its kinds' rated counts."""
    f = figures_of(fact_list)
    text = wording.organisations_paragraph(f).text
    assume(f.organisations.tally.total)
    rated = n(re.search(rf"xếp loại {COUNT}/{COUNT} tổ chức đảng", text).group(1))
    pairs = re.findall(rf"Đối với [^:]+: {COUNT}/{COUNT} ", text)
    assert sum(n(whole) for _, whole in pairs) == rated
    assert sum(n(part) for part, _ in pairs) == f.organisations.tally.good_or_above


@settings(max_examples=80)
@given(facts())
def test_a_rollup_is_the_sum_of_its_communes_and_survives_json(fact_list):
    """Over two communes, each section's total = the sum of the per-commune rows; figures round-trip through JSON."""
    f = figures_of(fact_list, COMMUNES)
    for section in ("organisations", "committees", "collectives", "members"):
        whole = getattr(f, section) if section == "members" else getattr(f, section).tally
        parts = [getattr(c, section) for c in f.communes]
        assert whole.rated == sum(t.rated for t in parts)
        assert whole.excellent == sum(t.excellent for t in parts)
        assert whole.total == sum(t.total for t in parts)
    assert f.leaders.rated == sum(c.leaders.rated for c in f.communes)
    assert from_json(to_json(f)) == f
