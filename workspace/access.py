"""Who may do what on the noticeboard, on top of accounts/roles.py.

The view asks these; the services decide whether the change is allowed now. ``staff`` is the
view's ``accounts.roles.is_staff_session(request)``: a staff power belongs to a session that
passed the second factor, not to the staff group.
"""

from django.db.models import Q, QuerySet

from organizations.models import Membership, Organization
from organizations.roles import organization_role

from .models import FocalPoint, Post


def admin_organizations(user) -> list[Organization]:
    """Approved organizations the user administers: the ones they may post and answer for."""
    if not user.is_authenticated or not user.is_active:
        return []
    cache = user.__dict__
    if "_workspace_admin_organizations" not in cache:
        cache["_workspace_admin_organizations"] = list(
            Organization.objects.filter(
                status=Organization.Status.APPROVED,
                memberships__user=user,
                memberships__role=Membership.Role.ADMIN,
            )
            .only("pk", "name", "slug")
            .order_by("name", "pk")
        )
    return cache["_workspace_admin_organizations"]


def is_member(user, *, staff: bool) -> bool:
    """Who "members only" means: people of approved organizations, and ministry staff.

    An account on its own (signed up a minute ago, or of an organization still under review,
    rejected or archived) is not a member; nor is a staff account whose session has not passed
    the second factor, unless it belongs to an approved organization.
    """
    if staff:
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if admin_organizations(user):
        return True
    cache = user.__dict__
    if "_workspace_is_member" not in cache:
        cache["_workspace_is_member"] = Membership.objects.filter(
            user=user, organization__status=Organization.Status.APPROVED
        ).exists()
    return cache["_workspace_is_member"]


def focal_point(user) -> FocalPoint | None:
    """The user's focal point application, if any."""
    if not user.is_authenticated:
        return None
    if "_workspace_focal_point" not in user.__dict__:
        user.__dict__["_workspace_focal_point"] = FocalPoint.objects.filter(user=user).first()
    return user.__dict__["_workspace_focal_point"]


def is_focal_point(user) -> bool:
    """An approved homeland focal point may post calls from the homeland."""
    point = focal_point(user)
    return point is not None and point.is_approved


def can_post(user, *, staff: bool) -> bool:
    return staff or bool(admin_organizations(user)) or is_focal_point(user)


def postable_kinds(user, *, staff: bool) -> list[str]:
    """The kinds of post the user may write."""
    if staff:
        return list(Post.Kind.values)
    kinds = []
    if admin_organizations(user):
        kinds += [kind for kind in Post.Kind.values if kind not in Post.HOMELAND_KINDS]
    if is_focal_point(user):
        kinds += list(Post.HOMELAND_KINDS)
    return kinds


def is_author_side(user, post: Post) -> bool:
    """The post's own side: its organization's admins, or its author when no organization."""
    if not user.is_authenticated:
        return False
    if post.organization_id is not None:
        return organization_role(user, post.organization) == Membership.Role.ADMIN
    return post.author_id == user.pk and is_focal_point(user)


def can_edit(user, post: Post, *, staff: bool) -> bool:
    """Only the author's organization (or the focal point who wrote it) and staff edit a post."""
    return staff or is_author_side(user, post)


def can_see(user, post: Post, *, staff: bool) -> bool:
    if post.status == Post.Status.HIDDEN:
        return can_edit(user, post, staff=staff)
    if post.visibility == Post.Visibility.PUBLIC:
        return True
    return is_member(user, staff=staff) or is_author_side(user, post)


def sees_contacts(user, *, staff: bool) -> bool:
    """Contact details are for members (see ``is_member``), never for the public or for any
    account that signed up a minute ago."""
    return is_member(user, staff=staff)


def post_contact(user, post: Post, *, staff: bool) -> dict | None:
    """The post's contact details as the viewer may see them; None for who may not.

    The post's page and the API both ask this: the API never shows more than the page.
    """
    if not sees_contacts(user, staff=staff):
        return None
    return {"name": post.contact_name, "email": post.contact_email, "phone": post.contact_phone}


def shown_follow_up(post: Post) -> str:
    """The public note on what came of it: only once the post's work is done."""
    return post.follow_up if post.stage == Post.Stage.DONE else ""


def interest_organizations(user, post: Post) -> list[Organization]:
    """The user's organizations that may still say "we want to take part" on the post."""
    if not post.takes_partners or not post.is_open or post.status != Post.Status.PUBLISHED:
        return []
    return [org for org in admin_organizations(user) if org.pk != post.organization_id]


def visible_posts(user, *, staff: bool) -> QuerySet[Post]:
    """Posts the user may see on the board."""
    posts = Post.objects.all()
    if staff:
        return posts
    if not user.is_authenticated:
        return posts.filter(status=Post.Status.PUBLISHED, visibility=Post.Visibility.PUBLIC)
    own = Q(organization__in=[org.pk for org in admin_organizations(user)])
    if is_focal_point(user):
        own |= Q(organization__isnull=True, author=user)
    published = Q(status=Post.Status.PUBLISHED)
    if not is_member(user, staff=staff):
        published &= Q(visibility=Post.Visibility.PUBLIC)
    return posts.filter(published | own)
