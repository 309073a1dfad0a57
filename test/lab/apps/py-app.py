"""A small real Python web app for the lab: the standard library's HTTP server with logging.

Routes: / answers 200; /py/orders raises an unhandled KeyError, which the handler logs with its
traceback (logging.exception, as frameworks do) before answering 500.
"""
import logging
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                    format="%(asctime)s %(levelname)s [%(name)s] %(message)s")
log = logging.getLogger("shop.web")


def order_total(order):
    return order["total"] * order["quantity"]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        try:
            if self.path.startswith("/py/orders"):
                body = str(order_total({"quantity": 2})).encode()
            else:
                body = b"ok\n"
            self.send_response(200)
            self.end_headers()
            self.wfile.write(body)
        except Exception:
            log.exception("Internal Server Error: %s", self.path)
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"Internal Server Error\n")

    def log_message(self, fmt, *args):
        pass


if __name__ == "__main__":
    port = int(sys.argv[1])
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    log.info("listening on 127.0.0.1:%d", port)
    server.serve_forever()
