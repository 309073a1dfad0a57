"""A small real WSGI app for the lab, served by Gunicorn or uWSGI.

/slow sleeps past the app server's own timeout (Gunicorn --timeout, uWSGI harakiri); /boom raises.
"""
import time


def application(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    if path.startswith("/slow"):
        time.sleep(5)
    if path.startswith("/boom"):
        raise RuntimeError("ledger out of balance for invoice 42")
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]
