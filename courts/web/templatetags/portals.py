"""The portals' shared template pieces: GOV.UK pagination, and the start page's links to the portal
of each kind of user (prosecutors, the judiciary, partner agencies, the defence)."""

from django import template
from django.core.paginator import Page

from courts.accounts.enums import OrganisationKind
from courts.accounts.services import actor_for_user

register = template.Library()

PARTNER_KINDS = (OrganisationKind.PROBATION, OrganisationKind.POLICE, OrganisationKind.PRISON, OrganisationKind.YOT)


@register.inclusion_tag("web/portals/_pagination.html")
def pagination(page: Page, query: str = "") -> dict:
    """Previous, numbered pages (elided) and next; `query` is kept on every link (e.g. "show=all")."""
    numbers = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return {"page": page, "numbers": numbers, "ellipsis": page.paginator.ELLIPSIS,
            "query": f"&{query}" if query else ""}


@register.inclusion_tag("web/portals/_home_links.html", takes_context=True)
def portal_links(context: template.Context) -> dict:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {}
    kind = user.organisation.kind if user.organisation else ""
    return {
        "prosecution": kind == OrganisationKind.PROSECUTOR,
        "judiciary": actor_for_user(user).is_judiciary,
        "partner": kind in PARTNER_KINDS,
        "defence": kind == OrganisationKind.DEFENCE,
    }
