import json

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


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


class EstimatedCountPaginator(Paginator):
    """Counts exactly up to EXACT_COUNT_UP_TO; past that, PostgreSQL's estimate.

    An exact count reads every matching row: at 100,000 products, several times what the page
    costs. Past a thousand a shopper cannot tell 6,214 from 6,350; the pages follow the estimate,
    so one near the end may come back short or empty (estimate too high) or be missing (too low):
    a shopper gets that far by reversing the ordering instead.
    """

    EXACT_COUNT_UP_TO = 1000

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return super().count
        # one query for most lists: the rows up to one past the threshold, unordered, so PostgreSQL
        # stops at the threshold and neither sorts nor walks an ordering index to get there
        capped = self.object_list.order_by()[: self.EXACT_COUNT_UP_TO + 1].count()
        if capped <= self.EXACT_COUNT_UP_TO:
            return capped
        estimate = planner_estimate(self.object_list)
        return super().count if estimate is None else max(estimate, capped)


def planner_estimate(queryset: QuerySet) -> int | None:
    """How many rows PostgreSQL expects `queryset` to return (EXPLAIN, nothing run); None elsewhere."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    plan = json.loads(queryset.explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


class ProductPagination(PageNumberPagination):
    django_paginator_class = EstimatedCountPaginator
