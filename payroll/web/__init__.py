"""The web console (웹 콘솔): FastAPI + Jinja2, server-rendered, htmx vendored in ``static/``."""
