"""A small notes app with Dashboard inside it."""
