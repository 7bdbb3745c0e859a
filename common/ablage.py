"""The document store: the options of an S3-compatible object store, and the errors the file
system or an object store raises when a stored file cannot be read, written or removed."""

from botocore.exceptions import BotoCoreError, ClientError

# An object store that cannot be reached, times out or answers with a service error. A
# missing object is no such error: the storage raises FileNotFoundError for it.
OBJEKTSPEICHER_FEHLER: tuple[type[Exception], ...] = (BotoCoreError, ClientError)
SPEICHER_FEHLER: tuple[type[Exception], ...] = (OSError, *OBJEKTSPEICHER_FEHLER)

S3_BACKEND = "storages.backends.s3.S3Storage"


def s3_optionen(
    *,
    bucket: str,
    endpunkt: str | None = None,
    region: str | None = None,
    schluessel_id: str | None = None,
    schluessel: str | None = None,
    adressierung: str | None = None,
) -> dict:
    """django-storages' S3Storage options for the documents (settings and tests use them).

    Objects are private: no ACL is sent, so they get the bucket's own (private) one, and
    url() is never signed, so even a stray link (the admin's file widget) grants nothing;
    documents leave the store only through the download view after its permission check."""
    return {
        "bucket_name": bucket,
        "endpoint_url": endpunkt or None,
        "region_name": region or None,
        # Unset: boto3 looks further (its own variables, a role of the machine).
        "access_key": schluessel_id or None,
        "secret_key": schluessel or None,
        # A store of its own (MinIO, ...) is addressed by path; AWS by the bucket's host name.
        "addressing_style": adressierung or ("path" if endpunkt else None),
        "signature_version": "s3v4",
        "default_acl": None,
        "querystring_auth": False,
        # Two documents with the same name (same content at two results) stay two objects,
        # as on the file system: deleting one never removes the other's file.
        "file_overwrite": False,
        # A document read for download or extraction is spooled to a temporary file beyond
        # this size instead of held in memory.
        "max_memory_size": 5 * 1024 * 1024,
    }
