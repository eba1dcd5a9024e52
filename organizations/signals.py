"""Signal receivers: caches only, the business flow stays in services."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from . import facets
from .models import Area, Organization


def connect() -> None:
    for model in (Organization, Area):
        post_save.connect(facets.forget_counts, sender=model, dispatch_uid=f"facets-{model}")
        post_delete.connect(facets.forget_counts, sender=model, dispatch_uid=f"facets-d-{model}")
    m2m_changed.connect(
        facets.forget_counts, sender=Organization.areas.through, dispatch_uid="facets-areas"
    )
