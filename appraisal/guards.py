"""What the database refuses to change in a decided rating (core.db_guard) [issue 15; DOMAIN §9].

A decided rating keeps its levels, score, decision and subject; it stops counting (is_live)
only when a re-rating supersedes it. Announcing it and bumping its version stay allowed.
"""
from core.db_guard import Guard

DECIDED_RATING = Guard(
    name="rating_decided",
    table="appraisal_rating",
    locked="OLD.status = 'decided'",
    frozen=(
        "status", "total_score", "score_level", "condition_level", "proposed_level", "approved_level",
        "decision_id", "decision_number", "decision_date", "supersedes_id", "period_id", "subject_type",
        "member_id", "organization_id", "unit_id", "leader_position_id",
    ),
    # It stops counting only once a re-rating supersedes it, and never counts again.
    also_refuse=(
        "NEW.is_live <> OLD.is_live AND (NEW.is_live OR NOT EXISTS "
        "(SELECT 1 FROM appraisal_rating s WHERE s.supersedes_id = OLD.id))"
    ),
    message="Kết quả xếp loại đã có quyết định: cơ sở dữ liệu không cho sửa mức, điểm, quyết định "
            "hay xóa; muốn thay đổi phải xếp loại lại.",
)
