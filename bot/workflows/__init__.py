"""Durable portfolio runs on DBOS: one workflow per employer and month, steps checkpointed.

`engine` starts DBOS (SQLite or PostgreSQL) and the process's runtime; `monthly` is the workflow;
`steps` are its checkpointed steps, each calling a flow; `portfolio` decides per employer whether to
start, resume, retry or skip, and waits for the results.
"""
