"""Keep live keys and tokens out of logs and error reports.

Whoever holds a password-reset or confirmation key, an RSVP, onboarding or colleague invitation
token, a data copy link or a private file link can act on it, so access logs, application logs
and Sentry events show ``[redacted]`` instead, in the path itself and in a ``next=`` value that
carries such a path (plain or percent-encoded). gunicorn.conf.py imports this module too: it
must not import Django.
"""

import logging
import re

REDACTED = "[redacted]"
_SEP = r"(?:/|%2F)"
# The path segment before a token, for every URL that carries one (see each app's urls.py).
_TOKENED = "|".join(
    [
        rf"password{_SEP}reset{_SEP}key",
        r"confirm-email",
        rf"meetings{_SEP}rsvp",
        rf"onboarding{_SEP}invite",
        rf"manage{_SEP}join",
        rf"privacy{_SEP}download",
        rf"posts{_SEP}\d+{_SEP}files",
    ]
)
_SECRET_IN_PATH = re.compile(
    rf"(?P<prefix>{_SEP}(?:{_TOKENED}){_SEP})[^/?#&%\s\"']+", re.IGNORECASE
)
_SECRET_IN_QUERY = re.compile(r"(?P<prefix>[?&](?:key|token|code)=)[^&#\s\"']+", re.IGNORECASE)


def redact(text: str) -> str:
    """Return ``text`` with the keys and tokens in its URLs replaced by ``[redacted]``."""
    if not isinstance(text, str) or "/" not in text and "=" not in text:
        return text
    text = _SECRET_IN_PATH.sub(rf"\g<prefix>{REDACTED}", text)
    return _SECRET_IN_QUERY.sub(rf"\g<prefix>{REDACTED}", text)


class RedactSecretsFilter(logging.Filter):
    """Rewrite every record's message (Django's "Not Found: /accounts/..." lines included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True


def redact_sentry_event(event, hint):
    """Sentry ``before_send``: redact the request URL, query, referer and the message."""
    request = event.get("request") or {}
    for field in ("url", "query_string"):
        if isinstance(request.get(field), str):
            request[field] = redact(request[field])
    headers = request.get("headers")
    if isinstance(headers, dict):
        for name in list(headers):
            if isinstance(headers[name], str):
                headers[name] = redact(headers[name])
    for entry in event.get("breadcrumbs", {}).get("values", []) or []:
        if isinstance(entry.get("message"), str):
            entry["message"] = redact(entry["message"])
    logentry = event.get("logentry") or {}
    if isinstance(logentry.get("message"), str):
        logentry["message"] = redact(logentry["message"])
    if isinstance(event.get("transaction"), str):
        event["transaction"] = redact(event["transaction"])
    return event
