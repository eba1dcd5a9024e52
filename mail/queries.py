from .models import OutgoingEmail


def failed_emails():
    """Failed e-mails for the staff list, newest failure first, without their bodies."""
    return (
        OutgoingEmail.objects.filter(status=OutgoingEmail.Status.FAILED)
        .only("pk", "to", "subject", "template", "attempts", "last_error", "updated_at")
        .order_by("-updated_at", "-pk")
    )


def failed_email_count() -> int:
    return OutgoingEmail.objects.filter(status=OutgoingEmail.Status.FAILED).count()
