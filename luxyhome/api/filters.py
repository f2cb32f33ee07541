import django_filters


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet, making its form class once per class.

    django-filter makes a form class, and every form field in it, again for each request (a fifth
    of a millisecond for the product list), so that a FilterSet can change its filters per request;
    ours never do. Each request still gets a form of its own, with its own copies of the fields.
    """

    def get_form_class(self):
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class
