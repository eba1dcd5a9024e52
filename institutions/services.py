"""Staff changes to the directory of institutions; django-simple-history records who and when."""

from django.db import transaction

from .models import Institution


def save_institution(*, form, by) -> Institution:
    """Save a validated institution form."""
    with transaction.atomic(durable=True):
        institution = form.save(commit=False)
        institution._history_user = by
        institution.full_clean()
        institution.save()
    return institution


def delete_institution(*, institution: Institution, by) -> None:
    """Remove the institution from the directory (its history stays)."""
    with transaction.atomic(durable=True):
        institution._history_user = by
        institution.delete()
