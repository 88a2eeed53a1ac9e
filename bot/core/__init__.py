"""The bot's core: what flows (and everything above them) may use.

settings, errors, browser, mail, retry, ledger, evidence, contributions and their helpers. Nothing
in here imports `flows` or the top of `bot` (cli, commands, workflows, runner, reports):
`tests/test_architecture.py` enforces it.
"""
