from .selectors import is_desk_member


def staff_desks(request) -> dict:
    """Tell the layout whether to show the back-office link."""
    known = getattr(request, "workflows_is_desk_member", None)
    if known is not None:  # a back-office view that has just checked it
        return {"is_desk_member": known}
    user = getattr(request, "user", None)
    return {"is_desk_member": bool(user and user.is_authenticated and is_desk_member(user))}
