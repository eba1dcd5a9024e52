"""/open-data/: what the portal publishes as open data, and the files of the current snapshot."""

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from . import snapshot
from .package import FILES, FILES_BY_NAME

# Clients may keep a file this long; a new snapshot is made each night.
DOWNLOAD_MAX_AGE = 3600


def downloads(current: snapshot.Snapshot | None) -> list[dict]:
    """The files of the snapshot with their sizes, in the page's order."""
    if current is None:
        return []
    return [
        {"file": data_file, "bytes": current.files[data_file.name]["bytes"]}
        for data_file in FILES
        if data_file.name in current.files
    ]


@require_safe
def index(request):
    current = snapshot.current()
    context = {
        "snapshot": current,
        "downloads": downloads(current),
        "license_name": settings.OPEN_DATA_LICENSE_NAME,
        "license_url": settings.OPEN_DATA_LICENSE_URL,
    }
    return render(request, "opendata/index.html", context)


@require_safe
def download(request, filename):
    """One file of the current snapshot; the same address serves each new snapshot's file."""
    data_file = FILES_BY_NAME.get(filename)
    current = snapshot.current()
    if data_file is None or current is None or filename not in current.files:
        raise Http404
    etag = f'"{current.files[filename]["sha256"][:32]}"'
    last_modified = current.created.timestamp()
    response = get_conditional_response(request, etag=etag, last_modified=int(last_modified))
    if response is None:
        try:
            source = current.path(filename).open("rb")
        except FileNotFoundError:
            # Pruned by a run that switched twice since this request read the manifest.
            raise Http404 from None
        charset = "; charset=utf-8" if data_file.is_csv else ""
        response = FileResponse(source, content_type=f"{data_file.media_type}{charset}")
        disposition = "attachment" if data_file.is_csv else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=DOWNLOAD_MAX_AGE)
    # Data, never a document: nothing in it runs, whoever opens it.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # Open data: any site's scripts may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response
