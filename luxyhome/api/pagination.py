import hashlib

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework import pagination
from rest_framework.exceptions import ValidationError

from luxyhome.cache import lookup, store


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M`, 20 a page by default and 100 at most."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    last_page_strings = ()  # `page` is a number, as the contract says (DRF would also take "last")

    def get_page_size(self, request):
        # DRF would quietly answer 20 for `page_size=-5` or `abc`: say what is wrong instead
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw == "":
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:  # "²" is a digit to isdigit() alone
            raise ValidationError({"page_size": ["A whole number from 1; more than 100 counts as 100."]})
        return min(int(raw), self.max_page_size)


class CatalogCountPaginator(Paginator):
    """An exact count, cached under the catalog version: every page of a list, in any order, counts
    its rows once until the catalog changes. Keyed by the count's own SQL, so the filters decide it
    and nothing else does."""

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        try:
            sql = str(rows.order_by().query)
        except EmptyResultSet:  # a filter no row can match: nothing to count
            return 0
        found = lookup(f"catalog:count:{hashlib.sha256(sql.encode()).hexdigest()}", "catalog")
        if found.value is None:
            rows_counted = rows.count()
            store(found, rows_counted)
            return rows_counted
        return found.value


class ProductPagination(PageNumberPagination):
    django_paginator_class = CatalogCountPaginator
