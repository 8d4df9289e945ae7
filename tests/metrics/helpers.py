"""Reading /metrics as Prometheus would: the exposition text, parsed by prometheus-client's own parser."""

from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

TOKEN = "metrics-test-token-0123456789"


def scrape(client: Client | None = None) -> str:
    """The metrics text, fetched from loopback without a token (the default test client's 127.0.0.1)."""
    response = (client or Client()).get("/metrics")
    assert response.status_code == 200, response.content
    return response.content.decode()


def value(text: str, sample: str, **labels) -> float:
    """The sample's value summed over series matching `labels` (0 when there is none yet)."""
    total = 0.0
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == sample and all(found.labels.get(k) == v for k, v in labels.items()):
                total += found.value
    return total
