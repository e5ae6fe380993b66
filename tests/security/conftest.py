"""Attack tests of the console: the web fixtures (a console on SQLite and PostgreSQL)."""

from tests.e2e.web.conftest import app, browser, cheap_argon2, users  # noqa: F401
