"""The quota of a peer group is worked out once, stored, and read by every stage [issue 13].

The verification queue, the quota page, the decision's check and the year-end report's flags all
show the outcome stored by `appraisal.scoring.quota` with the group's own framework — also when
that framework differs from the year's default one — and a group is judged whole, rated or not
yet [002 §4.1; 003 C.IV.10–11].
"""
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from appraisal.frameworks import selectors as framework_selectors
from appraisal.frameworks import services as framework_services
from appraisal.models import Framework, PeerGroupQuota, QuotaStatus, Rating, RatingStatus
from reports.compute import year_end_figures
from reports.data import report_scope
from tests.appraisal.test_workflow_process import (
    VILLAGE,
    _decide,
    _meeting,
    _ready,
    _reload,
    _verify,
)
from tests.appraisal.workflow import rating_of


def _stored(commune, rating) -> PeerGroupQuota:
    return PeerGroupQuota.objects.get(period=commune.period, peer_group=Rating.objects.get(pk=rating.pk).peer_group)


def _two_excellent_proposals(commune):
    """The village cell's four members: two proposed HTXSNV at two meetings (each within its own
    lines), two HTTNV — the group of four allows one."""
    ratings = _ready(commune, VILLAGE)
    _meeting(commune, ratings[:1], [(9, 1, 0, 0)])
    _meeting(commune, ratings[1:2], [(8, 2, 0, 0)])
    _meeting(commune, ratings[2:], [(2, 8, 0, 0), (2, 8, 0, 0)])
    return _reload(ratings)


def _own_framework(commune, rating, **settings) -> Framework:
    """A copy of the group's framework with other quota settings, used by the whole group."""
    base = Framework.objects.get(pk=rating.framework_id)
    copy = framework_services.framework_copy(actor=commune.users["staff"], framework=base, code="DV-RIENG",
                                             name="Khung riêng của nhóm", year=base.year)
    framework_services.framework_update_settings(
        actor=commune.users["staff"], framework=copy, expected_version=copy.version,
        settings=replace(framework_selectors.settings_of(copy), **settings),
    )
    group = Rating.objects.get(pk=rating.pk).peer_group
    Rating.objects.filter(period=commune.period, peer_group=group).update(framework=copy)
    return copy


def test_a_proposal_stores_the_groups_quota_with_its_workings(commune):
    ratings = _two_excellent_proposals(commune)
    quota = _stored(commune, ratings[0])
    assert (quota.size, quota.known, quota.base, quota.allowed, quota.excellent) == (4, 4, 4, 1, 2)
    assert quota.status == QuotaStatus.OVER and quota.over_by == 1
    assert quota.arithmetic_text == "20% × 4 = 0,8 → 1 (làm tròn 0,5 lên) ⇒ được tối đa 1"
    assert [p["status"] for p in quota.places] == ["inside", "pushed"]


def test_every_stage_shows_the_same_stored_quota(commune, client):
    """Queue, quota page and the decision's refusal print the same arithmetic; the refusal names
    the batch's HTXSNV rows; verifying the over-quota group asks first."""
    ratings = _two_excellent_proposals(commune)
    quota = _stored(commune, ratings[0])
    client.force_login(commune.users["staff"])
    queue = client.get(f"/danh-gia/ky/{commune.period.pk}/tham-dinh/").content.decode()
    page = client.get(f"/danh-gia/ky/{commune.period.pk}/ty-le/").content.decode()
    assert quota.arithmetic_text in queue and '<span class="badge danger">vượt tỷ lệ 1</span>' in queue
    assert quota.arithmetic_text in page and '<span class="badge danger">vượt 1</span>' in page
    assert "ngoài tỷ lệ" in queue  # the pushed candidate's note, in its row
    # The whole group at once: refused until confirmed, then verified.
    phieu = [f"{r.pk}:{r.version}" for r in ratings]
    asked = client.post(f"/danh-gia/ky/{commune.period.pk}/tham-dinh/ca-nhom/", {"phieu": phieu})
    assert asked.status_code == 409 and "Xác nhận: thẩm định cả 4 đề xuất" in asked.content.decode()
    assert all(r.status == RatingStatus.PROPOSED for r in _reload(ratings))
    client.post(f"/danh-gia/ky/{commune.period.pk}/tham-dinh/ca-nhom/", {"phieu": phieu, "xac_nhan": "1"})
    ratings = _reload(ratings)
    assert all(r.status == RatingStatus.VERIFIED for r in ratings)
    with pytest.raises(ValidationError) as refused:
        _decide(commune, ratings, ["HTXSNV", "HTXSNV", "HTTNV", "HTTNV"])
    text = " ".join(refused.value.messages)
    assert quota.arithmetic_text in text and "Nguyễn Văn An" in text and "Trần Thị Bình" in text
    assert "Lê Văn Cường" not in text


def test_the_groups_own_framework_sets_its_quota_at_every_stage(commune, client):
    """A group whose framework allows 50 % may have two HTXSNV of four: the queue and the quota page
    say "trong tỷ lệ", the decision goes through, and the year-end report flags nothing (the year's
    default framework, 20 %, would have flagged it)."""
    first = rating_of(commune.period, commune.members[VILLAGE[0]])
    _own_framework(commune, first, quota_share=Decimal("0.5"))
    ratings = _two_excellent_proposals(commune)
    quota = _stored(commune, ratings[0])
    assert (quota.allowed, quota.excellent, quota.status) == (2, 2, QuotaStatus.FINE)
    assert quota.arithmetic_text.startswith("50% × 4 = 2")
    client.force_login(commune.users["staff"])
    queue = client.get(f"/danh-gia/ky/{commune.period.pk}/tham-dinh/").content.decode()
    group = queue.split('<section class="card queue-group')[1]
    assert '<span class="badge">trong tỷ lệ</span>' in group and "badge danger" not in group
    assert quota.arithmetic_text in group
    ratings = _verify(commune, ratings)
    page = client.get(f"/danh-gia/ky/{commune.period.pk}/ty-le/").content.decode()
    group = page.split('<section class="card quota-group')[1]
    assert quota.arithmetic_text in group and "badge danger" not in group
    _decide(commune, ratings, ["HTXSNV", "HTXSNV", "HTTNV", "HTTNV"])
    quota = _stored(commune, ratings[0])
    assert (quota.excellent, quota.allowed, quota.status) == (2, 2, QuotaStatus.FINE)
    figures = year_end_figures(report_scope(commune.root), commune.period.year)
    assert [f for f in figures.quota_flags if f.peer == quota.peer_group] == []


def test_the_small_group_rule_reads_the_whole_group_not_those_rated_yet(commune, client):
    """Four members, one proposed HTXSNV, three still being scored, under a framework asking 100 %
    at HTTNV for the small-group seat [002 §4.1]: the group has four (not one), only one of four is
    HTTNV or above, so no seat — the quota page says 0 and the decision refuses, alike."""
    first = rating_of(commune.period, commune.members[VILLAGE[0]])
    _own_framework(commune, first, small_group_requires_all=True)
    (rating,) = _ready(commune, VILLAGE[:1])
    _meeting(commune, [rating], [(9, 1, 0, 0)])
    quota = _stored(commune, rating)
    assert (quota.size, quota.known, quota.base, quota.allowed) == (4, 1, 1, 0)
    assert quota.arithmetic_text.endswith("⇒ được tối đa 0") and "chọn 01" not in quota.arithmetic_text
    client.force_login(commune.users["staff"])
    page = client.get(f"/danh-gia/ky/{commune.period.pk}/ty-le/").content.decode()
    assert quota.arithmetic_text in page and "03/04 chưa có mức đề xuất" in page
    (rating,) = _verify(commune, [rating])
    with pytest.raises(ValidationError) as refused:
        _decide(commune, [rating], ["HTXSNV"])
    assert quota.arithmetic_text in " ".join(refused.value.messages)


def test_returning_a_proposal_stores_the_group_again(commune):
    """A proposal sent back no longer counts: the group's quota is worked out again at once."""
    from appraisal.process.verification import services as verification_services

    ratings = _two_excellent_proposals(commune)
    second = _reload(ratings)[1]
    verification_services.rating_return(actor=commune.users["staff"], rating=second,
                                        expected_version=second.version, reason="Xem lại số phiếu")
    quota = _stored(commune, ratings[0])
    assert (quota.known, quota.excellent, quota.status) == (3, 1, QuotaStatus.FINE)
