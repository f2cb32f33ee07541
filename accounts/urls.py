from accounts import views
from luxyhome.api.routers import optional_slash_path

urlpatterns = [
    optional_slash_path("register", views.RegisterView.as_view(), name="auth-register"),
    optional_slash_path("login", views.LoginView.as_view(), name="auth-login"),
    optional_slash_path("refresh", views.RefreshView.as_view(), name="auth-refresh"),
    optional_slash_path("logout", views.LogoutView.as_view(), name="auth-logout"),
    optional_slash_path("me", views.MeView.as_view(), name="auth-me"),
    optional_slash_path("password", views.PasswordChangeView.as_view(), name="auth-password"),
    optional_slash_path("password-reset", views.PasswordResetView.as_view(), name="auth-password-reset"),
    optional_slash_path(
        "password-reset/confirm", views.PasswordResetConfirmView.as_view(), name="auth-password-reset-confirm"
    ),
    optional_slash_path("verify-email", views.EmailVerifyView.as_view(), name="auth-verify-email"),
    optional_slash_path("verify-email/resend", views.VerificationResendView.as_view(), name="auth-verify-email-resend"),
]
