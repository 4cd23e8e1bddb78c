# Production image: gunicorn serves the site; the same image runs the Celery worker and beat.
# Runtime packages only (requirements.lock); .dockerignore keeps tests, keys and local data out.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
# The settings are production's and refuse to load without their secret key, database and
# broker: collectstatic gets stand-ins for this one command, and connects to none of them.
RUN python -m babel.messages.frontend compile --domain django --directory locale \
    && DJANGO_SECRET_KEY=build-only DOCUMENTS_ENCRYPTION_KEY=build-only CACHE_URL=redis://build-only:6379/1 DATABASE_URL=sqlite:///:memory: CELERY_BROKER_URL=memory:// python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
