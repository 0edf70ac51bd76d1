"""The WSGI entry point: ``app`` for uWSGI, gunicorn and ``flask --app app``."""

from dashboard import create_app

app = create_app()
