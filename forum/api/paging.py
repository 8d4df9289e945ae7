"""Keyset paging for the read API: a page is "the next `limit` rows after this row" in a fixed order that
ends with the primary key, so page 1,000 costs what page 1 costs (no OFFSET, no COUNT) and rows added
meanwhile never shift a page. The cursor is the last row's sort values, opaque to clients (base64 JSON)."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

MAX_CURSOR_CHARS = 200


class BadCursor(ValueError):
    """A cursor this API did not give out (or of another list): answered with 400."""


@dataclass(frozen=True)
class Order:
    """A list's order: (field, descending, type) triples, the last one unique (the primary key); the
    type (datetime, int or str) is what a cursor's value must be."""

    keys: tuple[tuple[str, bool, type], ...]

    def order_by(self) -> list[str]:
        return [f"-{field}" if desc else field for field, desc, _ in self.keys]

    def after(self, values: list) -> Q:
        """Rows that come after the row whose sort values are `values`."""
        condition = Q()
        for i, (field, desc, _) in enumerate(self.keys):
            step = Q(**{f"{field}__{'lt' if desc else 'gt'}": values[i]})
            for j in range(i):
                step &= Q(**{self.keys[j][0]: values[j]})
            condition |= step
        return condition

    @property
    def fields(self) -> list[str]:
        return [field for field, _, _ in self.keys]


def _encode_value(value):
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    return value


def _decode_value(value, kind: type):
    if kind is datetime:
        if not (isinstance(value, dict) and set(value) == {"t"} and isinstance(value["t"], str)):
            raise BadCursor("not a time")
        try:
            when = datetime.fromisoformat(value["t"])
        except ValueError as exc:
            raise BadCursor("not a time") from exc
        if when.tzinfo is None:
            raise BadCursor("no time zone")
        return when
    if kind is int and (isinstance(value, bool) or not isinstance(value, int) or abs(value) >= 2**63):
        raise BadCursor("not an integer")
    if kind is str and (not isinstance(value, str) or "\x00" in value):
        raise BadCursor("not text")
    return value


def encode(order: Order, row) -> str:
    values = [_encode_value(_read(row, field)) for field in order.fields]
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(order: Order, cursor: str) -> list:
    if len(cursor) > MAX_CURSOR_CHARS:
        raise BadCursor("too long")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise BadCursor("unreadable") from exc
    if not isinstance(values, list) or len(values) != len(order.keys):
        raise BadCursor("wrong shape")
    return [_decode_value(value, kind) for value, (_, _, kind) in zip(values, order.keys, strict=True)]


def _read(row, field: str):
    value = row
    for part in field.split("__"):
        value = getattr(value, part)
    return value


@dataclass
class Page:
    items: list
    next_cursor: str | None


def page(queryset, order: Order, cursor: str | None, limit: int) -> Page:
    """One page of `queryset` in `order` after `cursor`; raises BadCursor for a cursor it cannot read."""
    if cursor:
        queryset = queryset.filter(order.after(decode(order, cursor)))
    rows = list(queryset.order_by(*order.order_by())[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(items=rows, next_cursor=encode(order, rows[-1]) if more else None)
