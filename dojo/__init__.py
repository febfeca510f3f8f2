"""The kata harness: manifest, the katas/solutions switch, services, verification and the CLI."""
