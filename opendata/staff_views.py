"""/staff/open-data/: the current snapshot, and a new one on request (made by a worker)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.roles import staff_required

from . import services, snapshot
from .views import downloads


@staff_required
@require_http_methods(["GET", "POST"])
def overview(request):
    if request.method == "POST":
        if services.request_snapshot():
            messages.success(
                request,
                _("A new snapshot is being made. Reload this page in a minute to see its date."),
            )
        else:
            messages.error(
                request,
                _(
                    "The task queue cannot be reached, so no snapshot was asked for. Try again "
                    "later; the nightly snapshot is made as usual."
                ),
            )
        return redirect("staff_opendata:overview")
    current = snapshot.current()
    context = {"snapshot": current, "downloads": downloads(current)}
    return render(request, "opendata/staff/overview.html", context)
