"""The run report: HTML for people, JSON for scripts, JUnit XML for CI; rebuilt from the database."""
