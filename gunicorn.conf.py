"""gunicorn's settings, loaded automatically from the working folder (the Docker image's /app,
the embedded launcher's repository root). Command-line options still win.

The access log redacts every live key and token (reset, confirmation, RSVP, invitations, data
copies, private files; core/redaction.py) from the request line, the
path, the query and the referer: whoever reads the log must not be able to use them.
"""

import os
import sys

from gunicorn.glogging import Logger

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from core.redaction import redact  # noqa: E402 - needs the path above


class RedactingLogger(Logger):
    """gunicorn's logger with secrets cut out of every access-log atom."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {name: redact(value) for name, value in atoms.items()}


logger_class = RedactingLogger
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# A request that runs longer than this is killed (and logged); the portal's own network calls
# time out well before.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# gunicorn's runtime control socket sits at one path per user: two servers on one machine (the
# launcher and the tests) would take it from each other, and nothing here uses it.
control_socket_disable = True
