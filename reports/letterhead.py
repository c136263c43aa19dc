"""The letterhead of a document: the superior line, the issuing body, the place of the dateline.

One function for every document (year-end report, multi-year tables, summary sheets, decisions,
tally minutes, self-assessments), as the seeds print it: "ĐẢNG BỘ TỈNH LÂM ĐỒNG / HUYỆN ỦY BẢO
LÂM / *" [001], "… / ĐẢNG ỦY XÃ BÌNH LƯ / *" [000], then "Bình Lư, ngày … tháng … năm …".
Where the tree stops below the superior (a deployment rooted at a district, or at a commune whose
province is not in the tree), the organisation's own settings give the lines (`letterhead_*`,
edited where the organisation is edited); otherwise they follow the tree.
"""
from __future__ import annotations

from dataclasses import dataclass

from orgs.models import PATH_STEP, OrgKind, PartyOrganization
from vnformat import fmt_date_long

# Kinds whose name gives the place of a dateline ("Đảng bộ xã Bình Lư" → "Bình Lư").
PLACE_KINDS = (OrgKind.ROOT, OrgKind.DISTRICT, OrgKind.PROVINCE)
_PLACE_PREFIXES = tuple(f"Đảng bộ {word} " for word in ("xã", "phường", "thị trấn", "đặc khu", "huyện", "quận",
                                                          "thị xã", "thành phố", "tỉnh")) + ("Đảng bộ ",)


@dataclass(frozen=True)
class Issuer:
    """Who issues a document, as its header prints it (the template upper-cases the names)."""

    superior: str
    issuer: str
    place: str


NOBODY = Issuer("", "", "")


def ancestors(org: PartyOrganization) -> list[PartyOrganization]:
    """The organisation's ancestors, top first (one query)."""
    step = PATH_STEP + 1
    paths = [org.path[:end] for end in range(step, len(org.path), step)]
    return list(PartyOrganization.objects.filter(path__in=paths).order_by("depth")) if paths else []


def issuer_name(org: PartyOrganization) -> str:
    """ "Đảng ủy xã Bình Lư" for "Đảng bộ xã Bình Lư" (a committee issues); a cell issues under its name."""
    if org.letterhead_issuer:
        return org.letterhead_issuer
    if org.name.startswith("Đảng bộ"):
        return org.name.replace("Đảng bộ", "Đảng ủy", 1)
    return org.name


def place_word(name: str) -> str:
    """ "Bình Lư" from "Đảng bộ xã Bình Lư", "Bảo Lâm" from "Đảng bộ huyện Bảo Lâm"."""
    for prefix in _PLACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def letterhead(org: PartyOrganization | None) -> Issuer:
    """The letterhead of `org`'s documents (two queries at most: its ancestors)."""
    if org is None:
        return NOBODY
    chain = [*ancestors(org), org]
    parent = chain[-2] if len(chain) > 1 else None
    superior = org.letterhead_superior or (parent.name if parent is not None else "")
    nearest_first = chain[::-1]
    place = next((o.letterhead_place for o in nearest_first if o.letterhead_place), "") or next(
        (place_word(o.name) for o in nearest_first if o.kind in PLACE_KINDS), "")
    return Issuer(superior, issuer_name(org), place)


def deployment_org(communes) -> PartyOrganization | None:
    """Who speaks for the whole deployment: its one top organisation, else its one commune (None if neither)."""
    tops = list(PartyOrganization.objects.filter(parent__isnull=True)[:2])
    if len(tops) == 1:
        return tops[0]
    if len(communes) == 1:
        return PartyOrganization.objects.filter(path=communes[0].path).first()
    return None


def scope_letterhead(scope) -> Issuer:
    """The letterhead of a report's scope (an organisation, or the whole deployment)."""
    org = scope.organization if scope.organization is not None else deployment_org(scope.communes)
    return letterhead(org)


def dateline(place: str, day=None) -> str:
    """ "Bình Lư, ngày 24 tháng 6 năm 2026" (dots where the place or the date is still to be written)."""
    if day is not None:
        return f"{place or '……'}, {fmt_date_long(day)}"
    return f"{place or '……'}, ngày … tháng … năm ……"


DEFAULT_RECIPIENTS = ("Ban Tổ chức Tỉnh ủy;", "Thường trực Đảng ủy;", "Các chi, đảng bộ trực thuộc;", "Lưu Văn phòng Đảng ủy.")
ON_BEHALF = "T/M BAN THƯỜNG VỤ"
DECISION_RECIPIENTS = ("Như Điều 3;", "Lưu Văn phòng Đảng ủy.")


@dataclass(frozen=True)
class Closing:
    """The foot of a document: "Nơi nhận" on the left, the signature block on the right [000]."""

    recipients: tuple[str, ...]
    on_behalf: str
    title: str
    name: str


def recipient_lines(text: str) -> tuple[str, ...]:
    """One recipient a line, without the dash the document prints before each."""
    return tuple(line.strip().lstrip("-").strip() for line in (text or "").splitlines() if line.strip())


def seat_title(seat) -> str:
    """ "PHÓ BÍ THƯ" for a deputy's seat, as a signature block prints it ("" for none)."""
    return seat.get_role_display().upper() if seat is not None else ""


def committee_closing(org: PartyOrganization | None, day, recipients: tuple[str, ...] = DEFAULT_RECIPIENTS) -> Closing:
    """Signed for the standing committee by its secretary (else a deputy) on `day`, with their title."""
    from orgs.selectors import committee_head

    head = committee_head(org, day) if org is not None else None
    return Closing(recipients, ON_BEHALF, seat_title(head), head.member.full_name if head is not None else "")
