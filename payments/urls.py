from luxyhome.api.routers import optional_slash_path
from payments import views

urlpatterns = [
    optional_slash_path("payments/stripe/webhook", views.StripeWebhookView.as_view(), name="stripe-webhook"),
]
