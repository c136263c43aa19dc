"""The audit trail as a hash chain: a changed, deleted or inserted entry shows.

Each entry stores the id and the digest of the entry before it and its own digest, SHA-256 of
the previous digest and of its content (id, time, actor, action, object, changes) — as
certificate-transparency logs and ledger tables do. `AuditChainHead` (one row) holds the last
entry: appending locks it (SELECT … FOR UPDATE on PostgreSQL; SQLite has one writer at a time),
takes the ids, computes the digests and inserts, all in the caller's transaction, so concurrent
writers form one chain in id order and a rolled-back change leaves no link.

`verify_chain()` walks the entries in id order and names the first broken one:
- its digest does not match its content: the row was changed (or inserted without a digest);
- it points to an entry that is not there: that entry was deleted;
- it points further back than the entry before it: the entries in between were inserted;
- the head names an entry that is gone, or entries lie beyond it: the tail was cut or extended.

Someone who can rewrite every row and the head at once can forge a consistent chain; the digest
printed in a signed document (or kept off the server) anchors it.
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

FORMAT = "kd-audit-1"
FIELDS = ("id", "at", "actor_id", "action", "object_type", "object_id", "object_repr", "changes",
          "prev_id", "prev_digest", "digest")


def _moment(at) -> str:
    if isinstance(at, str):  # a raw SQLite value in a migration without converters
        at = dt.datetime.fromisoformat(at)
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    at = at.astimezone(dt.UTC)
    # isoformat is the faster; strftime writes years before 1000 unpadded, as the chain always has.
    return at.isoformat(timespec="microseconds")[:26] if at.year >= 1000 else at.strftime("%Y-%m-%dT%H:%M:%S.%f")


def entry_digest(*, id, at, actor_id, action, object_type, object_id, object_repr, changes,
                 prev_id, prev_digest) -> str:
    """The digest of one entry: SHA-256 of the previous digest and the entry's content.

    The content is written as canonical JSON (sorted keys, the changes as the stored JSON reads
    them back), so the digest computed before the insert equals the one computed from the row read back.
    """
    if isinstance(changes, str):  # read raw from the database
        changes = json.loads(changes)
    content = _CANONICAL.encode(
        [FORMAT, int(id), _moment(at), actor_id, action, object_type, str(object_id), object_repr,
         _as_stored(changes), prev_id],
    )
    return hashlib.sha256(f"{prev_digest}\n{content}".encode()).hexdigest()


_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _as_stored(changes):
    """`changes` as the JSON column gives them back: keys that are not text (2, 10) become text
    ("2", "10") and sort as text. Only such changes take the round trip; the others already are."""
    return changes if _text_keys(changes) else json.loads(json.dumps(changes))


_NESTED = (dict, list, tuple)


def _text_keys(value) -> bool:
    """Whether every dict inside `value` has only text keys."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or (isinstance(item, _NESTED) and not _text_keys(item)):
                return False
        return True
    if isinstance(value, _NESTED):
        return all(_text_keys(item) for item in value if isinstance(item, _NESTED))
    return True


def link(entries, *, prev_id, prev_digest) -> tuple[int | None, str]:
    """Set prev_id, prev_digest and digest of `entries` (with ids and times, in id order) after
    (prev_id, prev_digest); return the last entry's (id, digest)."""
    for entry in entries:
        entry.prev_id, entry.prev_digest = prev_id, prev_digest
        entry.digest = entry_digest(
            id=entry.pk, at=entry.at, actor_id=entry.actor_id, action=entry.action,
            object_type=entry.object_type, object_id=entry.object_id, object_repr=entry.object_repr,
            changes=entry.changes, prev_id=prev_id, prev_digest=prev_digest,
        )
        prev_id, prev_digest = entry.pk, entry.digest
    return prev_id, prev_digest


def chain_append(entries: list) -> None:
    """Insert new AuditEntry objects at the end of the chain, in the caller's transaction."""
    from django.db import transaction

    from .bulk import bulk_insert, take_ids
    from .models import AuditChainHead, AuditEntry

    if not entries:
        return
    with transaction.atomic():
        head = _locked_head(AuditChainHead)
        take_ids(AuditEntry, [e for e in entries if e.pk is None])
        entries.sort(key=lambda e: e.pk)
        head.last_id, head.last_digest = link(entries, prev_id=head.last_id, prev_digest=head.last_digest)
        head.entries += len(entries)
        bulk_insert(AuditEntry, entries)
        head.save(update_fields=["last_id", "last_digest", "entries"])


def _locked_head(model):
    """The chain's head row, locked until the transaction ends (made on a fresh database)."""
    head = model.objects.select_for_update().filter(pk=1).first()
    if head is None:
        model.objects.bulk_create([model(pk=1)], ignore_conflicts=True)
        head = model.objects.select_for_update().get(pk=1)
    return head


@dataclass
class Break:
    entry_id: int
    text: str


@dataclass
class ChainReport:
    entries: int = 0
    breaks: list[Break] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.breaks

    def summary(self) -> str:
        first = f" first_broken_id={self.breaks[0].entry_id}" if self.breaks else ""
        return f"entries={self.entries} broken={len(self.breaks)}{first}"


def verify_chain(*, chunk: int = 5000) -> ChainReport:
    """Walk the audit entries in id order and report every broken link (see the module docstring)."""
    from .models import AuditChainHead, AuditEntry

    head = AuditChainHead.objects.filter(pk=1).first()
    head_id, head_digest = (head.last_id, head.last_digest) if head else (None, "")
    report = ChainReport()
    walked: list[int] = []  # ids in order, to name what was inserted between two entries
    last_id, last_digest = None, ""
    rows = AuditEntry.objects.order_by("id").values_list(*FIELDS).iterator(chunk_size=chunk)
    for row in rows:
        e = dict(zip(FIELDS, row, strict=True))
        report.entries += 1
        content = {k: e[k] for k in FIELDS if k != "digest"}
        if entry_digest(**content) != e["digest"]:
            report.breaks.append(Break(e["id"], "nội dung đã bị sửa (hoặc mục được thêm ngoài phần mềm)"))
        elif e["prev_id"] != last_id:
            prev = e["prev_id"]
            at = bisect.bisect_left(walked, prev) if prev is not None else 0
            if head_id is not None and e["id"] > head_id:
                report.breaks.append(Break(e["id"], "mục được thêm sau mục cuối cùng của chuỗi"))
            elif prev is not None and at < len(walked) and walked[at] == prev:
                inserted = walked[at + 1] if at + 1 < len(walked) else e["id"]
                report.breaks.append(Break(inserted, f"mục được chèn vào giữa mục id={prev} và mục id={e['id']}"))
            elif prev is None:
                report.breaks.append(Break(walked[0] if walked else e["id"], "mục được chèn vào trước mục đầu tiên"))
            else:
                report.breaks.append(Break(prev, f"mục đã bị xóa (mục id={e['id']} ghi nhận mục trước nó là id={prev})"))
        elif e["prev_digest"] != last_digest:
            report.breaks.append(Break(last_id, "nội dung đã bị sửa (mục sau không còn khớp)"))
        walked.append(e["id"])
        last_id, last_digest = e["id"], e["digest"]
    named = {b.entry_id for b in report.breaks}
    if head_id != last_id:
        at = bisect.bisect_left(walked, head_id) if head_id is not None else 0
        if head_id is not None and (at == len(walked) or walked[at] != head_id):
            report.breaks.append(Break(head_id, "mục cuối cùng của chuỗi đã bị xóa"))
        else:
            beyond = walked[at + 1] if head_id is not None else walked[0]
            if beyond not in named:
                report.breaks.append(Break(beyond, "mục được thêm sau mục cuối cùng của chuỗi"))
    elif head_digest != last_digest and last_id not in named:
        report.breaks.append(Break(last_id, "nội dung mục cuối cùng đã bị sửa"))
    return report
