"""Keep health content out of the logs: request paths carry question slugs, tag names and search terms
(e.g. "/q/12/can-i-drink-alcohol-on-sertraline/" or "/search/?q=hiv"), and Django logs the path of every
4xx/5xx response. This filter, attached to the django.request and django.server loggers, rewrites such
paths before any handler (or pytest's caplog) sees them."""

import logging
import re

_SLUGGED = re.compile(r"^(/(?:q|c|tags|api/v1/tags|api/v1/categories)/(?:\d+/)?)[^/?#]+")


def redact_path(value: str) -> str:
    path = value.split("?", 1)[0].split("#", 1)[0]
    return _SLUGGED.sub(r"\1…", path)


class RedactPaths(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_path(arg) if isinstance(arg, str) and arg.startswith("/") else arg
                for arg in record.args
            )
        return True
