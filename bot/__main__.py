"""`python -m bot` is `assist-bot`."""

from bot.cli import main

main()
