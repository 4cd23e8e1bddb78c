"""What the back office's screens share: the success messages, the desk asked for."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy

SUCCESS = {
    "claim": gettext_lazy("Tâche prise en charge."),
    "release": gettext_lazy("Tâche remise dans la file du guichet."),
    "approve": gettext_lazy("Décision enregistrée : étape approuvée."),
    "return": gettext_lazy("Dossier renvoyé au demandeur pour correction."),
    "reject": gettext_lazy("Dossier rejeté."),
    "reassign": gettext_lazy("Tâche réattribuée."),
}


def desk_asked(request, desks):
    """The desk of the `guichet` parameter, None for all; 404 for a desk not the user's."""
    code = request.GET.get("guichet") or request.POST.get("guichet")
    if not code:
        return None
    desk = next((d for d in desks if d.code == code), None)
    if desk is None:
        raise Http404
    return desk
