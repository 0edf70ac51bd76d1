"""Routes a reverse proxy calls: /api/verify."""
