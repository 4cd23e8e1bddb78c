"""X-Queries: the SQL statements a request ran (the load test's query counts)."""

from ..common import QueryCounter


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with QueryCounter() as queries:
            response = self.get_response(request)
        response["X-Queries"] = str(len(queries))
        return response
