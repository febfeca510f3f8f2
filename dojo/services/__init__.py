"""Real services for the katas, each found or started by the tests themselves."""
