from accounts import views
from luxyhome.api.routers import optional_slash_path

urlpatterns = [
    optional_slash_path("register", views.RegisterView.as_view(), name="auth-register"),
    optional_slash_path("login", views.LoginView.as_view(), name="auth-login"),
    optional_slash_path("refresh", views.RefreshView.as_view(), name="auth-refresh"),
    optional_slash_path("logout", views.LogoutView.as_view(), name="auth-logout"),
    optional_slash_path("me", views.MeView.as_view(), name="auth-me"),
]
