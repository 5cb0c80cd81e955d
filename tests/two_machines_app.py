"""The WSGI app one "machine" of tests/test_two_machines.py runs: the testing configuration with
the overrides that test hands each process as JSON (database, Redis, bucket, its own disk)."""

import json
import os

from config import TestingConfig
from odop_bazaar import create_app

app = create_app(TestingConfig, **json.loads(os.environ["ODOP_TEST_OVERRIDES"]))
