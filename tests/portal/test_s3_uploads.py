"""Uploaded documents in an S3-compatible bucket (django-storages), as a deployment with several
application nodes keeps them. A local S3 server (moto) stands in for the object store; the
portal's own storage settings (portal/uploads_storage.py) point at it."""

import json
import os
import subprocess
import sys
import urllib.request

import boto3
import pytest
from django.core.files.storage import storages
from moto.server import ThreadedMotoServer

from applications.models import Document
from portal.uploads_storage import uploads_storage
from tests.applications.factories import ApplicationFactory
from tests.helpers.documents import PDF, stored_files, upload
from tests.helpers.production_settings import PRODUCTION, ROOT
from tests.pages import followed_messages, url
from tests.portal.portal_processes import free_port

pytestmark = pytest.mark.django_db

BUCKET = "portal-documents"


@pytest.fixture
def bucket(settings, monkeypatch):
    """An empty private bucket on a local S3 server, and the portal's uploads stored in it."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    for name, value in {"AWS_ACCESS_KEY_ID": "portal", "AWS_SECRET_ACCESS_KEY": "portal-secret", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    # moto keeps its buckets in the test process: start from none.
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"), timeout=5).close()
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    s3.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": uploads_storage(bucket=BUCKET, endpoint_url=endpoint, region="us-east-1", addressing_style="path"),
    }
    yield s3
    server.stop()


def keys(s3) -> list[str]:
    return [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_an_upload_lands_in_the_bucket_and_is_served_from_it_to_the_company_only(
    bucket, employer_client, employer, moscow_rules, settings, client, other_employer_user
):
    assert type(storages["default"]).__name__ == "S3Storage"
    draft = ApplicationFactory(employer=employer)

    response = upload(employer_client, draft, "guarantee.pdf", PDF)

    assert "“guarantee.pdf” is attached to the application." in followed_messages(employer_client, response)
    document = Document.objects.get(application=draft)
    assert keys(bucket) == [document.file.name]
    assert bucket.get_object(Bucket=BUCKET, Key=document.file.name)["Body"].read() == PDF
    assert stored_files(settings.MEDIA_ROOT) == []  # nothing on the node's own disk

    download = employer_client.get(url("document-download", document.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF

    client.force_login(other_employer_user)
    assert client.get(url("document-download", document.pk)).status_code == 404


def test_removing_a_document_removes_its_object(bucket, employer_client, employer, moscow_rules, django_capture_on_commit_callbacks):
    draft = ApplicationFactory(employer=employer)
    with django_capture_on_commit_callbacks(execute=True):
        upload(employer_client, draft, "wrong.pdf", PDF)
    assert len(keys(bucket)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        employer_client.post(url("document-delete", draft.pk, Document.objects.get().pk))

    assert keys(bucket) == []


def test_a_missing_object_is_a_not_found_page_not_a_server_error(bucket, employer_client, employer, moscow_rules):
    draft = ApplicationFactory(employer=employer)
    upload(employer_client, draft, "lost.pdf", PDF)
    document = Document.objects.get()
    bucket.delete_object(Bucket=BUCKET, Key=document.file.name)

    assert employer_client.get(url("document-download", document.pk)).status_code == 404


def storage_setting(**env) -> dict:
    """STORAGES["default"] as the production settings build it from this environment."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("AWS_") and key != "DEBUG"}
    result = subprocess.run(
        [sys.executable, "-c", "import json, portal.settings as s; print(json.dumps(s.STORAGES['default']))"],
        cwd=ROOT, env={**environment, **PRODUCTION, **env}, capture_output=True, text=True, check=True,
    )
    return json.loads(result.stdout)


def test_the_environment_chooses_the_disk_or_a_bucket():
    assert storage_setting()["BACKEND"] == "django.core.files.storage.FileSystemStorage"

    in_bucket = storage_setting(AWS_STORAGE_BUCKET_NAME="portal-documents", AWS_S3_ENDPOINT_URL="https://storage.example")

    assert in_bucket["BACKEND"] == "storages.backends.s3.S3Storage"
    assert in_bucket["OPTIONS"]["bucket_name"] == "portal-documents"
    assert in_bucket["OPTIONS"]["endpoint_url"] == "https://storage.example"
    assert in_bucket["OPTIONS"]["querystring_auth"] is True
