from django.urls import include, path

from . import views

urlpatterns = [
    path("meetings/<slug:slug>/delegations/", views.participant_list, name="participant_list"),
    path("accounts/", include("delegations.account_urls")),
]
