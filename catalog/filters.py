"""The product list's query parameters; a bad value is a 400 naming the parameter."""

import django_filters

from catalog.models import Product
from catalog.selectors import product_search, search_ordering


class ProductOrderingFilter(django_filters.OrderingFilter):
    def filter(self, qs, value):
        # the id breaks ties, so pages neither repeat nor skip products with equal prices or names
        ordering = [self.get_ordering_value(param) for param in value or [] if param]  # "price,," is "price"
        if not ordering:
            return qs
        ordering.append("-id" if ordering[0].startswith("-") else "id")
        if self.parent.search_text:
            ordering = [search_ordering(field) for field in ordering]
        return qs.order_by(*ordering)


class ProductFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(field_name="category__slug", help_text="Category slug.")
    min_price = django_filters.NumberFilter(field_name="price", lookup_expr="gte", min_value=0)
    max_price = django_filters.NumberFilter(field_name="price", lookup_expr="lte", min_value=0)
    in_stock = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")], method="filter_in_stock", help_text="true or false."
    )
    search = django_filters.CharFilter(method="filter_search", max_length=200, help_text="Words to look for.")
    ordering = ProductOrderingFilter(fields=["price", "name", "created_at"])

    class Meta:
        model = Product
        fields = []

    def filter_in_stock(self, queryset, name, value):
        return queryset.in_stock() if value == "true" else queryset.sold_out()

    @property
    def search_text(self) -> str:
        """The words searched for; empty when the list is not a search."""
        return (self.form.cleaned_data.get("search") or "").strip()

    def filter_search(self, queryset, name, value):
        return product_search(queryset, self.search_text) if self.search_text else queryset
