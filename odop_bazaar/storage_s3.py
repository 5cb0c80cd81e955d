"""Files in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2), behind storage.py's interface.

Two buckets: the public one holds product photos, named by the hash of their bytes, so they are
sent with a year's caching and served straight from the bucket or a CDN in front of it
(MEDIA_URL); the private one holds seller documents and return photos, never readable without
the app's access check. Reads are streamed: a 5 MB document is not held in memory to send it.
"""

import mimetypes

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError

# Photos never change under a name (the name is the hash of the bytes).
PUBLIC_CACHE_CONTROL = "public, max-age=31536000, immutable"
_MISSING = {"404", "NoSuchKey", "NotFound"}


def make_client(config: dict):
    """A boto3 S3 client from the app's settings; credentials come from boto3's usual places."""
    return boto3.client(
        "s3", endpoint_url=config.get("S3_ENDPOINT_URL") or None,
        region_name=config.get("S3_REGION") or None,
        # Short timeouts and few retries: a page waiting on a store that does not answer
        # should fail soon and clearly, not hold a worker for minutes.
        config=BotoConfig(connect_timeout=3, read_timeout=20, retries={"max_attempts": 3},
                          s3={"addressing_style": config.get("S3_ADDRESSING_STYLE") or "auto"}))


class S3Storage:
    """One bucket. `public` marks the photo bucket: long caching on every object."""

    def __init__(self, client, bucket: str, *, public: bool) -> None:
        self.client, self.bucket, self.public = client, bucket, public

    def save(self, key: str, data: bytes) -> None:
        extra = {"ContentType": mimetypes.guess_type(key)[0] or "application/octet-stream"}
        if self.public:
            extra["CacheControl"] = PUBLIC_CACHE_CONTROL
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data, **extra)

    def open(self, key: str):
        """A readable stream of the object (read it in chunks); FileNotFoundError if none."""
        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        except ClientError as error:
            if error.response["Error"]["Code"] in _MISSING:
                raise FileNotFoundError(key) from error
            raise

    def read(self, key: str) -> bytes:
        with self.open(key) as body:
            return body.read()

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def exists(self, key: str) -> bool:
        return self.size(key) is not None

    def size(self, key: str) -> int | None:
        """The object's size in bytes, or None when there is none."""
        try:
            return self.client.head_object(Bucket=self.bucket, Key=key)["ContentLength"]
        except ClientError as error:
            if error.response["Error"]["Code"] in _MISSING:
                return None
            raise

    def check(self) -> None:
        """Raise when the bucket does not answer (the readiness probe)."""
        self.client.head_bucket(Bucket=self.bucket)

    def keys(self, prefix: str = ""):
        """Every key in the bucket (only those starting with `prefix`, when given)."""
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                      Prefix=prefix)
        for page in pages:
            for item in page.get("Contents", ()):
                yield item["Key"]
