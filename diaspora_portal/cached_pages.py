"""The public pages the anonymous page cache may keep (core/page_cache.py), declared here at the
top, where every app may be named: their URL names, the query parameters each may be stored
with and what a valid value of each is, the apps whose changes renew the cached pages, and the
path prefixes served from the cache or never."""

from collections.abc import Callable

from core.page_cache import country, one_of, page, text, year

PUBLIC_PREFIXES = (
    "/organizations/",
    "/meetings/",
    "/workspace/",
    "/institutions/",
    "/privacy/",
    "/api/v1/",
)
PERSONAL_PREFIXES = ("/meetings/rsvp/", "/privacy/my-data/", "/privacy/download/")
# Changes to these apps' models renew the generation: they are what public pages show.
PUBLIC_APPS = {"organizations", "meetings", "workspace", "institutions"}


def _area(value: str) -> bool:
    from organizations.models import Area

    return value == "" or (len(value) <= 50 and Area.objects.filter(slug=value).exists())


def _series(value: str) -> bool:
    from meetings.models import Series

    return value == "" or (len(value) <= 50 and Series.objects.filter(slug=value).exists())


def _institution_kind(value: str) -> bool:
    from institutions.models import Institution

    return value == "" or value in Institution.Kind.values


def _post_kind(value: str) -> bool:
    from workspace.models import Post

    return value == "" or value in Post.Kind.values


_FORMAT = {"format": one_of("json")}
_ORGANIZATION_FILTERS = {
    "q": text(200),
    "country": country,
    "city": text(100),
    "area": _area,
    "page": page,
}
_INSTITUTION_FILTERS = {"country": country, "kind": _institution_kind}
_POST_FILTERS = {
    "q": text(200),
    "kind": _post_kind,
    "area": _area,
    "country": country,
    "state": one_of("open", "closed"),
    "page": page,
}
# The cached pages by URL name, each with the query parameters it may be stored with and what a
# valid value of each is. A page not named here is never stored.
PAGE_PARAMETERS: dict[str, dict[str, Callable[[str], bool]]] = {
    "home": {},
    "organizations:directory": _ORGANIZATION_FILTERS,
    "organizations:detail": {},
    "meetings:index": {"q": text(200), "year": year, "series": _series, "page": page},
    "meetings:detail": {},
    "meetings:feed": {},
    "meetings:ics": {},
    "workspace:board": _POST_FILTERS,
    "workspace:detail": {},
    "workspace:channels": {},
    "institutions:directory": _INSTITUTION_FILTERS,
    "institutions:detail": {},
    "privacy:notice": {},
    "privacy:notice_version": {},
    "api:api-root": _FORMAT,
    "api:organization-list": {**_ORGANIZATION_FILTERS, **_FORMAT},
    "api:organization-detail": _FORMAT,
    "api:meeting-list": {"page": page, **_FORMAT},
    "api:meeting-detail": _FORMAT,
    "api:post-list": {**_POST_FILTERS, **_FORMAT},
    "api:post-detail": _FORMAT,
    "api:institution-list": {**_INSTITUTION_FILTERS, "page": page, **_FORMAT},
    "api:institution-detail": _FORMAT,
}
