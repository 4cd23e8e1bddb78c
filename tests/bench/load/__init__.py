"""The national load test (make bench-load): gunicorn with production settings, a real Celery
worker, locust as entrepreneurs, clerks, the public and partners; see bench_load.py."""
