"""The harness's own tests: pytester drives small throw-away kata projects in child processes."""
pytest_plugins = ["pytester"]
