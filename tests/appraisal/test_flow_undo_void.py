"""Correcting the process before the decision: a verification undone, a meeting's wrong tally
voided and recorded again, a meeting dated in the future refused; the minutes as a document
(one line per subject, the ballot rule once, the place in the date line) [003 C.IV.11; issue 14]."""
import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from appraisal.models import Meeting, Rating, RatingStatus
from appraisal.process.meetings import services as meeting_services
from appraisal.process.verification import services as verification_services
from core.models import AuditEntry
from tests.appraisal.test_workflow_process import DAY, _decide, _meeting, _ready, _reload, _verify


def _actions(obj) -> list[str]:
    return list(AuditEntry.objects.filter(object_type=obj._meta.label, object_id=str(obj.pk))
                .order_by("pk").values_list("action", flat=True))


# ------------------------------------------------------------------------------ undoing a verification


def test_a_verification_is_undone_back_to_proposed_and_audited(commune):
    """Ban Xây dựng Đảng undoes a verification: the proposal is "Đã đề xuất" again, without the
    verification's date, author and note, recorded in the audit trail; it can be verified again."""
    (rating,) = _ready(commune, ["Lê Văn Cường"])
    _meeting(commune, [rating], [(0, 10, 0, 0)])
    (rating,) = _reload([rating])
    verification_services.rating_verify(actor=commune.users["staff"], rating=rating, expected_version=rating.version,
                                         note="Hồ sơ đầy đủ")
    (rating,) = _reload([rating])
    assert rating.status == RatingStatus.VERIFIED
    verification_services.rating_unverify(actor=commune.users["staff"], rating=rating, expected_version=rating.version,
                                          reason="Thẩm định nhầm nhóm")
    (rating,) = _reload([rating])
    assert (rating.status, rating.verified_at, rating.verified_by_id, rating.verification_note) == (
        RatingStatus.PROPOSED, None, None, "")
    assert rating.proposed_level == "HTTNV"
    entry = AuditEntry.objects.filter(action="rating.unverify", object_id=str(rating.pk)).get()
    assert entry.changes["status"] == ["verified", "proposed"]
    assert entry.changes["Lý do"] == "Thẩm định nhầm nhóm"
    assert entry.changes["verification_note"] == ["Hồ sơ đầy đủ", ""]
    verification_services.rating_verify(actor=commune.users["staff"], rating=rating, expected_version=rating.version)
    assert Rating.objects.get(pk=rating.pk).status == RatingStatus.VERIFIED


def test_a_verification_cannot_be_undone_after_the_decision_nor_by_others(commune):
    """Only until the decision, only by Ban Xây dựng Đảng, only on the version seen; a refusal
    changes nothing."""
    a, b = _ready(commune, ["Lê Văn Cường", "Phạm Thị Dung"])
    _meeting(commune, [a, b], [(0, 10, 0, 0), (0, 10, 0, 0)])
    a, b = _verify(commune, [a, b])
    with pytest.raises(PermissionDenied):
        verification_services.rating_unverify(actor=commune.users["secretary"], rating=a, expected_version=a.version)
    with pytest.raises(ValidationError, match="vừa được người khác"):
        verification_services.rating_unverify(actor=commune.users["staff"], rating=a, expected_version=a.version - 1)
    _decide(commune, [a], ["HTTNV"])
    (a,) = _reload([a])
    with pytest.raises(ValidationError, match="Lê Văn Cường: đã có quyết định, không bỏ thẩm định được nữa"):
        verification_services.rating_unverify(actor=commune.users["staff"], rating=a, expected_version=a.version)
    (b,) = _reload([b])
    verification_services.rating_unverify(actor=commune.users["staff"], rating=b, expected_version=b.version)
    (b,) = _reload([b])
    with pytest.raises(ValidationError, match="chưa được thẩm định"):
        verification_services.rating_unverify(actor=commune.users["staff"], rating=b, expected_version=b.version)
    assert _reload([a])[0].status == RatingStatus.DECIDED
    assert _actions(a).count("rating.unverify") == 0 and _actions(b).count("rating.unverify") == 1


def test_a_verification_is_undone_from_the_queue_and_from_the_rating_page(commune, client):
    """The queue lists what is verified and not decided, each with "Bỏ thẩm định"; the rating page
    offers it too; each returns to where it was clicked with what was done."""
    a, b = _ready(commune, ["Lê Văn Cường", "Phạm Thị Dung"])
    _meeting(commune, [a, b], [(0, 10, 0, 0), (0, 10, 0, 0)])
    a, b = _verify(commune, [a, b])
    client.force_login(commune.users["staff"])
    queue = client.get(reverse("appraisal:verify_queue", args=[commune.period.pk])).content.decode()
    assert "Đã thẩm định, chờ quyết định (2)" in queue
    assert queue.count(reverse("appraisal:rating_unverify", args=[a.pk])) == 1
    response = client.post(reverse("appraisal:rating_unverify", args=[a.pk]), {"version": a.version, "next": "queue"},
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("appraisal:verify_queue", args=[commune.period.pk])
    assert "Đã bỏ thẩm định: Lê Văn Cường trở về «Đã đề xuất»" in response.content.decode()
    page = client.get(b.get_absolute_url()).content.decode()
    assert "<h2>Bỏ thẩm định</h2>" in page
    response = client.post(reverse("appraisal:rating_unverify", args=[b.pk]), {"version": b.version}, follow=True)
    assert response.redirect_chain[-1][0] == b.get_absolute_url()
    assert [r.status for r in _reload([a, b])] == [RatingStatus.PROPOSED, RatingStatus.PROPOSED]
    assert "<h2>Bỏ thẩm định</h2>" not in response.content.decode()  # nothing verified to undo any more


def test_the_rating_page_offers_undo_only_to_staff(commune, client):
    (rating,) = _ready(commune, ["Lê Văn Cường"])
    _meeting(commune, [rating], [(0, 10, 0, 0)])
    (rating,) = _verify(commune, [rating])
    client.force_login(commune.users["standing"])
    assert "Bỏ thẩm định" not in client.get(rating.get_absolute_url()).content.decode()
    response = client.post(reverse("appraisal:rating_unverify", args=[rating.pk]), {"version": rating.version})
    assert response.status_code == 403
    assert _reload([rating])[0].status == RatingStatus.VERIFIED


# ------------------------------------------------------------------------------ voiding a meeting


def test_a_wrong_tally_is_voided_and_recorded_again(commune, client):
    """The secretary voids the meeting (with a reason): its ratings go back to "Đã gửi", the
    meeting stays, marked void; the meeting recorded again is the one that counts, and the list
    shows one void row and one standing row, not two identical ones."""
    ratings = _ready(commune, ["Lê Văn Cường", "Phạm Thị Dung"])
    wrong = _meeting(commune, ratings, [(0, 2, 8, 0), (0, 2, 8, 0)])  # typed in the wrong columns
    assert [r.proposed_level for r in _reload(ratings)] == ["HTNV", "HTNV"]
    result = meeting_services.meeting_void(actor=commune.users["secretary"], meeting=wrong,
                                           reason="Ghi nhầm cột HTTNV và HTNV")
    assert sorted(r.pk for r in result.reopened) == sorted(r.pk for r in ratings) and result.untouched == []
    reopened = _reload(ratings)
    assert [(r.status, r.proposed_level, r.proposal_note, r.proposed_at) for r in reopened] == [
        (RatingStatus.SUBMITTED, "", "", None)] * 2
    wrong.refresh_from_db()
    assert wrong.is_void and wrong.void_reason == "Ghi nhầm cột HTTNV và HTNV"
    assert wrong.voided_by == commune.users["secretary"] and wrong.lines.count() == 2
    assert _actions(wrong) == ["meeting.record", "meeting.void"]
    assert _actions(reopened[0])[-1] == "meeting.void"
    right = _meeting(commune, reopened, [(0, 8, 2, 0), (0, 8, 2, 0)])
    assert [r.proposed_level for r in _reload(ratings)] == ["HTTNV", "HTTNV"]
    client.force_login(commune.users["secretary"])
    listing = client.get(reverse("appraisal:meeting_list", args=[commune.period.pk])).content.decode()
    assert listing.count("Biên bản kiểm phiếu") == 2
    assert listing.count("đã hủy</span>") == 1 and "Ghi nhầm cột HTTNV và HTNV" in listing
    assert listing.count("Có hiệu lực") == 1
    minutes = client.get(wrong.get_absolute_url()).content.decode()
    assert "BIÊN BẢN ĐÃ HỦY" in minutes and "Hủy kết quả hội nghị</button>" not in minutes
    assert "BIÊN BẢN ĐÃ HỦY" not in client.get(right.get_absolute_url()).content.decode()


def test_a_voided_meeting_no_longer_counts_its_low_confidence_votes(commune):
    """More than half low-confidence votes make a member KHTNV [003 C.II.2.4]; once the meeting
    that recorded them is void, they no longer count."""
    (rating,) = _ready(commune, ["Lê Văn Cường"])
    meeting = _meeting(commune, [rating], [(0, 10, 0, 0, 6)])
    (rating,) = _reload([rating])
    assert rating.condition_level == "KHTNV"
    meeting_services.meeting_void(actor=commune.users["secretary"], meeting=meeting, reason="Nhầm phiếu tín nhiệm")
    (rating,) = _reload([rating])
    assert rating.condition_level == "HTXSNV"


def test_a_meeting_cannot_be_voided_once_a_proposal_is_verified(commune):
    """Until verification only: a verified proposal refuses the whole void, naming the member and
    what to do; nothing changes. Undoing the verification first lets it through."""
    a, b = _ready(commune, ["Lê Văn Cường", "Phạm Thị Dung"])
    meeting = _meeting(commune, [a, b], [(0, 10, 0, 0), (0, 10, 0, 0)])
    (a,) = _verify(commune, [a])
    with pytest.raises(ValidationError, match="Lê Văn Cường: .*bỏ thẩm định trước"):
        meeting_services.meeting_void(actor=commune.users["secretary"], meeting=meeting, reason="Ghi sai")
    meeting.refresh_from_db()
    assert not meeting.is_void
    assert [r.status for r in _reload([a, b])] == [RatingStatus.VERIFIED, RatingStatus.PROPOSED]
    verification_services.rating_unverify(actor=commune.users["staff"], rating=a, expected_version=a.version)
    meeting_services.meeting_void(actor=commune.users["secretary"], meeting=meeting, reason="Ghi sai")
    assert [r.status for r in _reload([a, b])] == [RatingStatus.SUBMITTED, RatingStatus.SUBMITTED]


def test_voiding_leaves_a_proposal_made_since_by_other_means(commune):
    """A proposal returned by staff and proposed again directly is no longer the meeting's: voiding
    the meeting leaves it as it is."""
    a, b = _ready(commune, ["Lê Văn Cường", "Phạm Thị Dung"])
    meeting = _meeting(commune, [a, b], [(0, 10, 0, 0), (0, 10, 0, 0)])
    (a,) = _reload([a])
    verification_services.rating_return(actor=commune.users["staff"], rating=a, expected_version=a.version,
                                        reason="Thiếu biên bản")
    (a,) = _reload([a])
    meeting_services.rating_propose(actor=commune.users["secretary"], rating=a, expected_version=a.version,
                                    level="HTNV", note="Chi bộ biểu quyết lại")
    result = meeting_services.meeting_void(actor=commune.users["secretary"], meeting=meeting, reason="Ghi sai")
    assert [r.pk for r in result.untouched] == [a.pk] and [r.pk for r in result.reopened] == [b.pk]
    a, b = _reload([a, b])
    assert (a.status, a.proposed_level, b.status) == (RatingStatus.PROPOSED, "HTNV", RatingStatus.SUBMITTED)


def test_voiding_needs_a_reason_the_right_person_and_happens_once(commune):
    ratings = _ready(commune, ["Lê Văn Cường"])
    meeting = _meeting(commune, ratings, [(0, 10, 0, 0)])
    with pytest.raises(ValidationError, match="phải ghi rõ lý do"):
        meeting_services.meeting_void(actor=commune.users["secretary"], meeting=meeting, reason="  ")
    with pytest.raises(PermissionDenied):  # another cell's secretary
        meeting_services.meeting_void(actor=commune.users["cell_secretary"], meeting=meeting, reason="Ghi sai")
    with pytest.raises(PermissionDenied):
        meeting_services.meeting_void(actor=commune.users["standing"], meeting=meeting, reason="Ghi sai")
    assert not Meeting.objects.get(pk=meeting.pk).is_void
    meeting_services.meeting_void(actor=commune.users["staff"], meeting=meeting, reason="Ghi sai")  # staff may act
    with pytest.raises(ValidationError, match="đã bị hủy trước đó"):
        meeting_services.meeting_void(actor=commune.users["secretary"], meeting=meeting, reason="Ghi sai")


def test_the_void_form_is_on_the_minutes_for_who_may_void(commune, client):
    """The secretary sees the void form on the minutes and posts it; a viewer does not see it and
    is refused the post."""
    ratings = _ready(commune, ["Lê Văn Cường"])
    meeting = _meeting(commune, ratings, [(0, 10, 0, 0)])
    url = reverse("appraisal:meeting_void", args=[meeting.pk])
    client.force_login(commune.users["viewer"])
    assert url not in client.get(meeting.get_absolute_url()).content.decode()
    assert client.post(url, {"reason": "Ghi sai"}).status_code == 403
    client.force_login(commune.users["secretary"])
    assert url in client.get(meeting.get_absolute_url()).content.decode()
    refused = client.post(url, {"reason": ""}, follow=True).content.decode()
    assert "Chưa hủy" in refused and "ghi lý do" in refused
    done = client.post(url, {"reason": "Ghi sai số phiếu"}, follow=True).content.decode()
    assert "1 phiếu trở về «Đã gửi, chờ họp xét»" in done
    assert reverse("appraisal:meeting_create", args=[commune.period.pk]) + f"?to_chuc={commune.village.pk}" in done
    assert Meeting.objects.get(pk=meeting.pk).is_void


# ------------------------------------------------------------------------------ the meeting's date


@pytest.mark.parametrize(("days", "message"), [
    (1, "sau ngày hôm nay"),
    (400, "sau ngày hôm nay"),
])
def test_a_meeting_dated_in_the_future_is_refused(commune, days, message):
    """A tally is written after the vote: a meeting dated after today is refused, nothing written."""
    ratings = _ready(commune, ["Lê Văn Cường"])
    future = timezone.localdate() + dt.timedelta(days=days)
    with pytest.raises(ValidationError, match=message):
        meeting_services.meeting_record(
            actor=commune.users["secretary"], period=commune.period, organization=commune.village, held_on=future,
            chair="Bí thư", attendance_expected=10, attendance_present=10, ballots_issued=10, ballots_collected=10,
            ballots_valid=10, ballots_invalid=0, lines=[meeting_services.VoteLine(ratings[0], 0, 10, 0, 0)],
        )
    assert not Meeting.objects.exists()
    assert _reload(ratings)[0].status == RatingStatus.SUBMITTED


def test_a_meeting_before_the_period_year_is_refused(commune):
    ratings = _ready(commune, ["Lê Văn Cường"])
    with pytest.raises(ValidationError, match="trước năm 2025"):
        meeting_services.meeting_record(
            actor=commune.users["secretary"], period=commune.period, organization=commune.village,
            held_on=dt.date(2024, 12, 31), chair="Bí thư", attendance_expected=10, attendance_present=10,
            ballots_issued=10, ballots_collected=10, ballots_valid=10, ballots_invalid=0,
            lines=[meeting_services.VoteLine(ratings[0], 0, 10, 0, 0)],
        )


def test_the_meeting_form_refuses_a_future_date_and_keeps_what_was_typed(commune, client):
    ratings = _ready(commune, ["Lê Văn Cường"])
    client.force_login(commune.users["secretary"])
    url = reverse("appraisal:meeting_create", args=[commune.period.pk]) + f"?to_chuc={commune.village.pk}"
    future = timezone.localdate() + dt.timedelta(days=3)
    pk = ratings[0].pk
    response = client.post(url, {
        "held_on": future.isoformat(), "chair": "Đồng chí Bí thư", "attendance_expected": 10, "attendance_present": 10,
        "ballots_issued": 10, "ballots_collected": 10, "ballots_valid": 10, "ballots_invalid": 0,
        f"c-{pk}": "1", f"e-{pk}": "0", f"g-{pk}": "10", f"p-{pk}": "0", f"f-{pk}": "0", f"l-{pk}": "0",
    })
    text = response.content.decode()
    assert response.status_code == 400
    assert "Ngày họp" in text and "sau ngày hôm nay" in text and "Đồng chí Bí thư" in text
    assert not Meeting.objects.exists()


# ------------------------------------------------------------------------------ the minutes


def test_the_minutes_state_the_rule_once_and_one_line_per_member(commune, client):
    """The ballot rule stands once above the table, not "[003 C.IV.11]" on every row; each row is
    the member, the votes and the level; the date line carries the commune's name."""
    ratings = _ready(commune, ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"])
    meeting = _meeting(commune, ratings, [(0, 9, 1, 0)] * 4)
    client.force_login(commune.users["viewer"])
    text = client.get(meeting.get_absolute_url()).content.decode()
    assert text.count("C.IV.11") == 1 and "trên 50% tổng số phiếu hợp lệ" in text
    assert "phiếu hợp lệ (90%)" not in text  # the engine's steps stay on the rating's page
    rows = re.findall(r"<tr><td class=\"num\">\d+</td>.*?</tr>", text, re.S)
    assert len(rows) == 4
    assert all("Hoàn thành tốt nhiệm vụ" in row and "[" not in row for row in rows)
    assert "Bình Lư, ngày 20 tháng 12 năm 2025" in text and DAY == dt.date(2025, 12, 20)


def test_the_minutes_note_a_level_moved_by_the_quota_once_below_the_rows(commune, client):
    """A row the quota moved down is marked beside its level; what happened is written once below
    the table, in words, without the engine's sources; the other row has no mark."""
    a, b = _ready(commune, ["Lê Văn Cường", "Phạm Thị Dung"])
    meeting = _meeting(commune, [a, b], [(8, 2, 0, 0), (6, 4, 0, 0)])
    client.force_login(commune.users["secretary"])
    text = client.get(meeting.get_absolute_url()).content.decode()
    rows = re.findall(r"<tr><td class=\"num\">\d+</td>.*?</tr>", text, re.S)
    moved = [row for row in rows if "Phạm Thị Dung" in row][0]
    kept = [row for row in rows if "Lê Văn Cường" in row][0]
    assert "<sup>(1)</sup>" in moved and "<sup>" not in kept and "ngoài tỷ lệ" not in moved
    notes = re.findall(r'<p class="doc-note">\(1\) ([^<]*)</p>', text)
    assert len(notes) == 1 and "ngoài tỷ lệ" in notes[0] and "§" not in notes[0]
