"""`assist-bot`: the composition root. Settings are built here once and passed down.

Exit codes (CONTRACT.md): 0 done; 1 failed; 2 a person must act or the outcome is unknown;
64 bad usage or configuration; 75 try again later (busy: another process holds the database; or the
portal is down and the circuit breaker is open).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from bot.commands import cancel as cancel_command
from bot.commands import contribute as contribute_command
from bot.commands import employees as employees_command
from bot.commands import evidence as evidence_command
from bot.commands import login as login_command
from bot.commands import mailbox as mailbox_command
from bot.commands import mandate as mandate_command
from bot.commands import pay as pay_command
from bot.commands import print_documents as print_command
from bot.commands import qa as qa_command
from bot.commands import register_employer as register_employer_command
from bot.commands import report as report_command
from bot.commands import run as run_command
from bot.commands import schedule as schedule_command
from bot.commands import textfile
from bot.commands import worker as worker_command
from bot.commands.output import make_console
from bot.core import logs
from bot.core.errors import AssistError, ConfigError
from bot.core.evidence import private_umask

app = typer.Typer(
    name="assist-bot",
    help=(
        "Do an employer's monthly PERKESO ASSIST chores unattended: log in with the emailed "
        "password, send SOCSO/EIS contributions, get the ACR/ECR, pay, keep the receipts.\n\n"
        "Employers come from a portfolio TOML file (--portfolio, ASSIST_PORTFOLIO, else "
        "./portfolio.toml); every setting can also come from ASSIST_* environment variables or .env.\n\n"
        "Try: assist-bot --portfolio fixtures/demo/portfolio.toml login --all"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(textfile.app, name="textfile")
app.add_typer(employees_command.app, name="employees")
app.command("register-employer")(register_employer_command.register_employer)
app.command("login")(login_command.login)
app.command("contribute")(contribute_command.contribute)
app.command("print")(print_command.print_command)
app.command("cancel")(cancel_command.cancel)
app.command("pay")(pay_command.pay)
app.command("reconcile")(pay_command.reconcile)
app.add_typer(mandate_command.app, name="mandate")
app.add_typer(mailbox_command.app, name="mailbox")
app.add_typer(evidence_command.app, name="evidence")
app.command("run")(run_command.run)
app.command("report")(report_command.report)
app.command("worker")(worker_command.worker)
app.command("schedule")(schedule_command.schedule)
app.command("qa", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(qa_command.qa)

err_console = make_console(stderr=True)


@app.callback()
def main_options(
    ctx: typer.Context,
    portfolio: Annotated[
        Path | None,
        typer.Option(help="Portfolio TOML of employers [default: $ASSIST_PORTFOLIO or ./portfolio.toml]."),
    ] = None,
    log_level: Annotated[
        str, typer.Option(help="DEBUG, INFO, WARNING or ERROR (logs go to stderr).")
    ] = "WARNING",
    json_logs: Annotated[bool, typer.Option(help="Logs as JSON lines, for log collectors.")] = False,
) -> None:
    logs.configure(log_level, json_lines=json_logs)
    ctx.obj = {"portfolio": portfolio}


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app and turn errors into the contract's exit codes."""
    private_umask()  # state and evidence hold clients' personal data: 0700 / 0600
    try:
        # Without standalone mode, Click hands back typer.Exit's code as the return value.
        outcome = app(args=argv, standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(130)
    except typer.TyperException as exc:  # Typer's own usage errors: a wrong option, a missing value
        exc.show(file=sys.stderr)  # type: ignore[attr-defined]
        sys.exit(ConfigError.exit_code)
    except AssistError as exc:
        # The message is printed as it is: `[employers.mailbox]` is a TOML table, not Rich markup.
        err_console.print(
            f"[bold red]{type(exc).__name__}[/]: {escape(str(exc))}", markup=True, highlight=False
        )
        sys.exit(exc.exit_code)
    sys.exit(outcome if isinstance(outcome, int) else 0)
