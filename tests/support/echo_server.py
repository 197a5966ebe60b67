"""A tiny HTTP server that answers with the headers it received, to check what the router
forwards. GET /sleep/<seconds> answers only after that long. GET /closed-when-reused/<any>
is answered on a new connection only: on one that has served a request before, the server reads
it and closes the connection without a word, as a dyno closing an idle keep-alive connection
just as the router reuses it. Each request's path is printed, so a test can count them. Runs
with the standard library alone, in a python container: python echo_server.py <port>."""

import json
import socket
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    served = 0  # requests answered on this connection (one handler per connection)

    def do_GET(self):
        print(f"received {self.path}", flush=True)
        if self.path.startswith("/closed-when-reused/") and self.served:
            self.close_connection = True
            return
        self.served += 1
        if self.path.startswith("/sleep/"):
            time.sleep(float(self.path.rsplit("/", 1)[1]))
        headers = {name.lower(): value for name, value in self.headers.items()}
        body = json.dumps({"server": socket.gethostname(), "headers": headers}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    # All interfaces of its container: the router reaches it over the test's network.
    ThreadingHTTPServer(("0.0.0.0", int(sys.argv[1])), Echo).serve_forever()  # noqa: S104
