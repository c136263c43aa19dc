"""Read the current data, within a user's scope, as rows for the workbook (a fixed number of queries)."""
from core.scope import Scope
from members.models import (
    Discipline,
    Exemption,
    LeaderPosition,
    PositionGroup,
    Suspension,
    TemporaryActivity,
)
from members.scope import visible_members
from orgs.models import Block
from orgs.scope import visible_orgs, visible_units

from .writer import build_workbook


def _tree_order(orgs: list) -> list:
    """Organisations parents first, siblings by (order, code): the same in any database."""
    by_parent: dict = {}
    ids = {o.pk for o in orgs}
    for org in orgs:
        parent = org.parent_id if org.parent_id in ids else None
        by_parent.setdefault(parent, []).append(org)
    ordered: list = []
    stack = sorted(by_parent.get(None, []), key=lambda o: (o.sort_order, o.code), reverse=True)
    while stack:
        org = stack.pop()
        ordered.append(org)
        stack.extend(sorted(by_parent.get(org.pk, []), key=lambda o: (o.sort_order, o.code), reverse=True))
    return ordered


def export_data(scope: Scope) -> dict[str, list[dict]]:
    """Every organisation, block, unit, member, position and history row the scope may see."""
    orgs = list(visible_orgs(scope))
    codes = {o.pk: o.code for o in orgs}
    units = list(visible_units(scope).select_related("party_organization"))
    blocks = list(Block.objects.all()) if scope.sees_everything else list(
        Block.objects.filter(pk__in={u.block_id for u in units})
    )
    block_codes = {b.pk: b.code for b in blocks}
    member_qs = visible_members(scope)
    members = list(member_qs.select_related("cell"))
    cards = {m.pk: m.card_number for m in members}
    member_ids = member_qs.values("pk")
    groups = {g.pk: g for g in PositionGroup.objects.all()}
    positions = LeaderPosition.objects.filter(member_id__in=member_ids).select_related("unit", "organization")

    data: dict[str, list[dict]] = {}
    data["orgs"] = [
        {
            "code": o.code, "name": o.name, "kind": o.kind, "parent": codes.get(o.parent_id, ""),
            "established_on": o.established_on, "is_active": o.is_active, "sort_order": o.sort_order,
        }
        for o in _tree_order(orgs)
    ]
    data["blocks"] = [
        {"code": b.code, "name": b.name, "sort_order": b.sort_order}
        for b in sorted(blocks, key=lambda b: (b.sort_order, b.code))
    ]
    data["units"] = [
        {
            "code": u.code, "name": u.name, "block": block_codes.get(u.block_id, u.block.code),
            "party_organization": u.party_organization.code if u.party_organization_id else "",
            "has_leadership_collective": u.has_leadership_collective, "is_active": u.is_active,
            "sort_order": u.sort_order,
        }
        for u in sorted(units, key=lambda u: (u.block.sort_order, u.block.code, u.sort_order, u.code))
    ]
    data["members"] = [
        {
            "card_number": m.card_number, "full_name": m.full_name, "date_of_birth": m.date_of_birth,
            "gender": m.gender, "admitted_on": m.admitted_on, "official_on": m.official_on,
            "status": m.status, "cell": m.cell.code, "is_active": m.is_active,
        }
        for m in sorted(members, key=lambda m: (m.cell.code, m.sort_key, m.card_number))
    ]
    data["positions"] = [
        {
            "card_number": cards[p.member_id], "title": p.title,
            "unit": p.unit.code if p.unit_id else "", "organization": p.organization.code if p.organization_id else "",
            "leadership_role": p.leadership_role, "tier": p.tier, "group": groups[p.group_id].code,
            "group_name": groups[p.group_id].name, "start_on": p.start_on, "end_on": p.end_on,
        }
        for p in sorted(positions, key=lambda p: (cards[p.member_id], p.start_on, p.title, p.pk))
    ]
    for key, model in (("exemptions", Exemption), ("suspensions", Suspension)):
        rows = model.objects.filter(member_id__in=member_ids)
        data[key] = [
            {"card_number": cards[r.member_id], "start_on": r.start_on, "end_on": r.end_on, "reason": r.reason}
            for r in sorted(rows, key=lambda r: (cards[r.member_id], r.start_on))
        ]
    activities = TemporaryActivity.objects.filter(member_id__in=member_ids)
    data["temporary_activities"] = [
        {"card_number": cards[a.member_id], "place": a.place, "start_on": a.start_on, "end_on": a.end_on}
        for a in sorted(activities, key=lambda a: (cards[a.member_id], a.start_on))
    ]
    disciplines = Discipline.objects.filter(member_id__in=member_ids)
    data["disciplines"] = [
        {
            "card_number": cards[d.member_id], "form": d.form, "decided_on": d.decided_on,
            "violation_on": d.violation_on, "decision_number": d.decision_number, "reason": d.reason,
            "related_to_duties": d.related_to_duties, "self_detected_remedied": d.self_detected_remedied,
        }
        for d in sorted(disciplines, key=lambda d: (cards[d.member_id], d.decided_on, d.form))
    ]
    return data


def export_workbook(scope: Scope) -> bytes:
    """The current data in the import format."""
    return build_workbook(export_data(scope))
