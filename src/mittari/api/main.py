"""The ASGI app of `mittari serve` (uvicorn imports it by name in each worker)."""

from mittari.api.app import create_app

app = create_app()
