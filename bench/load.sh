#!/usr/bin/env bash
# One hot URL per page: requests per second and p99 latency of a single URL for each buyer page,
# beside a bare Flask route, measured in the same run on the same machine: gunicorn with 2 sync
# workers, wrk with 8 connections. One URL is answered from the page cache's memory every time,
# so this says little about shoppers' traffic: bench/traffic.py spreads the load over thousands
# of URLs (and repeats these rows as "one hot URL").
#
#   ODOP_INSTANCE_PATH=/tmp/bench-100k bench/load.sh            # SQLite file in that folder
#   DATABASE_URL=postgresql://... bench/load.sh                  # PostgreSQL
#
# Fill the database first: flask --app wsgi db upgrade && flask --app wsgi import-odop &&
# flask --app wsgi bench-data --listings 100000. Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
BIN=.venv/bin
export FLASK_APP=wsgi.py

$BIN/gunicorn --workers 2 --bind 127.0.0.1:8100 --log-level warning wsgi:app &
APP=$!
$BIN/gunicorn --workers 2 --bind 127.0.0.1:8101 --log-level warning bench.bare_app:app &
BARE=$!
trap 'kill $APP $BARE 2>/dev/null' EXIT
sleep 3

# A product and a district that exist in this database.
read -r PRODUCT DISTRICT < <($BIN/python - <<'PY'
from wsgi import app
from odop_bazaar.services.catalogue import storefront
with app.app_context():
    card = storefront.newest_cards(1)[0]
    print(f"/products/{card.listing_id}-{card.slug}", card.district_lgd_code)
PY
)

run() {  # name, url
  local out cold
  # The first request builds the page's cached part in one worker: the uncached cost.
  cold=$(curl -s -o /dev/null -w '%{time_total}' "$2")
  out=$(wrk -t2 -c8 -d"$DURATION" --latency "$2")
  printf '%-28s %8s req/s   p99 %-9s first request %ss\n' "$1" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1 == "99%" {print $2}' <<<"$out")" "$cold"
}

run "bare Flask route" "http://127.0.0.1:8101/"
run "home" "http://127.0.0.1:8100/"
run "district page" "http://127.0.0.1:8100/districts/$DISTRICT"
run "search (common word)" "http://127.0.0.1:8100/search?q=handwoven"
run "filtered search, page 50" "http://127.0.0.1:8100/search?q=handwoven&sort=price_asc&in_stock=y&page=50"
run "product page" "http://127.0.0.1:8100$PRODUCT"
