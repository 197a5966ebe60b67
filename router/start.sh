#!/bin/sh
# Write nginx's configuration from the environment, then run nginx in the foreground.
#   UPSTREAMS       web containers as host:port, space-separated (round-robin), e.g. "web:8000"
#   ROUTER_TIMEOUT  seconds without a response before the router answers 503 (Heroku: 30)
#   /certs/router.crt and /certs/router.key  the TLS certificate; a self-signed one is made if absent
set -eu
: "${UPSTREAMS:?set UPSTREAMS to the web containers, e.g. web:8000}"
: "${ROUTER_TIMEOUT:=30}"
work=/tmp/router
mkdir -p "$work"

if [ -f /certs/router.crt ] && [ -f /certs/router.key ]; then
  cert=/certs/router.crt key=/certs/router.key
else
  cert=$work/router.crt key=$work/router.key
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$key" -out "$cert" 2>/dev/null
fi

servers=""
for upstream in $UPSTREAMS; do
  servers="$servers    server $upstream max_fails=0;
"
done

cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
http {
  client_body_temp_path $work/body;
  proxy_temp_path $work/proxy;
  fastcgi_temp_path $work/fastcgi;
  uwsgi_temp_path $work/uwsgi;
  scgi_temp_path $work/scgi;

  # X-Request-ID: the client's when it is 20 to 200 of [A-Za-z0-9+/=-], else a new UUID, as
  # Heroku's router does (vegur_proxy_middleware; "HTTP Request IDs"). The new one is a random,
  # version 4 UUID, as heroku/erequest_id's create/0 makes it (uuid:get_v4, lowercase hex),
  # here from nginx's 32 random hex digits: the 13th becomes the version, 4, and the 17th the
  # variant, one of 8, 9, a, b (RFC 9562), leaving 122 random bits, as in any v4 UUID.
  map \$request_id \$request_uuid_variant {
    "~^.{16}[0-3]" 8;
    "~^.{16}[4-7]" 9;
    "~^.{16}[89ab]" a;
    default b;
  }
  map \$request_id \$new_request_uuid {
    "~^(?<a>.{8})(?<b>.{4}).(?<c>.{3}).(?<d>.{3})(?<e>.{12})\$" "\$a-\$b-4\$c-\${request_uuid_variant}\$d-\$e";
  }
  map \$http_x_request_id \$router_request_id {
    "~^[A-Za-z0-9+/=-]{20,200}\$" \$http_x_request_id;
    default \$new_request_uuid;
  }
  # X-Request-Start: the Unix time in milliseconds, bare, as Heroku sends it.
  map \$msec \$request_start_ms {
    "~^(?<seconds>[0-9]+)\\.(?<millis>[0-9]+)\$" "\$seconds\$millis";
  }
  # X-Forwarded-Port: the port the client used on Heroku's side, 443 or 80.
  map \$scheme \$client_port {
    https 443;
    default 80;
  }

  log_format router 'router at=info method=\$request_method path="\$request_uri" host=\$host '
                    'request_id=\$router_request_id fwd="\$remote_addr" dyno=\$upstream_addr '
                    'status=\$status service=\$request_time bytes=\$bytes_sent protocol=\$scheme';
  access_log /dev/stdout router;

  upstream dynos {
$servers    keepalive 32;
    # Router 2.0 keeps idle connections to a dyno for 90 s (gunicorn.conf.py's keepalive is longer).
    keepalive_timeout 90s;
  }

  # Heroku's router keeps idle client connections for 90 s.
  keepalive_timeout 90s;
  # The router does not cap request bodies; the app does (it must reject them itself).
  client_max_body_size 0;
  server_tokens off;

  server {
    listen 8080;
    listen 8443 ssl;
    ssl_certificate $cert;
    ssl_certificate_key $key;

    location / {
      proxy_pass http://dynos;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Port \$client_port;
      proxy_set_header X-Request-Start \$request_start_ms;
      proxy_set_header X-Request-ID \$router_request_id;
      proxy_set_header Via "1.1 vegur";
      # Streamed to the dyno as it arrives, as Heroku's router does.
      proxy_request_buffering off;
      proxy_connect_timeout 5s;
      # H12: no response within ROUTER_TIMEOUT seconds ends the request with a 503.
      proxy_read_timeout ${ROUTER_TIMEOUT}s;
      # No request is tried again on another connection or dyno. Heroku's router tries another
      # dyno only when connecting to one failed (heroku/vegur's vegur_lookup_service_middleware
      # checks that dyno back in and looks up another); once a request is sent, a failure is
      # the client's 503 with H13 or H18, never a retry: a kept-alive connection the dyno
      # closed fails the request sent on it (Heroku help: "How do I fix new H18 or H13 errors
      # that have started since switching to Router 2.0?"). nginx cannot retry connect
      # failures alone: its "error" also resends a request without a body (GET) after a
      # failure on a reused connection, which would hide exactly the H13/H18 that keeping the
      # dyno's keep-alive (95 s) above the router's (90 s) prevents. So nothing is retried:
      # stricter than Heroku for a dyno that refuses connections, kinder nowhere.
      # tests/container/test_router.py pins both.
      proxy_next_upstream off;
      error_page 502 504 =503 /router-error;
    }

    location = /router-error {
      internal;
      default_type text/plain;
      return 503 "Application error (router: no response from the app)\n";
    }
  }
}
CONF

exec nginx -c "$work/nginx.conf" -g "daemon off;"
