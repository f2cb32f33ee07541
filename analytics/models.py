from django.db import models
from django.db.models import Q

from catalog.models import Product


class DailySales(models.Model):
    """One day's figures in TIME_ZONE, as analytics.selectors computes them, kept so a long range reads
    one row a day instead of every order. Written only by analytics.services.daily_sales_refresh."""

    date = models.DateField(primary_key=True)
    orders = models.PositiveIntegerField(help_text="Orders placed this day that have been paid.")
    revenue = models.DecimalField(max_digits=14, decimal_places=2, help_text="Their totals less refunds.")
    carts_started = models.PositiveIntegerField(help_text="Carts that got a first line this day.")
    carts_carried = models.PositiveIntegerField(help_text="Carts holding lines since an earlier day that still did.")
    refreshed_at = models.DateTimeField(help_text="When the refresh that wrote these figures began.")

    class Meta:
        ordering = ["date"]
        verbose_name_plural = "daily sales"
        constraints = [models.CheckConstraint(condition=Q(revenue__gte=0), name="analytics_daily_revenue_not_negative")]

    def __str__(self):
        return str(self.date)


class ProductSales(models.Model):
    """What one product sold in a stretch of days, in the orders that count."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    revenue = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        abstract = True


class DailyProductSales(ProductSales):
    """One product's sales of one day, for the top products of a range."""

    date = models.DateField()

    class Meta:
        ordering = ["date", "product"]
        verbose_name_plural = "daily product sales"
        constraints = [models.UniqueConstraint(fields=["date", "product"], name="analytics_one_row_per_day_product")]

    def __str__(self):
        return f"{self.date} {self.product_id}"


class MonthlyProductSales(ProductSales):
    """One product's sales of one month: its daily rows summed, so a long range reads a row a month for
    each product instead of thirty."""

    month = models.DateField(help_text="The month's first day.")

    class Meta:
        ordering = ["month", "product"]
        verbose_name_plural = "monthly product sales"
        constraints = [models.UniqueConstraint(fields=["month", "product"], name="analytics_one_row_per_month_product")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.product_id}"
