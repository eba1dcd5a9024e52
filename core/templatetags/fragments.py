"""``{% public_fragment %}``: a public part of a page kept in the shared cache.

    {% load fragments %}
    {% public_fragment "organization-cards" page.number form.cleaned_data.q %}
      ... what every visitor sees alike for these values ...
    {% endpublic_fragment %}

Keyed by the quoted name, the active language, the values named after it and the public
generation (``core/fragments.py``). Nothing inside may depend on who is looking.
Querysets it shows should be evaluated inside it (lazy in the view), so that they are never
older than the generation in its key and are not queried at all when it is cached.
"""

from django import template
from django.utils import timezone

from ..fragments import public_fragment as cached

register = template.Library()


class PublicFragmentNode(template.Node):
    def __init__(self, nodelist, name: str, vary_on: list):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        values = [value.resolve(context) for value in self.vary_on]
        return cached(
            self.name, values, lambda: self.nodelist.render(context), request=context.get("request")
        )


@register.tag("public_fragment")
def public_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            "'public_fragment' takes a quoted name, then the values the fragment depends on."
        )
    nodelist = parser.parse(("endpublic_fragment",))
    parser.delete_first_token()
    return PublicFragmentNode(
        nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]]
    )


@register.simple_tag
def current_minute() -> str:
    """The current minute (UTC), for fragments that change with time, such as a list of the
    meetings that have not ended: ``{% current_minute as minute %}``."""
    return timezone.now().strftime("%Y%m%d%H%M")
