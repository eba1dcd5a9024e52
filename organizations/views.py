from django.http import Http404
from django.views.decorators.http import require_safe


@require_safe
def detail(request, slug):
    # The public profile page arrives with the directory.
    raise Http404
