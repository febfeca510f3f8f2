"""Only loads the harness plugin: everything else lives in dojo/."""
pytest_plugins = ["dojo.plugin"]
