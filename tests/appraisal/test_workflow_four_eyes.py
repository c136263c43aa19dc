"""Four eyes [002 §1.2, §2.2, §5.1; issue 15]: nobody approves their own work list, proposes their
own level or verifies a proposal they made; a head of unit's own list and proposal go to the
level above. Services and pages alike (`authority.own_work`)."""
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from appraisal.models import Rating, RatingStatus, SubjectType
from appraisal.process.meetings import services as meeting_services
from appraisal.process.ratings.services import (
    ProductRow,
    products_approve,
    products_save,
    rating_submit,
)
from appraisal.process.rerating import services as rerating_services
from appraisal.process.verification import services as verification_services
from core.models import Role
from tests.appraisal.test_workflow_process import _decide, _leaves, _meeting, _ready, _verify
from tests.appraisal.workflow import EXCELLENT_TASKS, rating_of, score
from tests.factories import user_with_role


@pytest.fixture
def head(commune):
    """The unit leadership's account (`lanhdao`) belongs to the head of the unit, Nguyễn Văn An."""
    user = commune.users["unit_leadership"]
    commune.members["Nguyễn Văn An"].user = user
    commune.members["Nguyễn Văn An"].save()
    return user


def _listed(commune, position, actor) -> Rating:
    rating = rating_of(commune.period, position, SubjectType.LEADER_YEARLY)
    products_save(actor=actor, rating=rating, expected_version=rating.version,
                  rows=[ProductRow(pk=None, title="Đề án chuyển đổi số")])
    rating.refresh_from_db()
    return rating


def _handed_in(commune, position) -> Rating:
    rating = rating_of(commune.period, position, SubjectType.LEADER_YEARLY)
    staff = commune.users["staff"]
    rating = score(staff, rating, {c.code: str(c.max_points) for c in _leaves(rating)}, tasks=EXCELLENT_TASKS)
    rating_submit(actor=staff, rating=rating, expected_version=rating.version)
    rating.refresh_from_db()
    return rating


# ------------------------------------------------------------------------------ the work list


def test_a_head_of_unit_cannot_approve_their_own_work_list(commune, head):
    rating = _listed(commune, commune.head, head)
    with pytest.raises(PermissionDenied) as refused:
        products_approve(actor=head, rating=rating, expected_version=rating.version)
    assert "không tự phê duyệt danh mục" in str(refused.value)
    assert "Ban Xây dựng Đảng" in str(refused.value)  # where the list goes instead
    assert not rating.products.filter(approved_at__isnull=False).exists()
    assert products_approve(actor=commune.users["staff"], rating=rating, expected_version=rating.version) == 1
    assert rating.products.get().approved_by == commune.users["staff"]


def test_a_head_of_unit_still_approves_a_deputys_work_list(commune, head):
    rating = _listed(commune, commune.deputy, head)
    assert products_approve(actor=head, rating=rating, expected_version=rating.version) == 1


def test_the_own_work_list_page_says_where_it_goes_and_refuses_the_post(commune, head, client):
    rating = _listed(commune, commune.head, head)
    client.force_login(head)
    page = client.get(reverse("appraisal:rating_products", args=[rating.pk])).content.decode()
    assert "Phê duyệt danh mục</button>" not in page
    assert "danh mục chuyển lên Ban Xây dựng Đảng" in page
    response = client.post(reverse("appraisal:products_approve", args=[rating.pk]), {"version": rating.version})
    assert response.status_code == 403
    assert "không tự phê duyệt danh mục" in response.content.decode()
    assert not rating.products.filter(approved_at__isnull=False).exists()
    client.force_login(commune.users["staff"])
    page = client.get(reverse("appraisal:rating_products", args=[rating.pk])).content.decode()
    assert "Phê duyệt danh mục</button>" in page and "không tự phê duyệt" not in page


# ------------------------------------------------------------------------------ the proposal


def test_a_head_of_unit_cannot_propose_their_own_level(commune, head):
    rating = _handed_in(commune, commune.head)
    with pytest.raises(PermissionDenied) as refused:
        meeting_services.rating_propose(actor=head, rating=rating, expected_version=rating.version,
                                        level="HTXSNV", note="Tự đề xuất")
    assert "không tự đề xuất mức xếp loại" in str(refused.value)
    rating.refresh_from_db()
    assert (rating.status, rating.proposed_level) == (RatingStatus.SUBMITTED, "")
    with pytest.raises(PermissionDenied, match="Nguyễn Văn An"):  # nor through a meeting's tally
        _meeting(commune, [rating], [(6, 2, 2, 0)], actor="unit_leadership", org=commune.village)
    meeting_services.rating_propose(actor=commune.users["staff"], rating=rating, expected_version=rating.version,
                                    level="HTTNV", note="Ban Xây dựng Đảng tham mưu")
    rating.refresh_from_db()
    assert (rating.status, rating.proposed_level, rating.proposed_by) == (
        RatingStatus.PROPOSED, "HTTNV", commune.users["staff"])


def test_a_head_of_unit_still_proposes_a_deputys_level(commune, head):
    rating = _handed_in(commune, commune.deputy)
    meeting_services.rating_propose(actor=head, rating=rating, expected_version=rating.version,
                                    level="HTTNV", note="Tập thể lãnh đạo biểu quyết")
    rating.refresh_from_db()
    assert (rating.status, rating.proposed_by) == (RatingStatus.PROPOSED, head)


def test_the_own_rating_page_has_no_proposal_form_and_refuses_the_post(commune, head, client):
    rating = _handed_in(commune, commune.head)
    client.force_login(head)
    page = client.get(rating.get_absolute_url()).content.decode()
    assert "<h2>Đề xuất mức xếp loại</h2>" not in page
    assert "việc đề xuất chuyển lên Ban Xây dựng Đảng" in page
    response = client.post(reverse("appraisal:rating_propose", args=[rating.pk]),
                           {"version": rating.version, "level": "HTXSNV", "note": "Tự đề xuất"})
    assert response.status_code == 403
    assert "không tự đề xuất mức xếp loại" in response.content.decode()
    rating.refresh_from_db()
    assert rating.status == RatingStatus.SUBMITTED and rating.proposed_level == ""


def test_a_cell_secretarys_own_level_goes_to_the_dang_uy_above(commune):
    """The secretary of a chi bộ trực thuộc đảng ủy cơ sở: the đảng ủy cơ sở proposes for them."""
    secretary = commune.users["sub_secretary"]
    commune.members["Đỗ Văn Giang"].user = secretary
    commune.members["Đỗ Văn Giang"].save()
    (rating,) = _ready(commune, ["Đỗ Văn Giang"], actor="base_secretary")
    with pytest.raises(PermissionDenied, match="chuyển lên Đảng ủy Đảng bộ Trường THCS"):
        meeting_services.rating_propose(actor=secretary, rating=rating, expected_version=rating.version,
                                        level="HTXSNV", note="Tự đề xuất")
    meeting_services.rating_propose(actor=commune.users["base_secretary"], rating=rating,
                                    expected_version=rating.version, level="HTTNV", note="Đảng ủy cơ sở đề xuất")


# ------------------------------------------------------------------------------ the verification


@pytest.fixture
def other_staff(commune):
    return user_with_role(Role.STAFF, username="bxd2")


def test_a_proposer_cannot_verify_their_own_proposal(commune, other_staff):
    staff = commune.users["staff"]
    (rating,) = _ready(commune, ["Lê Văn Cường"])
    meeting_services.rating_propose(actor=staff, rating=rating, expected_version=rating.version,
                                    level="HTTNV", note="Ban Xây dựng Đảng đề xuất thay chi bộ")
    rating.refresh_from_db()
    with pytest.raises(PermissionDenied) as refused:
        verification_services.rating_verify(actor=staff, rating=rating, expected_version=rating.version)
    assert "không tự thẩm định đề xuất của mình" in str(refused.value)
    with pytest.raises(PermissionDenied):  # adjusting points is part of verifying
        verification_services.score_adjust(actor=staff, rating=rating, expected_version=rating.version,
                                           code="1.1", value="5", reason="Thử")
    rating.refresh_from_db()
    assert rating.status == RatingStatus.PROPOSED and rating.verified_by is None
    verification_services.rating_verify(actor=other_staff, rating=rating, expected_version=rating.version)
    rating.refresh_from_db()
    assert (rating.status, rating.verified_by) == (RatingStatus.VERIFIED, other_staff)


def test_a_proposal_from_a_meeting_is_verified_by_staff(commune):
    (rating,) = _ready(commune, ["Lê Văn Cường"])
    _meeting(commune, [rating], [(2, 8, 0, 0)])
    rating.refresh_from_db()
    assert rating.proposed_by == commune.users["secretary"]
    (rating,) = _verify(commune, [rating])
    assert rating.status == RatingStatus.VERIFIED


def test_voiding_a_meeting_forgets_who_proposed(commune):
    (rating,) = _ready(commune, ["Lê Văn Cường"])
    meeting = _meeting(commune, [rating], [(2, 8, 0, 0)])
    meeting_services.meeting_void(actor=commune.users["secretary"], meeting=meeting, reason="Ghi nhầm")
    rating.refresh_from_db()
    assert (rating.status, rating.proposed_by) == (RatingStatus.SUBMITTED, None)


def test_the_one_who_proposed_a_rerating_cannot_verify_it(commune, other_staff):
    staff = commune.users["staff"]
    (rating,) = _ready(commune, ["Lê Văn Cường"])
    _meeting(commune, [rating], [(2, 8, 0, 0)])
    _verify(commune, [rating])
    _decide(commune, [rating], ["HTTNV"])
    new = rerating_services.rating_rerate(actor=staff, rating=Rating.objects.get(pk=rating.pk), reason="QĐ kỷ luật 03")
    new.refresh_from_db()
    meeting_services.rating_propose(actor=staff, rating=new, expected_version=new.version, level="KHTNV",
                                    note="Xếp loại lại")
    new.refresh_from_db()
    with pytest.raises(PermissionDenied, match="không tự thẩm định"):
        verification_services.rating_verify(actor=staff, rating=new, expected_version=new.version)
    verification_services.rating_verify(actor=other_staff, rating=new, expected_version=new.version)
    new.refresh_from_db()
    assert new.verified_by == other_staff


def test_the_queue_shows_an_own_proposal_without_its_button(commune, client, other_staff):
    staff = commune.users["staff"]
    mine, theirs = _ready(commune, ["Lê Văn Cường", "Phạm Thị Dung"])
    meeting_services.rating_propose(actor=staff, rating=mine, expected_version=mine.version,
                                    level="HTTNV", note="Ban Xây dựng Đảng đề xuất")
    _meeting(commune, [theirs], [(2, 8, 0, 0)])
    mine.refresh_from_db()
    theirs.refresh_from_db()
    url = reverse("appraisal:verify_queue", args=[commune.period.pk])
    client.force_login(staff)
    page = client.get(url).content.decode()
    assert page.count("không tự thẩm định đề xuất của mình") == 1
    assert f'value="{mine.pk}:{mine.version}"' not in page and f'value="{theirs.pk}:{theirs.version}"' in page
    assert reverse("appraisal:rating_verify", args=[mine.pk]) not in page
    client.force_login(other_staff)
    page = client.get(url).content.decode()
    assert "không tự thẩm định" not in page and f'value="{mine.pk}:{mine.version}"' in page


def test_the_home_page_counts_only_proposals_the_account_may_verify(commune, other_staff):
    from appraisal.selectors import work_waiting
    from core.scope import scope_for

    staff = commune.users["staff"]
    mine, theirs = _ready(commune, ["Lê Văn Cường", "Phạm Thị Dung"])
    meeting_services.rating_propose(actor=staff, rating=mine, expected_version=mine.version,
                                    level="HTTNV", note="Ban Xây dựng Đảng đề xuất")
    _meeting(commune, [theirs], [(2, 8, 0, 0)])

    def to_verify(user):
        return [w.count for w in work_waiting(scope_for(user)) if "đề xuất cần thẩm định" in w.label]

    assert to_verify(staff) == [1]
    assert to_verify(other_staff) == [2]


def test_the_meeting_form_leaves_out_the_heads_own_rating_and_says_why(commune, head, client):
    own, deputy = _handed_in(commune, commune.head), _handed_in(commune, commune.deputy)
    client.force_login(head)
    url = reverse("appraisal:meeting_create", args=[commune.period.pk])
    page = client.get(url, {"don_vi": commune.unit.pk, "doi_tuong": SubjectType.LEADER_YEARLY}).content.decode()
    assert f'name="c-{deputy.pk}"' in page and f'name="c-{own.pk}"' not in page
    assert "Nguyễn Văn An" in page and "việc đề xuất chuyển lên Ban Xây dựng Đảng" in page


def test_the_proposers_rating_page_has_no_verification_form(commune, other_staff, client):
    staff = commune.users["staff"]
    (rating,) = _ready(commune, ["Lê Văn Cường"])
    meeting_services.rating_propose(actor=staff, rating=rating, expected_version=rating.version,
                                    level="HTTNV", note="Ban Xây dựng Đảng đề xuất thay chi bộ")
    client.force_login(staff)
    page = client.get(rating.get_absolute_url()).content.decode()
    assert "<h2>Thẩm định</h2>" not in page and "không tự thẩm định đề xuất của mình" in page
    client.force_login(other_staff)
    page = client.get(rating.get_absolute_url()).content.decode()
    assert "<h2>Thẩm định</h2>" in page and "không tự thẩm định" not in page
