from .selectors import is_desk_member


def staff_desks(request) -> dict:
    """Tell the layout whether to show the back-office link."""
    user = getattr(request, "user", None)
    return {"is_desk_member": bool(user and user.is_authenticated and is_desk_member(user))}
