from django import template

from .. import queries

register = template.Library()


@register.inclusion_tag("mail/staff/outbox_tile.html")
def outbox_tile():
    """The staff dashboard's tile: how many e-mails failed, with a link to them."""
    return {"failed_count": queries.failed_email_count()}
