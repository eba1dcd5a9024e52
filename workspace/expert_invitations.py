"""Staff invite experts on the roster to homeland calls (registered in experts/targets.py).

Only public calls that are published and still open: an expert need not belong to any
organization, so a members-only call would be a page they cannot open. The e-mail goes to the
expert through the outbox; the expert's answer goes to the staff member who invited them
(Reply-To), so the expert's address reaches nobody else.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from experts.models import Expert
from experts.targets import Invited, Target
from mail.services import queue_email

from .models import ExpertInvitation, Post


def invitable_calls() -> QuerySet[Post]:
    """Homeland calls an expert can be invited to now, newest first."""
    return (
        Post.objects.filter(
            kind=Post.Kind.HOMELAND_CALL,
            status=Post.Status.PUBLISHED,
            visibility=Post.Visibility.PUBLIC,
            closed_at__isnull=True,
        )
        .only("pk", "title", "municipality", "deadline", "kind", "status", "visibility")
        .order_by("-published_at", "-pk")
    )


def invite_expert(*, expert: Expert, target: Post, by) -> bool:
    """Invite the expert to the call by e-mail, once; return False when already invited."""
    with transaction.atomic(durable=True):
        call = invitable_calls().select_for_update().filter(pk=target.pk).first()
        if call is None:
            raise ValidationError(
                _("Experts can be invited only to public homeland calls that are still open.")
            )
        _invitation, created = ExpertInvitation.objects.get_or_create(
            expert=expert, post=call, defaults={"invited_by": by}
        )
        if created:
            recipient = expert.user
            queue_email(
                to=recipient.email,
                template="workspace/emails/expert_invitation",
                context={
                    "expert_name": expert.name,
                    "call": call,
                    "inviter_name": by.full_name or by.email,
                    "call_url": f"{settings.SITE_URL}{reverse('workspace:detail', args=[call.pk])}",
                },
                language=recipient.language,
                headers={"Reply-To": by.email},
            )
    return created


def invitations_of(expert: Expert) -> list[Invited]:
    return [
        Invited(
            title=invitation.post.title,
            url=reverse("workspace:detail", args=[invitation.post_id]),
            invited_at=invitation.created_at,
        )
        for invitation in ExpertInvitation.objects.filter(expert=expert)
        .select_related("post")
        .order_by("-created_at", "-pk")
    ]


homeland_calls = Target(
    key="homeland-call",
    heading=_("Invite to a homeland call"),
    explanation=_(
        "The expert gets an e-mail with the call's page; their answer reaches you by e-mail. "
        "Only public calls that are still open can be chosen. Inviting them twice to the same "
        "call sends nothing more."
    ),
    field_label=_("Homeland call"),
    empty_label=_("Choose a homeland call"),
    invalid_choice=_("Choose a public homeland call that is still open from the list."),
    choices=invitable_calls,
    invite=invite_expert,
    invited=invitations_of,
)
