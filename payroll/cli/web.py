"""``payroll web``: the web console (웹 콘솔) for districts and the city."""

from __future__ import annotations

from typing import Annotated

import typer

from payroll.cli.common import console, open_root


def web(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
) -> None:
    """Start the web console. Set PAYROLL_WEB_SECRET so sessions survive a restart.

    Behind HTTPS set PAYROLL_WEB_HTTPS=1 (Secure cookies). Users: `payroll user add`.
    """
    import uvicorn

    from payroll.web.app import create_app

    root = open_root()
    app = create_app(root)
    console.print(f"웹 콘솔: http://{host}:{port}/  (Ctrl+C로 종료)")
    # uvicorn's own proxy handling would trust X-Forwarded-For from 127.0.0.1; the console
    # reads it only from the addresses in PAYROLL_WEB_TRUSTED_PROXIES.
    uvicorn.run(
        app, host=host, port=port, log_level="info", server_header=False, proxy_headers=False
    )
