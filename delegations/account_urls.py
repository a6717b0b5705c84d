"""Accounts, under /accounts/: sign in and out, invitations, password reset."""

from django.urls import path

from . import account_views as views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("invitation/<uidb64>/<token>/", views.InvitationView.as_view(), name="invitation"),
    path("password-reset/", views.ResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.ResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.ResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        views.ResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
