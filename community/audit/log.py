"""The audit log: one function records who did what to which item, and why."""

from django.contrib.contenttypes.models import ContentType

from community.audit.models import AuditEntry


def record(*, actor, action: AuditEntry.Action, target=None, reason: str = "", subject=None) -> AuditEntry:
    """Write one entry. `action` is one of AuditEntry.Action (the labels moderators read)."""
    entry = AuditEntry(actor=actor, action=AuditEntry.Action(action), reason=reason, subject=subject)
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(target)
        entry.target_id = target.pk
        entry.target_label = str(target)[:240]
    entry.save()
    return entry
