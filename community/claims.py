"""Claim an item for one actor: the first-moderator-wins conditional UPDATE, shared by forum and accounts.

Two moderators deciding the same pending item at once both read it as open; `claim` writes the decision
with a single UPDATE that matches the row only while it is still in `from_status`, so the database lets
exactly one of them through. The caller raises its own "already decided" error when it loses.
"""

from collections.abc import Collection


def claim(source, pk, *, from_status=None, **changes) -> bool:
    """Write `changes` to row `pk` of `source` (a model or a queryset narrowing which rows may be claimed)
    only if it is still in `from_status` (one value or a collection; None: any status). True if this call
    won the row, False if another caller changed it first (or it does not match)."""
    rows = source._default_manager.filter(pk=pk) if isinstance(source, type) else source.filter(pk=pk)
    if from_status is not None:
        if isinstance(from_status, Collection) and not isinstance(from_status, str):
            rows = rows.filter(status__in=list(from_status))
        else:
            rows = rows.filter(status=from_status)
    return rows.update(**changes) == 1
