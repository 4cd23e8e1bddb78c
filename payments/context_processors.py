"""What the site's layout needs to know of payments: whether to show the counter link."""

from django.utils.functional import SimpleLazyObject

from .selectors import is_cashier, may_waive


def counter_access(request) -> dict:
    user = getattr(request, "user", None)
    return {"may_use_counter": SimpleLazyObject(lambda: bool(
        user and user.is_authenticated and (is_cashier(user) or may_waive(user))))}
