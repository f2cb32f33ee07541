from django.db import connection

# queries for a page of products and its count: one on PostgreSQL, where the count is read with the page
PAGE_QUERIES = 1 if connection.vendor == "postgresql" else 2
