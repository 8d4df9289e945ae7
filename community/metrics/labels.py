"""A metric's labelled series, looked up once: prometheus-client's `.labels()` validates and locks on every
call (about three times the cost of the increment itself, measured here), and live events are counted once
per socket copy. Label values are names from our code, so each cache stays small."""

_series: dict[tuple, object] = {}


def series(metric, *values: str):
    key = (id(metric), *values)
    found = _series.get(key)
    if found is None:
        found = _series.setdefault(key, metric.labels(*values))
    return found
