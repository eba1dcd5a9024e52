"""The portal's own address, SITE_URL, read in one place: its parts, its host, links on it."""

from urllib.parse import SplitResult, urlsplit, urlunsplit

from django.conf import settings
from django.http.request import split_domain_port


def site_parts() -> SplitResult:
    """SITE_URL split into scheme, host (with port), path."""
    return urlsplit(settings.SITE_URL)


def site_netloc() -> str:
    """SITE_URL's host with its port, if any: ``portal.gov.ba`` or ``127.0.0.1:8000``."""
    return site_parts().netloc


def site_domain() -> str:
    """SITE_URL's host name without the port, lower-cased (Django's reading of a Host)."""
    domain, _port = split_domain_port(site_netloc())
    return domain


def on_site(url: str) -> str:
    """Return ``url`` on SITE_URL's scheme and host: links in e-mails never follow the Host
    header a request happened to carry."""
    site = site_parts()
    parts = urlsplit(url)
    return urlunsplit((site.scheme, site.netloc, parts.path, parts.query, parts.fragment))
