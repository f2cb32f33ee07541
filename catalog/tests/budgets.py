# queries for a page of products never counted before: its rows and their count, which is then
# cached (luxyhome.api.pagination)
PAGE_QUERIES = 2
