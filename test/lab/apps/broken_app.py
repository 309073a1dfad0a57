"""A WSGI module that fails to import (a missing package), so Gunicorn's workers cannot boot."""
import pdf_renderer_that_is_not_installed  # noqa: F401


def application(environ, start_response):
    start_response("200 OK", [])
    return [b"unreachable\n"]
