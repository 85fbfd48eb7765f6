"""Services: orchestration over the engine, the contracts and the importers."""
