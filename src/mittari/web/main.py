"""The ASGI app of `mittari serve`: the API and the dashboard (uvicorn imports it by name)."""

from mittari.web.site import create_site

app = create_site()
