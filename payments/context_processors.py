"""What the site's layout needs to know of payments: whether to show the counter link."""

from django.utils.functional import SimpleLazyObject

from workflows.selectors import desk_codes, is_desk_member

from .selectors import CASHIER_DESK, may_waive


def counter_access(request) -> dict:
    """The counter link, for cashiers and for the staff who may waive a fee: from the desks
    the request has already read (workflows.selectors.desk_codes); the permissions, two
    queries, only for staff, to whom the admin gives them."""
    user = getattr(request, "user", None)
    return {"may_use_counter": SimpleLazyObject(lambda: bool(
        user and user.is_authenticated and (
            CASHIER_DESK in desk_codes(user)
            or ((user.is_staff or is_desk_member(user)) and may_waive(user)))))}
