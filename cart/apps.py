from django.apps import AppConfig


class CartConfig(AppConfig):
    name = "cart"

    def ready(self):
        from django.db.models.signals import pre_delete

        from cart.services import cart_deleted

        pre_delete.connect(cart_deleted, sender=self.get_model("Cart"), dispatch_uid="cart.cart_deleted")
