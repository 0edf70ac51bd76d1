"""gunicorn reads this file from the working directory at start."""


def on_starting(server):
    # Check the settings once, in the master, before any worker starts: a wrong one stops
    # gunicorn with one line, instead of each worker failing in turn.
    from dashboard.startup import app_or_exit, say_what_workers_keep_apart

    app = app_or_exit()
    say_what_workers_keep_apart(app.extensions["dashboard"].config, server.cfg.workers)
