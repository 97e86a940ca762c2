"""What the signed-in person may do, for the layout: the one rule lives in `actor_for_user`."""

from django import template

from courts.accounts.services import actor_for_user

register = template.Library()


@register.filter
def is_court_staff(user) -> bool:
    return bool(user and user.is_authenticated and actor_for_user(user).is_court_staff)
