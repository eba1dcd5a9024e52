from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from accounts.roles import staff_required
from core import audit, pages

from . import queries, services
from .models import OutgoingEmail


@staff_required
@require_safe
def failed_list(request):
    page, page_error = pages.requested_page(request, queries.failed_emails(), 50)
    audit.record(request, audit.Action.VIEW_CONTACTS)  # the recipients' addresses
    context = {"page": page, "page_error": page_error}
    return render(
        request, "mail/staff/failed_list.html", context, status=422 if page_error else 200
    )


@staff_required
@require_POST
def retry(request, pk):
    email = get_object_or_404(OutgoingEmail, pk=pk)
    email = services.retry_failed_email(email_id=email.pk, by=request.user)
    if email.status == OutgoingEmail.Status.RETRYING:
        messages.success(request, _("The e-mail will be sent again."))
    elif email.status == OutgoingEmail.Status.EXPIRED:
        messages.warning(request, _("The e-mail was not sent again: it is too late for it now."))
    else:
        messages.info(request, _("The e-mail is no longer among the failed ones."))
    return redirect("staff_mail:failed")


@staff_required
@require_POST
def retry_all(request):
    count = queries.failed_email_count()
    if count and not services.request_retry_of_failed_emails(by=request.user):
        messages.error(
            request,
            _("The e-mails could not be queued for sending just now. Please try again shortly."),
        )
        return redirect("staff_mail:failed")
    messages.success(
        request,
        ngettext(
            "%(count)s failed e-mail will be sent again.",
            "%(count)s failed e-mails will be sent again.",
            count,
        )
        % {"count": count},
    )
    return redirect("staff_mail:failed")
