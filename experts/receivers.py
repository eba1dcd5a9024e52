"""The roster follows its people: an expert's search document holds their name."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.dispatch import receiver

from core import search

from .models import Expert


@receiver(post_save, sender=get_user_model(), dispatch_uid="experts.user_renamed")
def refresh_expert_after_rename(sender, instance, update_fields=None, **_kwargs):
    """A person who changed their name on My account is found by the new one."""
    if update_fields is not None and "full_name" not in update_fields:
        return  # a login, a language: nothing the document holds
    expert = Expert.objects.filter(user=instance).first()
    if expert is not None:
        search.refresh(expert)
