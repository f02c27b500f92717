#!/usr/bin/env python
"""Django's command-line utility, with one readable line instead of a traceback on bad set-up."""

import os
import sys

# Commands that need the database (and for some the broker) before they can do anything useful.
NEEDS_DATABASE = {"runserver", "migrate", "load_territories", "load_demo", "createsuperuser"}
NEEDS_BROKER = {"runserver", "load_demo"}  # the demo uploads its recording


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatoire.settings.dev")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    command = sys.argv[1] if len(sys.argv) > 1 else ""
    try:
        import django

        django.setup()
        if command in NEEDS_DATABASE:
            from observatoire.startup import exit_if_unreachable

            exit_if_unreachable(database=True, broker=command in NEEDS_BROKER)
    except ImproperlyConfigured as exc:
        # Some of Django's own messages span several lines; a person reads one.
        message = " ".join(str(exc).split())
        sys.stderr.write(f"error: configuration: {message}\n")
        raise SystemExit(1) from None
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
