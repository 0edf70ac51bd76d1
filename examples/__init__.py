"""Example applications that use Dashboard; the test suite runs them."""
