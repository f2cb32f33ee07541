from celery import shared_task

from analytics import services


@shared_task
def daily_sales_refresh() -> int:
    return services.daily_sales_refresh()
