"""The REST API: FastAPI app factory, typed settings, token auth, routes.

Routes call one service function each; every read of customer data goes through the
tenant-scoped repository (`mittari.db.scope`), never filtered by hand in a route.
"""
