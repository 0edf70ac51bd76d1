"""The WSGI entry point: ``app`` for uWSGI, gunicorn and ``flask --app app``."""

from dashboard.startup import app_or_exit

app = app_or_exit()
