"""Helpers shared by the test suites: environments, processes, servers, databases."""
