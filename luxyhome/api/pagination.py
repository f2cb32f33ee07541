import json
import time
from typing import NamedTuple

from django.core.paginator import EmptyPage, Paginator
from django.db import connections
from django.db.models import Expression, IntegerField, QuerySet
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

    Most lists count the rows up to one past the threshold (unordered, so PostgreSQL stops there).
    For the pages within the threshold, in the page's own query: each row of the page carries that
    count, from a subquery PostgreSQL runs once (object_list is rows as tuples, as `values_list`
    gives them, and the count comes after their columns). In a table of more than LARGE_TABLE rows
    most lists pass the threshold, and reading a thousand rows then costs more than the page (1.4
    ms for a common search word at 100,000 products): once a count has passed it there, the
    planner's estimate comes first, and rows are counted only when it expects at most the
    threshold.
    """

    EXACT_COUNT_UP_TO = 1000
    LARGE_TABLE = 20 * EXACT_COUNT_UP_TO

    @cached_property
    def count(self) -> int:
        """The count when it is not read with the page: elsewhere than PostgreSQL, from the planner's
        estimate, or in a query of its own for a page past the first EXACT_COUNT_UP_TO rows."""
        if not self._on_postgresql:
            return super().count
        if self._estimate_first is not None:
            return self._estimate_first
        return self._past_threshold(self.object_list.order_by()[: self.EXACT_COUNT_UP_TO + 1].count())

    def page(self, number):
        """Page `number`; on PostgreSQL one of the pages an exact count reaches is read with it."""
        try:
            first = (int(number) - 1) * self.per_page
        except (TypeError, ValueError):
            return super().page(number)  # Django says what is wrong with it
        # a page further on is read once the count says it exists, so an offset past every row
        # (page=10**19, past any bigint) is never sent to PostgreSQL; where the estimate comes
        # first, no rows are counted, and the page is read alone
        if not 0 <= first < self.EXACT_COUNT_UP_TO or not self._on_postgresql or self._estimate_first is not None:
            return super().page(number)
        capped = CappedCount(self.object_list, self.EXACT_COUNT_UP_TO + 1)
        rows = list(self.object_list.annotate(capped_count=capped)[first : first + self.per_page])
        if not rows and first > 0:
            raise EmptyPage(self.error_messages["no_results"])
        self.count = self._past_threshold(rows[0][-1] if rows else 0)
        return self._get_page([row[:-1] for row in rows], self.validate_number(number), self)

    @cached_property
    def _on_postgresql(self) -> bool:
        rows = self.object_list
        return isinstance(rows, QuerySet) and connections[rows.db].vendor == "postgresql"

    @cached_property
    def _estimate_first(self) -> int | None:
        """The planner's estimate where it comes before any count: in a large table, past the threshold."""
        measured = _table_rows.get(self.object_list.model._meta.db_table)
        large = measured is not None and measured.rows > self.LARGE_TABLE
        if large and (estimate := planner_estimate(self.object_list)) > self.EXACT_COUNT_UP_TO:
            return estimate
        return None

    def _past_threshold(self, capped: int) -> int:
        """The count, from the rows counted up to one past the threshold."""
        if capped <= self.EXACT_COUNT_UP_TO:
            return capped
        table = self.object_list.model._meta.db_table
        measured = _table_rows.get(table)
        if measured is None or measured.at < time.monotonic() - 60:
            _table_rows[table] = Measured(time.monotonic(), table_rows(self.object_list))
        return max(planner_estimate(self.object_list), capped)


class CappedCount(Expression):
    """How many rows `queryset` has, counted up to `cap`: unordered, so PostgreSQL stops there.

    It refers to nothing outside it, so PostgreSQL runs it once for the whole query. It is written
    out as compiled: a Subquery would first copy the query and rename its tables, which made a
    search cost more Python than the separate count query did. Its columns name its own FROM, the
    nearest one in SQL's scoping.
    """

    output_field = IntegerField()

    def __init__(self, queryset: QuerySet, cap: int):
        super().__init__()
        self.query = queryset.order_by().values("pk")[:cap].query

    def as_sql(self, compiler, connection):
        sql, params = self.query.get_compiler(connection=connection).as_sql()
        return f"(SELECT COUNT(*) FROM ({sql}) AS capped)", params


class Measured(NamedTuple):
    at: float
    rows: int


# what each process learned of a table's size when one of its counts passed the threshold (again at
# most once a minute): only then can it matter
_table_rows: dict[str, Measured] = {}


def planner_estimate(queryset: QuerySet) -> int:
    """How many rows PostgreSQL expects `queryset` to return (EXPLAIN, nothing run)."""
    plan = json.loads(queryset.explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


def table_rows(queryset: QuerySet) -> int:
    """How many rows PostgreSQL last measured in the queryset's table (pg_class.reltuples, kept by
    ANALYZE and autovacuum; -1 before the first)."""
    connection = connections[queryset.db]
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(queryset.model._meta.db_table)
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        return int(cursor.fetchone()[0])


class ProductPagination(PageNumberPagination):
    django_paginator_class = EstimatedCountPaginator
