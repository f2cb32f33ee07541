from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from accounts import schema  # noqa: F401 - registers the OpenAPI auth extension
        from accounts.authentication import user_changed

        user = self.get_model("User")
        post_save.connect(user_changed, sender=user, dispatch_uid="accounts.user_changed.save")
        post_delete.connect(user_changed, sender=user, dispatch_uid="accounts.user_changed.delete")
