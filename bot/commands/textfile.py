"""`assist-bot textfile build|check` (placeholder; the contribution-data work replaces it)."""
import typer

app = typer.Typer(help="Build and check PERKESO contribution text files.", no_args_is_help=True)
