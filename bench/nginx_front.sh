#!/usr/bin/env bash
# Debian's nginx with the deploy/ configuration in front of an app port, for
#   bench/traffic.py --database URL --app-port A --front-port F
# Start it first: bench/nginx_front.sh A F   (foreground; Ctrl-C or kill stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
APP_PORT=${1:?app port} FRONT_PORT=${2:?front port}
RUN=$(mktemp -d /tmp/odop-nginx-XXXXXX)
export ODOP_RUN_DIR=$RUN ODOP_USER=$(id -un) ODOP_LISTEN=127.0.0.1:$FRONT_PORT \
  ODOP_SERVER_NAME=localhost ODOP_UPSTREAM_SERVERS="server 127.0.0.1:$APP_PORT;" ODOP_STATIC_ROOT=$PWD/static \
  ODOP_CACHE_DIR=$RUN/cache
NAMES='$ODOP_RUN_DIR $ODOP_USER $ODOP_LISTEN $ODOP_SERVER_NAME $ODOP_UPSTREAM_SERVERS $ODOP_STATIC_ROOT $ODOP_CACHE_DIR'
for name in nginx.conf odop-bazaar.conf; do envsubst "$NAMES" < "deploy/$name" > "$RUN/$name"; done
exec /usr/sbin/nginx -p "$RUN" -c "$RUN/nginx.conf"
