"""An entry's digest is the one the chain has always stored: the digest without the JSON round
trip equals the round trip's, whatever the changes hold (core.audit_chain.entry_digest)."""
import datetime as dt
import hashlib
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.audit import AuditAction, record_change, typed
from core.audit_chain import FORMAT, entry_digest, verify_chain
from core.models import AuditEntry
from tests.factories import OrgFactory

ENTRY = {
    "id": 7, "at": dt.datetime(2026, 6, 24, 8, 30, 15, 123456, tzinfo=dt.UTC), "actor_id": 3,
    "action": "member.update", "object_type": "members.Member", "object_id": 42, "object_repr": "Nguyễn Văn An",
    "prev_id": 6, "prev_digest": "0" * 64,
}


def round_trip_digest(*, id, at, actor_id, action, object_type, object_id, object_repr, changes, prev_id,
                      prev_digest):
    """The digest as the chain first computed it (the changes through json.dumps and json.loads):
    the reference every stored entry was chained with."""
    if isinstance(changes, str):
        changes = json.loads(changes)
    at = (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    content = json.dumps(
        [FORMAT, int(id), at, actor_id, action, object_type, str(object_id), object_repr,
         json.loads(json.dumps(changes)), prev_id],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(f"{prev_digest}\n{content}".encode()).hexdigest()


keys = st.one_of(st.text(max_size=8), st.integers(-20, 1000), st.booleans(), st.none(), st.floats(), st.sampled_from(["2", "10", "a", "id", "ref"]))
typed_values = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=2), st.dates(),
    st.datetimes(timezones=st.just(dt.UTC)),
).map(typed)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20), typed_values,
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(keys, inner, max_size=4),
    ),
    max_leaves=20,
)
changes_ = st.dictionaries(keys, values, max_size=6)


@settings(max_examples=300)
@given(changes=changes_)
def test_the_digest_equals_the_round_trip_digest(changes):
    assert entry_digest(**ENTRY, changes=changes) == round_trip_digest(**ENTRY, changes=changes)


@settings(max_examples=200)
@given(at=st.datetimes(timezones=st.timezones()) | st.datetimes())
def test_the_digest_of_any_moment_equals_the_round_trip_digest(at):
    entry = {**ENTRY, "at": at, "changes": {"x": 1}}
    assert entry_digest(**entry) == round_trip_digest(**entry)


@settings(max_examples=100)
@given(changes=changes_)
def test_the_digest_of_the_stored_text_equals_the_digest_before_the_insert(changes):
    stored = json.dumps(changes)
    assert entry_digest(**ENTRY, changes=stored) == entry_digest(**ENTRY, changes=changes)


def test_number_keys_are_written_as_text_in_text_order():
    """{2: …, 10: …} is stored as {"10": …, "2": …}: the digest before the insert is the stored one."""
    assert entry_digest(**ENTRY, changes={2: "hai", 10: "mười"}) == entry_digest(
        **ENTRY, changes={"10": "mười", "2": "hai"})


def test_a_digest_is_pinned():
    """The digest of a fixed entry, computed by the first version of the chain: chains stored
    before any change of the code keep verifying."""
    changes = {"cell": [{"ref": "orgs.PartyOrganization", "id": 12}, {"ref": "orgs.PartyOrganization", "id": 13}],
               10: "mười", 2: "hai", "score": {"decimal": "8.5"}}
    assert entry_digest(**ENTRY, changes=changes) == "406556d33b304944fa418e0450470f0825b37ac66c1c96faef1c827fa6d4b9fb"


def test_a_value_json_cannot_write_is_refused_as_before():
    with pytest.raises(TypeError):
        entry_digest(**ENTRY, changes={"score": Decimal("8.5")})


@pytest.mark.django_db
def test_number_keys_stored_and_read_back_verify():
    org = OrgFactory(code="AUDK", name="Chi bộ thôn Khóa số")
    record_change(actor=None, action=AuditAction.ORG_UPDATE, obj=org, changes={2: ("a", "b"), 10: 1.5, "x": None})
    assert set(AuditEntry.objects.get().changes) == {"2", "10", "x"}
    assert verify_chain().summary() == "entries=1 broken=0"
