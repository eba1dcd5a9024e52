"""Staff keep the community channels under /staff/workspace/channels/."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.roles import staff_required

from . import services as channels
from .forms import ChannelForm
from .models import Channel


@staff_required
@require_safe
def channel_list(request):
    return render(request, "workspace/channels/staff_list.html", {"rows": channels.channels()})


@staff_required
@require_http_methods(["GET", "POST"])
def channel_edit(request, pk=None):
    channel = get_object_or_404(Channel, pk=pk) if pk else Channel()
    form = ChannelForm(request.POST or None, instance=channel)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            channels.save_channel(form=form, by=request.user)
            messages.success(request, _("The channel is saved."))
            return redirect("staff_workspace_channels:list")
        status = 422
    context = {"form": form, "channel": channel}
    return render(request, "workspace/channels/staff_form.html", context, status=status)


@staff_required
@require_POST
def channel_delete(request, pk):
    channel = get_object_or_404(Channel, pk=pk)
    channels.delete_channel(channel=channel, by=request.user)
    messages.success(request, _("The channel %(name)s is removed.") % {"name": channel.name})
    return redirect("staff_workspace_channels:list")
