"""``{% public_fragment %}``: a public part of a page kept in the shared cache.

    {% load fragments %}
    {% public_fragment "organization-cards" page.number form.cleaned_data.q %}
      ... what every visitor sees alike for these values ...
    {% endpublic_fragment %}

Keyed by the quoted name, the active language, the values named after it and the public
generation (``core/fragments.py``). Nothing inside may depend on who is looking. A part that is
public only for some objects or some visitors (an approved organization's profile, the
channels everyone may see) names the condition last; when it is false the part is built afresh
and never stored:

    {% public_fragment "profile-channels" organization.pk if public_channels %}
Querysets it shows should be evaluated inside it (lazy in the view), so that they are never
older than the generation in its key and are not queried at all when it is cached.
"""

from django import template
from django.utils import timezone

from ..fragments import public_fragment as cached

register = template.Library()


class PublicFragmentNode(template.Node):
    def __init__(self, nodelist, name: str, vary_on: list, condition=None):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on
        self.condition = condition

    def render(self, context):
        if self.condition is not None and not self.condition.resolve(context):
            return self.nodelist.render(context)
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
    values, condition = bits[2:], None
    if "if" in values:
        at = values.index("if")
        if at != len(values) - 2:
            raise template.TemplateSyntaxError(
                "'public_fragment' takes one value after 'if', at the end: the condition."
            )
        values, condition = values[:at], parser.compile_filter(values[at + 1])
    nodelist = parser.parse(("endpublic_fragment",))
    parser.delete_first_token()
    return PublicFragmentNode(
        nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in values], condition
    )


@register.simple_tag
def current_minute() -> str:
    """The current minute (UTC), for fragments that change with time, such as a list of the
    meetings that have not ended: ``{% current_minute as minute %}``."""
    return timezone.now().strftime("%Y%m%d%H%M")
