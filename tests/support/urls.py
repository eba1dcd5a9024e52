"""Walk the URL resolver: every route of the portal with a name and a sample path, so sweeps
cover views added later without anyone listing them."""

import re
from dataclasses import dataclass

from django.urls import URLResolver, get_resolver

ROUTE_SAMPLES = {"uuid": "00000000-0000-0000-0000-000000000001", "slug": "x"}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str  # the pattern as written, joined with its prefixes
    kwargs: tuple[str, ...]  # the names of its parameters

    def path(self, samples: dict[str, str] | None = None) -> str:
        """A path that resolves to this route, with ``samples`` (by parameter name) filled in."""
        samples = samples or {}
        return "/" + _sample_path(self.route, samples)


def _sample_path(route: str, samples: dict[str, str]) -> str:
    def route_part(match):
        name = match["name"]
        if name in samples:
            return samples[name]
        return ROUTE_SAMPLES.get(match["converter"], "1")

    out = re.sub(r"(?<!\?P)<(?:(?P<converter>\w+):)?(?P<name>\w+)>", route_part, route)
    return _regex_to_path(out, samples)


def _regex_group_sample(name: str, body: str, samples: dict[str, str]) -> str:
    if name in samples:
        return samples[name]
    if re.fullmatch(r"[\w|]+", body):
        return body.split("|")[0]  # an alternation of literals, e.g. the admin's app labels
    if body in (r"\d+", r"[0-9]+"):
        return "1"
    return "x"


def _regex_to_path(regex: str, samples: dict[str, str]) -> str:
    out, i = [], 0
    while i < len(regex):
        if regex.startswith("(?P<", i):
            depth, j = 0, i
            while True:
                depth += {"(": 1, ")": -1}.get(regex[j], 0)
                if depth == 0:
                    break
                j += 1
            name = regex[i + 4 : regex.index(">", i)]
            body = regex[regex.index(">", i) + 1 : j]
            out.append(_regex_group_sample(name, body, samples))
            i = j + 1
        elif regex[i] in "^$":
            i += 1
        elif regex.startswith(r"\Z", i):
            i += 2
        elif regex.startswith("/?", i):
            out.append("/")
            i += 2
        else:
            out.append(regex[i])
            i += 1
    return "".join(out).replace("\\", "")


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        raw = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, prefix + raw, inner)
        else:
            names = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", prefix + raw)
            kwargs = tuple(a or b for a, b in names)
            yield Route(namespace + (pattern.name or "<unnamed>"), prefix + raw, kwargs)


def routes() -> list[Route]:
    """Every route, in the resolver's order."""
    return list(_walk(get_resolver().url_patterns))
