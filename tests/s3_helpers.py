"""A real S3 API over HTTP for tests: moto's server mode on a free port, with the two buckets.

moto answers the S3 protocol as AWS does (boto3 signs every request, objects keep their headers);
it does not enforce bucket policies against anonymous readers, so what the tests can show is that
the app never makes a private object public, not that S3 refuses a stranger.
"""

import contextlib
import json

import boto3
import pytest
import requests

from tests.conftest import free_port

PUBLIC_BUCKET, PRIVATE_BUCKET = "odop-public", "odop-private"


class S3Store:
    def __init__(self, endpoint: str):
        self.endpoint = endpoint
        self.public_bucket, self.private_bucket = PUBLIC_BUCKET, PRIVATE_BUCKET
        self.media_url = f"{endpoint}/{PUBLIC_BUCKET}"
        self.client = boto3.client("s3", endpoint_url=endpoint, region_name="ap-south-1",
                                   aws_access_key_id="test", aws_secret_access_key="test")
        # App settings for a site on this store, photos served straight from the bucket.
        self.config = {"STORAGE_BACKEND": "s3", "S3_ENDPOINT_URL": endpoint,
                       "S3_REGION": "ap-south-1", "S3_PUBLIC_BUCKET": PUBLIC_BUCKET,
                       "S3_PRIVATE_BUCKET": PRIVATE_BUCKET, "S3_ADDRESSING_STYLE": "path",
                       "MEDIA_URL": self.media_url}

    def keys(self, bucket: str) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listed.get("Contents", ()))


@contextlib.contextmanager
def s3_server():
    """moto's S3 server on a free port with a public-read photo bucket and a private one."""
    pytest.importorskip("moto.server", reason="moto[server] is a test dependency")
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        store = S3Store(f"http://127.0.0.1:{port}")
        # moto keeps its buckets in the process, not the server: start each test empty.
        requests.post(f"{store.endpoint}/moto-api/reset", timeout=10).raise_for_status()
        for bucket in (PUBLIC_BUCKET, PRIVATE_BUCKET):
            store.client.create_bucket(Bucket=bucket, CreateBucketConfiguration={
                "LocationConstraint": "ap-south-1"})
        # What an operator sets on the photo bucket (README): anyone may read, nobody list.
        store.client.put_bucket_policy(Bucket=PUBLIC_BUCKET, Policy=json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{PUBLIC_BUCKET}/*"}]}))
        yield store
    finally:
        server.stop()


@pytest.fixture
def s3_credentials(monkeypatch):
    """boto3's credentials from the environment, as in production (moto takes any)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
