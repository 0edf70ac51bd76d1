"""The service as benchmarked: the real app plus a bare route to divide by.

``/bench/bare`` returns a small JSON dict from the same Flask app, server and workers,
with nothing of Dashboard in the way: the ceiling of an authenticated GET.
"""

from __future__ import annotations

from flask import jsonify

from dashboard import create_app

app = create_app()


@app.get("/bench/bare")
def bare():
    return jsonify({"object": "bare", "ok": True})
