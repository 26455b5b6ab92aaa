"""Where uploaded documents are kept: the local disk (one machine, the demo) or a bucket of an
S3-compatible object store through django-storages (several application nodes).

Either way the files are private: the portal never links to them, it streams them through
`applications.views.documents.document_download`, which checks who asks. The bucket must not be
public; credentials come from the usual AWS variables or the machine's role (boto3 finds them).
"""

from __future__ import annotations


def uploads_storage(*, bucket: str, endpoint_url: str = "", region: str = "", addressing_style: str = "") -> dict:
    """The STORAGES["default"] entry: a bucket when one is named, else the disk under MEDIA_ROOT."""
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,  # MinIO, Yandex Object Storage, ...; AWS when empty
            "region_name": region or None,
            "addressing_style": addressing_style or None,  # "path" for most self-hosted stores
            "default_acl": None,  # objects inherit the bucket's (private) policy
            "querystring_auth": True,  # no unsigned URL to a passport scan, should one ever be made
            "file_overwrite": False,  # the stored names are random; never replace another file
        },
    }
