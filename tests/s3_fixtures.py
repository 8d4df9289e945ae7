"""A real S3-compatible server for the object-storage tests: moto's standalone server (`moto_server`, from
moto[server]) on a free port of 127.0.0.1, started once per test session, and settings that point the site's
stores at fresh buckets on it. Registered for every test directory by tests/conftest.py (pytest_plugins)."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import boto3
import pytest

from community.object_storage.config import storages_from_environment

# `moto_server` is this module run by this interpreter, so no PATH or venv layout is assumed.
MOTO_SERVER = [sys.executable, "-m", "moto.server"]
REGION = "us-east-1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto_server exited with code {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1).close()  # noqa: S310 (our own 127.0.0.1 server)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"moto_server did not answer within {timeout:.0f} s")


@pytest.fixture(scope="session")
def moto_endpoint():
    """URL of a moto S3 server started for this test session."""
    port = _free_port()
    process = subprocess.Popen(
        [*MOTO_SERVER, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(endpoint, process)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def s3_environment(moto_endpoint, monkeypatch):
    """The environment a production site on S3 would have: fresh public and private buckets (moto keeps
    buckets for the whole session, so each test gets its own names)."""
    suffix = uuid.uuid4().hex[:12]
    environ = {
        "AWS_STORAGE_BUCKET_NAME": f"hc-media-{suffix}",
        "AWS_PRIVATE_STORAGE_BUCKET_NAME": f"hc-private-{suffix}",
        "AWS_S3_ENDPOINT_URL": moto_endpoint,
        "AWS_S3_REGION_NAME": REGION,
    }
    # boto3 reads credentials from the environment, as in production (any pair works on moto).
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = s3_client(moto_endpoint)
    client.create_bucket(Bucket=environ["AWS_STORAGE_BUCKET_NAME"])
    client.create_bucket(Bucket=environ["AWS_PRIVATE_STORAGE_BUCKET_NAME"])
    return environ


@pytest.fixture
def s3_media(s3_environment, settings):
    """The site's settings switched to the S3 stores, exactly as community.settings builds them."""
    stores, origins = storages_from_environment(s3_environment, debug=True)
    settings.STORAGES = stores
    directives = dict(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    directives["img-src"] = [*directives["img-src"], *origins]
    settings.CONTENT_SECURITY_POLICY = {**settings.CONTENT_SECURITY_POLICY, "DIRECTIVES": directives}
    return s3_environment


def s3_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def anonymous_get(url: str) -> tuple[int, bytes]:
    """What anyone on the internet gets for `url`: no credentials, no cookies."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (test server URLs)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""
