"""The ASGI app of `mittari serve`: the API and the dashboard (uvicorn imports it by name)."""

from mittari.web.site import create_site, warm_in_background

app = create_site()
warm_in_background()
