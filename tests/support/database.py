"""The database connection the tests use, handed on exactly to other processes and connections.

A Celery worker process, gunicorn or a second psycopg connection must reach the very database
the test runs on. Building a URL from ``HOST`` and ``PORT`` alone loses a Unix socket that the
connection names in ``OPTIONS`` (the embedded PostgreSQL listens only on one), and the other
process would then talk to another server, or to none.
"""

from urllib.parse import quote, urlencode


def database_url(settings_dict=None) -> str:
    """Return a ``postgres://`` URL for the connection's current database.

    Both libpq (psycopg) and django-environ read it: a socket directory travels as ``?host=``.
    """
    if settings_dict is None:
        from django.db import connection

        settings_dict = connection.settings_dict
    user = quote(settings_dict.get("USER") or "", safe="")
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password, safe='')}" if password else user
    host = settings_dict.get("HOST") or ""
    port = str(settings_dict.get("PORT") or "")
    options = dict(settings_dict.get("OPTIONS") or {})
    query = {}
    if host.startswith("/"):
        query["host"] = host
        host = ""
    elif "host" in options:
        query["host"] = str(options["host"])
    if "port" in options and not port:
        port = str(options["port"])
    netloc = f"{credentials}@{host}" + (f":{port}" if port else "")
    url = f"postgres://{netloc}/{quote(settings_dict['NAME'], safe='')}"
    return f"{url}?{urlencode(query)}" if query else url
