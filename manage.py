#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        # Read the settings first: Django's command runner hides their refusal (production
        # without its key, database or broker) and then fails with an unrelated error.
        settings.INSTALLED_APPS  # noqa: B018
    except ImproperlyConfigured as refusal:
        sys.exit(f"ImproperlyConfigured: {refusal}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
