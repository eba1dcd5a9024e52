from django.http import Http404


def board(request):
    raise Http404


def detail(request, pk):
    raise Http404


def attachment(request, pk, token):
    raise Http404
