"""Production settings for the load test's gunicorn, plus what only the benchmark needs.

Everything production reads from its environment (secret key, PostgreSQL, Redis broker and
cache, documents key, the seal) is set by bench_load.py; this module adds:
- the baseline view (/bench/baseline/<pk>/): a bare Django view rendering a template from one
  indexed query, on the same machine, server and middleware, so every figure is also a ratio;
- a header with the number of SQL queries each response took (X-Queries), which locust
  records per kind of request, to show they do not grow with the data.
"""

from config.settings import *  # noqa: F403
from config.settings import MIDDLEWARE, TEMPLATES

ROOT_URLCONF = "tests.bench.load.urls"
MIDDLEWARE = ["tests.bench.load.middleware.QueryCountMiddleware", *MIDDLEWARE]
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "bench"  # noqa: F405
                                       / "load" / "templates"]}, *TEMPLATES[1:]]

# The one departure from production: the certificates the worker seals during the run use
# the development seal (a benchmark has no registry key), which production refuses.
DOCUMENT_SIGNING_ALLOW_DEV_KEY = True
