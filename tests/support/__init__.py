"""Helpers shared by the test suites (a real mock portal process, …)."""
