"""The audit log in models/: snapshots in JSON terms, changed fields, secrets kept out, append-only."""
import datetime
import json

import pytest
from peewee import IntegrityError

from models import AuditEntry, Department, DomainError, Officer, RecoveryCode, Service, audit, database


@pytest.fixture
def revenue(db):
    return Department.create(code="REV", name_en="Revenue", name_hi="राजस्व")


@pytest.fixture
def officer(db):
    return Officer.create(name="Asha", email="asha@example.gov.in")


def test_a_snapshot_is_json_with_ids_iso_times_and_decimal_strings(revenue):
    service = Service.create(code="REV-1", name_en="Certificate", name_hi="प्रमाण पत्र", department=revenue,
                             category="certificates", fee=5, created_at=datetime.datetime(2026, 1, 2, 3, 4, 5),
                             updated_at=datetime.datetime(2026, 1, 2, 3, 4, 5))
    values = audit.snapshot(service)
    assert json.loads(json.dumps(values)) == values
    assert values["department"] == revenue.id
    assert values["created_at"] == "2026-01-02T03:04:05"
    assert "id" not in values
    # 5 as typed and 5.00 as read back are the same fee.
    assert values["fee"] == audit.snapshot(Service.get_by_id(service.id))["fee"] == "5.00"


def test_create_update_and_delete_entries(officer, revenue):
    before = audit.snapshot(revenue)
    created = audit.record(officer, "create", revenue, None, before)
    assert (created.officer_id, created.action, created.model_name, created.row_id) == (
        officer.id, "create", "department", str(revenue.id))
    assert created.changes["code"] == [None, "REV"]

    revenue.name_en = "Revenue and Disaster Management"
    updated = audit.record(officer.id, "update", revenue, before, audit.snapshot(revenue))
    assert updated.changes == {"name_en": ["Revenue", "Revenue and Disaster Management"]}

    deleted = audit.record(None, "delete", revenue, audit.snapshot(revenue), None)
    assert deleted.officer_id is None and deleted.changes["name_hi"] == ["राजस्व", None]
    stored = AuditEntry.get_by_id(updated.id)
    assert stored.changes == updated.changes and stored.at <= datetime.datetime.now(datetime.timezone.utc).replace(
        tzinfo=None)


def test_an_update_that_changes_nothing_records_nothing(officer, revenue):
    assert audit.record(officer, "update", revenue, audit.snapshot(revenue), audit.snapshot(revenue)) is None
    assert AuditEntry.select().count() == 0


def test_an_unknown_action_is_refused(officer, revenue):
    with pytest.raises(ValueError):
        audit.record(officer, "rename", revenue, None, audit.snapshot(revenue))
    assert AuditEntry.select().count() == 0


def test_a_sensitive_view_is_recorded(officer, revenue):
    entry = audit.record_view(officer, revenue, "document: notification.pdf")
    assert (entry.action, entry.note, entry.changes) == ("view", "document: notification.pdf", {})


def test_secrets_are_recorded_as_changed_and_never_copied(officer):
    before = audit.snapshot(officer)
    officer.set_password("a long enough passphrase")
    officer.totp_secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    officer.save()
    code = RecoveryCode.create(officer=officer, code_hash="f" * 64)
    entries = [audit.record(officer, "update", officer, before, audit.snapshot(officer)),
               audit.record(officer, "create", code, None, audit.snapshot(code))]
    assert entries[0].changes["password_hash"] == entries[0].changes["totp_secret"] == audit.CHANGED
    assert entries[1].changes["code_hash"] == audit.CHANGED
    stored = json.dumps([e.changes for e in AuditEntry.select()])
    for secret in (officer.password_hash, officer.totp_secret, "f" * 64, "scrypt"):
        assert secret not in stored


def test_entries_are_never_changed_or_deleted(officer, revenue):
    entry = audit.record(officer, "create", revenue, None, audit.snapshot(revenue))
    entry.note = "rewritten"
    refusals = [entry.save, entry.delete_instance,
                lambda: AuditEntry.update(note="rewritten").execute(),
                lambda: AuditEntry.delete().execute(),
                lambda: AuditEntry.replace(id=entry.id, officer=officer, action="view", model_name="x",
                                           row_id="1").execute(),
                lambda: AuditEntry.replace_many([]).execute()]
    for refused in refusals:
        with pytest.raises(DomainError) as error:
            refused()
        assert error.value.code == "audit_is_append_only"
    stored = AuditEntry.get_by_id(entry.id)
    assert (stored.action, stored.note) == ("create", "")


def test_an_officer_with_a_trail_cannot_be_deleted(officer, revenue):
    audit.record(officer, "create", revenue, None, audit.snapshot(revenue))
    with pytest.raises(IntegrityError), database.atomic():
        officer.delete_instance()
    assert AuditEntry.select().where(AuditEntry.officer == officer).count() == 1
