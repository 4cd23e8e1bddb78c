from .selectors import unread_count


def unread_notifications(request) -> dict:
    user = getattr(request, "user", None)
    return {"unread_notifications": unread_count(user) if user and user.is_authenticated else 0}
