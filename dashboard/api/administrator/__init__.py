"""Route modules: one per URL, named after it."""
