from django.urls import path

from .views import applicant, counter, provider

app_name = "payments"

urlpatterns = [
    # The payer's side: the invoice, paying online, coming back, the receipt.
    path("paiements/factures/<str:number>/", applicant.invoice, name="invoice"),
    path("paiements/factures/<str:number>/payer/", applicant.pay, name="pay"),
    path("paiements/retour/<str:reference>/", applicant.returned, name="returned"),
    path("paiements/recus/<str:reference>/", applicant.receipt, name="receipt"),
    # The providers' webhooks and callbacks (no session, no CSRF: verified per provider).
    path("paiements/notifications/<str:channel>/", provider.notification,
         name="notification"),
    # The counter (back office): cashiers record payments and close their day; clerks
    # allowed to waive a fee do it here too.
    path("guichet/caisse/", counter.counter, name="counter"),
    path("guichet/caisse/factures/<str:number>/", counter.counter_invoice,
         name="counter_invoice"),
    path("guichet/caisse/factures/<str:number>/exonerer/", counter.waive, name="waive"),
    path("guichet/caisse/journee/", counter.counter_day, name="counter_day"),
    path("guichet/caisse/clotures/", counter.closings, name="closings"),
    path("guichet/caisse/clotures/<int:closing_id>/rapport.csv", counter.closing_csv,
         name="closing_csv"),
    path("guichet/caisse/clotures/<int:closing_id>/rapport.pdf", counter.closing_pdf,
         name="closing_pdf"),
]
