"""The API's routers; `app.create_app` includes every one of them."""
