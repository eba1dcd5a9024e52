"""Every change to a guided registration: saving steps, consent, submitting."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from accounts.roles import MINISTRY_STAFF_GROUP
from mail.services import queue_email
from organizations.models import Organization
from organizations.services import create_organization

from . import forms, signals
from .invitations import initial_for, mark_completed
from .models import STEPS, Registration, Step

# Steps whose every field is optional: they offer "Skip this step".
OPTIONAL_STEPS = (Step.CONTACTS, Step.AREAS)

# Raise when the text of the consent step (templates/onboarding/policy/*) changes: each
# registration records the version its user agreed to.
CONSENT_VERSION = "2026-11-25"


class RegistrationError(ValidationError):
    """The registration cannot be submitted; ``step`` names the step to correct."""

    def __init__(self, message, *, step: str):
        super().__init__(message)
        self.step = step


def open_registration(*, user) -> Registration:
    """Return the user's registration in progress, starting one if there is none."""
    registration = Registration.objects.filter(user=user, submitted_at__isnull=True).first()
    if registration is None:
        with transaction.atomic():
            registration, _created = Registration.objects.get_or_create(
                user=user, submitted_at__isnull=True, defaults={"step": Step.BASICS}
            )
    return registration


def typed_data(post, form) -> dict[str, list[str]]:
    """Return the step's own form data as it can be stored: each value as a list of strings.

    Only the form's fields are kept, so a crafted post cannot park other data in the draft.
    """
    if isinstance(form, forms.ContactsStep):
        prefixes = tuple(f"{formset.prefix}-" for formset in form.formsets)
        return {key: post.getlist(key) for key in post if key.startswith(prefixes)}
    names = {form.add_prefix(name) for name in form.fields}
    return {key: post.getlist(key) for key in post if key in names}


def stored_data(registration: Registration, step: str) -> MultiValueDict | None:
    """Return what the user last typed on ``step`` as form data, or None."""
    data = registration.data.get(step)
    return MultiValueDict(data) if data is not None else None


def step_form(step: str, data=None, *, adding: str | None = None, initial=None):
    """Return the form of ``step``, bound to ``data`` when given."""
    if step == Step.BASICS:
        return forms.BasicsForm(data, initial=initial)
    if step == Step.CONTACTS:
        return forms.ContactsStep(data, adding=adding, initial=initial)
    if step == Step.AREAS:
        return forms.AreasForm(data, initial=initial)
    if step == Step.CONSENT:
        return forms.ConsentForm(data)
    return forms.ReviewForm(data)


def known_initial(registration: Registration, step: str):
    """Return what the portal already knows for ``step``, so nothing is asked twice.

    The invitation names the organization and its country; the account is the first contact
    person (private unless marked public).
    """
    if step == Step.CONTACTS:
        user = registration.user
        return [{"name": user.full_name, "email": user.email}]
    return initial_for(registration, step)


def _empty_data(step: str) -> dict[str, list[str]]:
    """The stored form data of a step left empty: valid for an optional step."""
    if step == Step.CONTACTS:
        return {
            f"{prefix}-{key}": ["0"]
            for prefix in forms.ContactsStep.KINDS
            for key in ("TOTAL_FORMS", "INITIAL_FORMS")
        }
    return {}


def skip_step(*, registration: Registration, step: str, by) -> Registration:
    """Leave an optional step empty and open the next one, without judging what was typed.

    What the step held before and was complete stays; anything else is dropped.
    """
    if step not in OPTIONAL_STEPS:
        raise ValidationError(_("This step cannot be skipped."))
    stored = stored_data(registration, step)
    if stored is not None and step_form(step, stored).is_valid():
        data = registration.data[step]
    else:
        data = _empty_data(step)
    return save_step(registration=registration, step=step, data=data, completed=True, by=by)


def next_step(step: str) -> str | None:
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def previous_step(step: str) -> str | None:
    index = STEPS.index(step)
    return STEPS[index - 1] if index > 0 else None


def _storable(value):
    """The typed data without NUL characters, which PostgreSQL's JSON cannot hold.

    The draft keeps invalid input too (so the step shows it again with its errors); the form
    itself refuses a NUL with a message next to the field.
    """
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {key: _storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(item) for item in value]
    return value


def save_step(
    *, registration: Registration, step: str, data: dict, form=None, completed: bool, by
) -> Registration:
    """Store what the user typed on ``step``; a completed step opens the next one."""
    if registration.user_id != by.pk:
        raise ValidationError(_("This registration belongs to another user."))
    if not registration.may_open(step):
        raise ValidationError(_("Complete the earlier steps first."))
    with transaction.atomic(durable=True):
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.is_submitted:
            raise ValidationError(_("This registration has already been submitted."))
        registration.data = {**registration.data, step: _storable(data)}
        now = timezone.now()
        registration.last_activity_at = now
        if completed:
            if step == Step.BASICS and form is not None:
                registration.declared_different_from = (
                    [{"pk": other.pk, "name": other.name} for other in form.similar]
                    if form.cleaned_data.get("different_organization")
                    else []
                )
            if step == Step.CONSENT:
                registration.consent_at = now
                registration.consent_version = CONSENT_VERSION
                registration.consent_language = translation.get_language() or ""
                # The step links the full privacy notice: its version is recorded as well.
                signals.consent_given.send(sender=Registration, user=registration.user)
            following = next_step(step)
            if following and STEPS.index(following) > STEPS.index(registration.step):
                registration.step = following
        registration.full_clean()
        registration.save()
    return registration


def _checked_forms(registration: Registration) -> dict:
    checked = {}
    for step in STEPS[:-1]:
        form = step_form(step, stored_data(registration, step))
        if not form.is_bound or not form.is_valid():
            raise RegistrationError(_("Complete this step first."), step=step)
        checked[step] = form
    if registration.consent_at is None or registration.consent_version != CONSENT_VERSION:
        raise RegistrationError(_("Give your consent again: the text changed."), step=Step.CONSENT)
    return checked


def submitted_draft(data: dict) -> dict:
    """What a submitted registration keeps of its typed data: the wishes, nothing personal."""
    wishes = (data.get(Step.AREAS) or {}).get("wishes")
    return {Step.AREAS.value: {"wishes": wishes}} if wishes else {}


def submit_registration(*, registration: Registration, by) -> Organization:
    """Create the organization, pending review, with the user as admin; tell the user and staff."""
    if registration.user_id != by.pk:
        raise ValidationError(_("This registration belongs to another user."))
    with transaction.atomic(durable=True):
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.is_submitted:
            raise RegistrationError(
                _("This registration has already been submitted."), step=Step.REVIEW
            )
        checked = _checked_forms(registration)
        basics = {
            key: value
            for key, value in checked[Step.BASICS].cleaned_data.items()
            if key != "different_organization"
        }
        areas = checked[Step.AREAS].cleaned_data
        organization = create_organization(
            by=by,
            admin=by,
            status=Organization.Status.PENDING,
            areas=list(areas["areas"]),
            languages=areas["languages"],
            **basics,
        )
        checked[Step.CONTACTS].save(organization=organization)
        registration.organization = organization
        # The organization's records now hold what was typed: the draft keeps only what they
        # do not (the wishes staff read), so no second copy of contacts lives on.
        registration.data = submitted_draft(registration.data)
        registration.submitted_at = timezone.now()
        registration.last_activity_at = registration.submitted_at
        registration.save()
        mark_completed(registration=registration)
        _email_submitted(registration, organization)
    return organization


def _email_submitted(registration: Registration, organization: Organization) -> None:
    user = registration.user
    queue_email(
        to=user.email,
        template="onboarding/emails/submitted",
        context={"organization": organization, "user": user, "site_url": settings.SITE_URL},
        language=user.language,
    )
    # Staff hear of it with the others of its period: notify_staff_of_registrations, on beat.


# One notice to staff at a time, whatever the number of workers (a transaction-level lock).
STAFF_NOTICE_LOCK = 0x0B0A_0001


def notify_staff_of_registrations(*, now=None) -> int:
    """E-mail each member of staff one list of the registrations submitted since the last notice,
    at most once per ONBOARDING_STAFF_NOTICE_MINUTES; return how many registrations it covered.

    A flood of submissions thus reaches each inbox as one e-mail per period, however large.
    """
    from accounts.models import User

    now = now or timezone.now()
    period = timedelta(minutes=settings.ONBOARDING_STAFF_NOTICE_MINUTES)
    with transaction.atomic(durable=True):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [STAFF_NOTICE_LOCK])
        last = Registration.objects.aggregate(last=Max("staff_notified_at"))["last"]
        if last is not None and now < last + period:
            return 0
        pending = Registration.objects.filter(
            submitted_at__isnull=False, staff_notified_at__isnull=True
        )
        pks = list(pending.order_by("submitted_at", "pk").values_list("pk", flat=True))
        if not pks:
            return 0
        listed = list(
            Registration.objects.filter(pk__in=pks[: settings.ONBOARDING_STAFF_NOTICE_LISTED])
            .exclude(organization=None)
            .select_related("organization")
            .order_by("submitted_at", "pk")
        )
        context = {
            "total": len(pks),
            "registrations": [
                {
                    "organization": registration.organization,
                    "declared_different_from": registration.declared_different_from,
                    "review_url": settings.SITE_URL
                    + reverse(
                        "staff_organizations:detail", kwargs={"pk": registration.organization_id}
                    ),
                }
                for registration in listed
            ],
            "rest": len(pks) - len(listed),
            "queue_url": settings.SITE_URL + reverse("staff_organizations:queue"),
        }
        staff = User.objects.filter(groups__name=MINISTRY_STAFF_GROUP, is_active=True)
        for member in staff.distinct().order_by("pk"):
            queue_email(
                to=member.email,
                template="onboarding/emails/staff_new_registrations",
                context=context,
                language=member.language,
            )
        Registration.objects.filter(pk__in=pks).update(staff_notified_at=now)
    return len(pks)
