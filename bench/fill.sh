#!/usr/bin/env bash
# Fill a benchmark database from nothing: schema, the ODOP list, N live listings and some new
# listings waiting for review (which bench/traffic.py's writer approves).
#
#   bench/fill.sh sqlite:////tmp/odop-bench/100k.sqlite3 100000
#   createdb -h 127.0.0.1 -U postgres bench_100k
#   bench/fill.sh postgresql+psycopg://postgres@127.0.0.1:5432/bench_100k 100000
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL=$1 FLASK_APP=wsgi.py
LISTINGS=$2
PENDING=${PENDING:-500}
BIN=.venv/bin
$BIN/flask db upgrade
$BIN/flask import-odop --if-empty
$BIN/flask bench-data --listings "$LISTINGS" --pending "$PENDING"
if [[ $DATABASE_URL == postgresql* ]]; then
  psql "${DATABASE_URL/+psycopg/}" -qc 'ANALYZE'
fi
