"""Staff URL namespaces follow one pattern: ``staff_<app>`` or ``staff_<app>_<feature>``, where
<app> is the app whose URLconf it is (``workspace.channels.staff_urls``:
``staff_workspace_channels``)."""

from django.urls import URLResolver, get_resolver


def _staff_namespaces() -> dict[str, str]:
    found = {}
    for entry in get_resolver().url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver) and route.startswith("staff/") and entry.namespace:
            module = getattr(entry.urlconf_module, "__name__", str(entry.urlconf_name))
            found[module] = entry.namespace
    return found


def test_every_staff_namespace_is_staff_and_its_app():
    namespaces = _staff_namespaces()
    expected = {
        module: "staff_" + "_".join(module.split(".")[:-1]) for module in namespaces
    }  # workspace.channels.staff_urls -> staff_workspace_channels

    assert namespaces, "no staff URLs found"
    assert namespaces == expected
