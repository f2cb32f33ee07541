import factory

from accounts.models import User

PASSWORD = "velvet-chaise-1894"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"shopper{n}@luxyhome.example")
    name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)
