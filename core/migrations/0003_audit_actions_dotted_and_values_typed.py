"""Audit actions become one dotted enumeration ("org_create" → "org.create"); stored values get
their type, so the pages never guess by shape: dates {"date": …}, references {"ref": …, "id": …}
(a code the workbook import stored where an id belongs is resolved to the row's id)."""
import re

from django.db import migrations

ACTIONS = {
    "member_create": "member.create", "member_update": "member.update", "member_transfer": "member.transfer",
    "member_exempt": "member.exempt", "member_suspend": "member.suspend",
    "member_exempt_end": "member.exempt_end", "member_suspend_end": "member.suspend_end",
    "member_temporary": "member.temporary", "member_temporary_end": "member.temporary_end",
    "discipline_record": "discipline.record", "position_add": "position.add", "position_end": "position.end",
    "org_create": "org.create", "org_update": "org.update", "org_move": "org.move",
    "org_deactivate": "org.deactivate", "unit_create": "unit.create", "unit_update": "unit.update",
    "unit_deactivate": "unit.deactivate", "block_create": "block.create", "block_update": "block.update",
    "position_group_create": "position_group.create", "position_group_update": "position_group.update",
    "user_create": "user.create", "user_update": "user.update", "user_deactivate": "user.deactivate",
    "user_activate": "user.activate", "role_assign": "role.assign", "role_remove": "role.remove",
    "role_narrowed": "role.narrow", "password_reset": "password.reset", "password_change": "password.change",
    "admin_add": "admin.add", "admin_change": "admin.change", "admin_delete": "admin.delete",
    "seed_demo": "demo.seed", "demo_account_created": "demo.account_create",
    "demo_account_reset": "demo.account_reset",
}
# Keys that named another row by its primary key (or, from the workbook import, by its code).
REFS = {
    "cell": "orgs.PartyOrganization", "to_cell": "orgs.PartyOrganization",
    "from_cell": "orgs.PartyOrganization", "parent": "orgs.PartyOrganization",
    "organization": "orgs.PartyOrganization", "party_organization": "orgs.PartyOrganization",
    "unit": "orgs.Unit", "block": "orgs.Block", "group": "members.PositionGroup", "member": "members.Member",
}
DATE_KEYS = {
    "moved_on", "start_on", "end_on", "violation_on", "decided_on", "reference", "admitted_on",
    "official_on", "date_of_birth", "established_on",
}
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _model(apps, label):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


class Typer:
    """Types one entry's values, resolving codes to ids with one query per code (rare rows)."""

    def __init__(self, apps):
        self.apps = apps

    def field_kind(self, object_type: str, key: str) -> tuple[str, str | None]:
        model = _model(self.apps, object_type)
        try:
            field = model._meta.get_field(key) if model else None
        except Exception:  # noqa: BLE001 - FieldDoesNotExist and reverse relations alike
            field = None
        if field is not None and getattr(field, "many_to_one", False):
            return "ref", field.related_model._meta.label
        if field is not None and field.get_internal_type() == "DateField":
            return "date", None
        if key in REFS:
            return "ref", REFS[key]
        if key in DATE_KEYS:
            return "date", None
        return "plain", None

    def ref(self, label: str, value):
        if isinstance(value, bool) or value in (None, ""):
            return value
        text = str(value)
        if text.isdigit():
            return {"ref": label, "id": int(text)}
        model = _model(self.apps, label)
        column = "card_number" if label == "members.Member" else "code"
        found = model.objects.filter(**{column: text}).values_list("pk", flat=True).first() if model else None
        return {"ref": label, "id": found} if found is not None else value

    def one(self, object_type: str, key: str, value):
        if isinstance(value, dict):
            return value
        kind, label = self.field_kind(object_type, key)
        if kind == "ref":
            return self.ref(label, value)
        if kind == "date" and isinstance(value, str) and ISO_DAY.match(value):
            return {"date": value}
        return value

    def changes(self, object_type: str, changes):
        if not isinstance(changes, dict):
            return changes
        typed = {}
        for key, value in changes.items():
            if isinstance(value, list) and len(value) == 2:
                typed[key] = [self.one(object_type, key, v) for v in value]
            else:
                typed[key] = self.one(object_type, key, value)
        return typed


def forwards(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    for old, new in ACTIONS.items():
        AuditEntry.objects.filter(action=old).update(action=new)
    typer = Typer(apps)
    batch = []
    for entry in AuditEntry.objects.only("pk", "object_type", "changes").iterator(chunk_size=2000):
        typed = typer.changes(entry.object_type, entry.changes)
        if typed != entry.changes:
            entry.changes = typed
            batch.append(entry)
        if len(batch) >= 1000:
            AuditEntry.objects.bulk_update(batch, ["changes"])
            batch = []
    if batch:
        AuditEntry.objects.bulk_update(batch, ["changes"])


def backwards(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    for old, new in ACTIONS.items():
        AuditEntry.objects.filter(action=new).update(action=old)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_audit_labels_of_moved_models"),
        ("orgs", "0007_placement_rules_and_row_checks"),
        ("members", "0003_row_checks"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
