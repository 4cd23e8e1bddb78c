from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from registry import views as registry_views
from workflows.access import staff_with_mfa

from .health import health

# The admin signs in through allauth (password, then the second factor), never through
# its own password-only form, and only staff who set up two-factor authentication get in.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.has_permission = staff_with_mfa

urlpatterns = [
    path("", registry_views.home, name="home"),
    path("dossiers/", include("registry.urls")),
    # A registered company's amendments, dissolution and radiation.
    path("modifications/", include("amendments.urls")),
    path("", include("payments.urls")),
    path("guichet/", include("workflows.urls")),
    path("verifier/", include("documents.urls")),
    # The public register (search, company pages), the procedure guide and open data.
    path("registre/", include("registry.public.urls")),
    path("", include("registry.public.urls_guide")),
    # The partner API (agencies, banks): tokens with scopes, OpenAPI schema.
    path("api/", include("partners.urls")),
    path("comptes/langue/", account_views.set_language, name="set_language"),
    path("comptes/preferences/", account_views.preferences, name="preferences"),
    # /comptes/mes-donnees/ (one's personal data) and /guichet/acces-aux-donnees/ (the log).
    path("", include("privacy.urls")),
    path("notifications/", include("notifications.urls")),
    path("comptes/", include("allauth.urls")),
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
]

# Stored files are never served by path, not even in development: every download goes
# through a view that checks who may see it (identity documents are personal data).
