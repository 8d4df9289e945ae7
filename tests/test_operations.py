"""Operations: the /healthz endpoint, and Django's deployment checks under the production variables."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from community import health

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_healthz_reports_database_and_redis(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["database"] == "ok"
    assert body["redis"] == ("ok" if settings.REDIS_URL else "not configured")
    assert body["status"] == "ok"


@pytest.mark.django_db
def test_healthz_is_degraded_but_up_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("database", "redis", "status")} == {
        "database": "ok",
        "redis": "unreachable",
        "status": "degraded",
    }


class _BrokenConnection:
    def cursor(self):
        raise ConnectionError("database is gone")


@pytest.mark.django_db
def test_healthz_returns_503_json_when_the_database_check_fails(client, monkeypatch):
    monkeypatch.setattr(health, "connection", _BrokenConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "unreachable"
    assert body["status"] == "down"
    assert "gone" not in response.content.decode()  # no internals in the answer


def production_env(**overrides) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60),  # 80 random characters
        ALLOWED_HOSTS="health.example.org",
        DJANGO_SETTINGS_MODULE="community.settings",
    )
    env.update(overrides)
    return env


def deploy_check(env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_deploy_check_is_clean_with_production_variables():
    result = deploy_check(production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("weakening", "warning"),
    [
        ({"SECURE_SSL_REDIRECT": "0"}, "security.W008"),
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
    ],
)
def test_deploy_check_fails_when_security_is_weakened(weakening, warning):
    result = deploy_check(production_env(**weakening))
    assert result.returncode != 0
    assert warning in result.stdout + result.stderr


@pytest.mark.slow
def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = deploy_check(env)
    assert result.returncode != 0
    assert "Set SECRET_KEY when DEBUG=0." in result.stderr
