"""`assist-bot evidence prune`: delete evidence older than `evidence.keep_days` (screenshots, traces,
page dumps, reports); the records (ACR/ECR PDFs, receipts) are never touched."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.commands.output import make_console, print_json
from bot.core.evidence import prune
from bot.core.settings import load_settings

app = typer.Typer(help="The evidence folder: what is kept and for how long.", no_args_is_help=True)


@app.command("prune")
def prune_command(
    ctx: typer.Context,
    older_than: Annotated[
        float | None,
        typer.Option(help="Days to keep [default: evidence.keep_days, 90].", min=0.0, show_default=False),
    ] = None,
    dry_run: Annotated[bool, typer.Option(help="List what would go; delete nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Delete evidence files older than DAYS under the evidence folder (screenshots, traces, page
    dumps, console logs, text files, reports), then the folders left empty. Never touched: the records
    folder (<evidence>/records/<employer>/<month>/, `evidence.records_dir`), any PDF, the run database.
    `run` and `schedule` prune the same way as they go when `evidence.keep_days` is set.

    Examples:

      assist-bot evidence prune --dry-run

      assist-bot evidence prune --older-than 30
    """
    settings = load_settings(ctx.obj["portfolio"], required=False)
    days = older_than if older_than is not None else settings.evidence.keep_days
    if days is None:
        make_console(stderr=True).print("evidence.keep_days is not set and no --older-than: nothing pruned")
        raise typer.Exit(0)
    pruned = prune(settings, days, dry_run=dry_run)
    if as_json:
        print_json(
            {
                "command": "evidence prune",
                "dry_run": dry_run,
                "older_than_days": days,
                "files": [str(p) for p in pruned.files],
                "folders": [str(p) for p in pruned.folders],
                "bytes": pruned.size,
                "kept_records": pruned.kept_records,
            }
        )
    else:
        out = make_console()
        if dry_run:
            for path in pruned.files:
                out.print(str(path), markup=False, highlight=False)
        out.print(f"{settings.evidence_dir}: {pruned.describe(days, dry_run)}", markup=False)
