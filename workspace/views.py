"""The noticeboard at /workspace/: thin views, the role checked here, the rules in services."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_countries import countries

from accounts.roles import is_staff_session
from core import audit, pages, search
from organizations.models import Area

from . import access, queries, services
from .filters import PostFilter
from .forms import FocalPointForm, HideForm, InterestForm, PostForm, StageForm
from .models import Attachment, Interest, Post


def add_service_error(form, error: ValidationError) -> None:
    """Show a service's refusal next to the field it names, else at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


def _partial_requested(request) -> bool:
    return bool(request.htmx) and not request.htmx.boosted


def _country_options(codes: list[str], selected: str) -> list[tuple[str, str]]:
    shown = set(codes) | ({selected} if selected else set())
    named = sorted(
        ((countries.name(code), code) for code in shown), key=lambda r: search.fold(r[0])
    )
    return [("", _("All countries")), *[(code, name) for name, code in named]]


@require_safe
@vary_on_headers("HX-Request")
def board(request):
    """The noticeboard: filtered, searched, newest first, with "load more" by htmx."""
    visible = access.visible_posts(request.user, staff=is_staff_session(request))
    filterset = PostFilter(request.GET, queryset=visible)
    form = filterset.form
    form.fields["country"].error_messages["invalid_choice"] = _(
        "There is no country with the code “%(value)s”. Choose a country from the list."
    )
    form.fields["area"].error_messages["invalid_choice"] = _(
        "There is no such area of activity. Choose an area from the list."
    )
    form.fields["kind"].error_messages["invalid_choice"] = _("Choose a kind from the list.")
    form.is_valid()  # Invalid fields are reported and left out of the filtering.
    paginator = Paginator(queries.board_cards(filterset.qs), settings.WORKSPACE_POSTS_PER_PAGE)
    number, page_error = pages.page_number(request.GET.get("page"), max_digits=6)
    page, page_error = pages.page_of(paginator, number, page_error)
    context = {
        "form": form,
        "page": page,
        "paginator": paginator,
        "kind_options": [("", _("All kinds")), *Post.Kind.choices],
        "selected_kind": form.cleaned_data.get("kind") or "",
        "area_options": [("", _("All areas"))]
        + [(area.slug, area.name) for area in Area.objects.only("slug", "names", "position")],
        "selected_area": a.slug if (a := form.cleaned_data.get("area")) else "",
        "country_options": _country_options(
            queries.country_codes(visible), form.cleaned_data.get("country") or ""
        ),
        "selected_country": form.cleaned_data.get("country") or "",
        "state_options": [("", _("Open and closed")), *PostFilter.STATE_CHOICES],
        "selected_state": form.cleaned_data.get("state") or "",
        "filtered": any(v not in (None, "") for v in form.cleaned_data.values()),
        "can_post": access.can_post(request.user, staff=is_staff_session(request)),
        "page_error": page_error,
    }
    status = 422 if form.errors or page_error else 200
    if _partial_requested(request):
        template = (
            "workspace/partials/cards.html"
            if request.GET.get("more")
            else "workspace/partials/board_body.html"
        )
        return render(request, template, context, status=status)
    return render(request, "workspace/board.html", context, status=status)


def _visible_post(request, pk) -> Post:
    post = queries.post_page(pk)
    if post is None or (
        post.status == Post.Status.HIDDEN
        and not access.can_edit(request.user, post, staff=is_staff_session(request))
    ):
        raise Http404
    return post


def _detail_context(request, post: Post, **forms) -> dict:
    user = request.user
    staff = is_staff_session(request)
    author_side = access.is_author_side(user, post)
    interests = list(post.interests.all())
    own_org_ids = {org.pk for org in access.admin_organizations(user)}
    interest_orgs = access.interest_organizations(user, post)
    answered = {i.organization_id for i in interests}
    if staff and not author_side and interests and access.sees_contacts(user, staff=staff):
        # Staff see who sent each interest, with their address: logged wherever it renders.
        audit.record(request, audit.Action.VIEW_CONTACTS, post)
    open_orgs = [org for org in interest_orgs if org.pk not in answered]
    return {
        "post": post,
        "areas": list(post.areas.all()),
        "attachments": list(post.attachments.all()),
        "partners": [i for i in interests if i.status == Interest.Status.ACCEPTED],
        "interests": interests if (author_side or staff) else [],
        "my_interests": [i for i in interests if i.organization_id in own_org_ids],
        "stage_history": list(post.stage_changes.all()),
        "moderation_log": list(post.moderation_log.all()) if staff else [],
        "is_staff": staff,
        "author_side": author_side,
        "can_edit": staff or author_side,
        "sees_contacts": access.sees_contacts(user, staff=staff),
        "contact": access.post_contact(user, post, staff=staff),
        "follow_up": access.shown_follow_up(post),
        "interest_form": forms.get("interest_form")
        or (InterestForm(organizations=open_orgs) if open_orgs else None),
        "stage_form": forms.get("stage_form")
        or StageForm(initial={"stage": post.stage, "follow_up": post.follow_up}),
        "hide_form": forms.get("hide_form") or HideForm(),
    }


@require_safe
def detail(request, pk):
    post = _visible_post(request, pk)
    if not access.can_see(request.user, post, staff=is_staff_session(request)):
        if request.user.is_authenticated:
            raise PermissionDenied  # signed in, but not of an approved organization
        return redirect_to_login(request.get_full_path())
    return render(request, "workspace/detail.html", _detail_context(request, post))


@require_safe
def attachment(request, pk, token):
    """Serve an attachment to whoever may see its post, as a download, never run."""
    post = _visible_post(request, pk)
    if not access.can_see(request.user, post, staff=is_staff_session(request)):
        raise Http404
    item = get_object_or_404(Attachment, post=post, token=token)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=item.name, content_type=item.content_type
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _form_for(request, post=None, data=None, files=None):
    user = request.user
    staff = is_staff_session(request)
    return PostForm(
        data,
        files,
        instance=post,
        kinds=access.postable_kinds(user, staff=staff),
        organizations=access.admin_organizations(user),
        staff=staff,
        focal_point=access.is_focal_point(user),
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    """Write a post for one of the user's organizations, the ministry or the municipality."""
    if not access.can_post(request.user, staff=is_staff_session(request)):
        return render(request, "workspace/cannot_post.html", status=403)
    status = 200
    if request.method == "POST":
        form = _form_for(request, data=request.POST, files=request.FILES)
        if form.is_valid():
            try:
                post = services.create_post(
                    by=request.user,
                    as_ministry=is_staff_session(request),
                    organization=form.cleaned_data.get("organization"),
                    data=form.post_data(),
                    areas=form.cleaned_data["areas"],
                    files=form.cleaned_data["attachments"],
                )
            except services.RateLimited as error:
                add_service_error(form, error)
                return render(request, "workspace/form.html", {"form": form}, status=429)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Your post is on the noticeboard."))
                return redirect(post)
        status = 422
    else:
        form = _form_for(request)
    return render(request, "workspace/form.html", {"form": form}, status=status)


def _editable_post(request, pk) -> Post:
    post = _visible_post(request, pk)
    if not access.can_edit(request.user, post, staff=is_staff_session(request)):
        raise PermissionDenied
    return post


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    post = _editable_post(request, pk)
    status = 200
    if request.method == "POST":
        form = _form_for(request, post=post, data=request.POST, files=request.FILES)
        if form.is_valid():
            try:
                services.update_post(
                    post=post,
                    by=request.user,
                    data=form.post_data(),
                    areas=form.cleaned_data["areas"],
                    files=form.cleaned_data["attachments"],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The post is saved."))
                return redirect(post)
        status = 422
    else:
        form = _form_for(request, post=post)
        form.initial["areas"] = [area.pk for area in post.areas.all()]
    context = {"form": form, "post": post, "attachments": list(post.attachments.all())}
    return render(request, "workspace/form.html", context, status=status)


@login_required
@require_POST
def attachment_delete(request, pk, token):
    post = _editable_post(request, pk)
    item = get_object_or_404(Attachment, post=post, token=token)
    services.remove_attachment(attachment=item, by=request.user)
    messages.success(request, _("The file is removed."))
    return redirect("workspace:edit", pk=post.pk)


@login_required
@require_POST
def interest(request, pk):
    """Say "we want to take part" for one of the user's organizations."""
    post = _visible_post(request, pk)
    organizations = [
        org
        for org in access.interest_organizations(request.user, post)
        if org.pk not in {i.organization_id for i in post.interests.all()}
    ]
    if not organizations:
        raise PermissionDenied
    form = InterestForm(request.POST, organizations=organizations)
    status = 422
    if form.is_valid():
        try:
            services.express_interest(
                post=post,
                organization=form.cleaned_data["organization"],
                by=request.user,
                message=form.cleaned_data["message"],
            )
        except services.RateLimited as error:
            add_service_error(form, error)
            status = 429
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Sent. The post's authors see that your organization wants to take part."),
            )
            return redirect(post)
    context = _detail_context(request, post, interest_form=form)
    return render(request, "workspace/detail.html", context, status=status)


@login_required
@require_POST
def interest_answer(request, pk, interest_pk, answer):
    """Accept an interested organization as a partner, or decline it."""
    post = _editable_post(request, pk)
    item = get_object_or_404(Interest, post=post, pk=interest_pk)
    action = {"accept": services.accept_interest, "decline": services.decline_interest}[answer]
    try:
        action(interest=item, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if answer == "accept":
            messages.success(
                request,
                _("%(name)s is now a partner of this post.") % {"name": item.organization.name},
            )
        else:
            messages.success(request, _("The answer is recorded."))
    return redirect(post)


@login_required
@require_POST
def stage(request, pk):
    post = _editable_post(request, pk)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.change_stage(post=post, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The stage is saved."))
            return redirect(post)
    context = _detail_context(request, post, stage_form=form)
    return render(request, "workspace/detail.html", context, status=422)


@login_required
@require_POST
def close(request, pk, action):
    """The author's side or staff close a post (it stays readable) or open it again."""
    post = _editable_post(request, pk)
    service = {"close": services.close_post, "reopen": services.reopen_post}[action]
    try:
        service(post=post, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The post is closed.") if action == "close" else _("The post is open again.")
        )
    return redirect(post)


@login_required
@require_http_methods(["GET", "POST"])
def focal_point(request):
    """A municipality's diaspora focal point asks the ministry to post calls from the homeland."""
    point = access.focal_point(request.user)
    may_apply = point is None or point.status == point.Status.REJECTED
    status = 200
    form = None
    if may_apply:
        form = FocalPointForm(request.POST or None)
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.apply_as_focal_point(user=request.user, **form.cleaned_data)
                except ValidationError as error:
                    add_service_error(form, error)
                else:
                    messages.success(
                        request, _("Thank you. The ministry will review your application.")
                    )
                    return redirect("workspace:focal_point")
            status = 422
    elif request.method == "POST":
        status = 409
    response = render(
        request, "workspace/focal_point.html", {"point": point, "form": form}, status=status
    )
    patch_vary_headers(response, ["Cookie"])
    return response
