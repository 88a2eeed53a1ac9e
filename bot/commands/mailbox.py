"""`assist-bot mailbox authorize|check`: set up and check an employer's mailbox without the portal."""

from __future__ import annotations

import sys
from dataclasses import asdict
from typing import Annotated

import typer

from bot.commands.output import make_console, print_json
from bot.core.access_tokens import TokenStore, finish_device_authorization, start_device_authorization
from bot.core.errors import ConfigError
from bot.core.mailbox_connection import check_mailbox
from bot.core.mailbox_settings import MailboxSettings
from bot.core.password_rule import PasswordRule
from bot.core.settings import EmployerSettings, load_settings

app = typer.Typer(help="Set up (OAuth2) and check an employer's mailbox; the portal is not touched.")

EmployerOption = Annotated[str, typer.Option("--employer", "-e", help="Employer name from the portfolio.")]


def _mailbox_of(employer: EmployerSettings) -> MailboxSettings:
    if employer.mailbox is None:
        raise ConfigError(f"employer {employer.name} has no [employers.mailbox] (password_source 'static')")
    return employer.mailbox


@app.command()
def authorize(
    ctx: typer.Context,
    employer: EmployerOption,
    print_token: Annotated[
        bool,
        typer.Option(
            "--print-token",
            help="Print the refresh token on stdout (to pipe into a secret manager) instead of storing it.",
        ),
    ] = False,
) -> None:
    """Authorize the bot to read an OAuth2 mailbox (RFC 8628 device code): prints a URL and a code;
    a person opens the URL, signs in as the mailbox's user and enters the code. The refresh token is
    kept in oauth2.token_store (readable only by this user, 0600), or printed with --print-token.

    Example: assist-bot mailbox authorize -e halim
    """
    settings = load_settings(ctx.obj["portfolio"])
    chosen = settings.employer(employer)
    mailbox = _mailbox_of(chosen)
    if mailbox.auth != "oauth2" or mailbox.oauth2 is None:
        raise ConfigError(
            f'employer {chosen.name}: the mailbox has auth = "password"; set auth = "oauth2" first'
        )
    oauth = mailbox.oauth2
    if oauth.effective_grant != "refresh_token":
        raise ConfigError(
            f"employer {chosen.name}: the {oauth.effective_grant} grant needs no authorization; "
            f"try `assist-bot mailbox check -e {chosen.name}`"
        )
    err = make_console(stderr=True)
    code = start_device_authorization(oauth)
    err.print(f"To let assist-bot read {mailbox.user}, open {code.verification_uri}", highlight=False)
    err.print(f"and enter the code: {code.user_code}", highlight=False)
    err.print(f"(waiting up to {code.expires_in:.0f} s)", highlight=False)
    sys.stderr.flush()
    refresh = finish_device_authorization(oauth, code)
    if print_token:
        print(refresh)
        return
    assert oauth.token_store is not None  # filled in by Settings
    TokenStore(oauth.token_store).save(refresh)
    where = f"in {oauth.token_store} (mode 0600)"
    if oauth.refresh_token is not None:
        where += "; this mailbox reads refresh_token* first: update that secret instead (--print-token)"
    err.print(f"authorized: refresh token stored {where}", highlight=False)


@app.command()
def check(
    ctx: typer.Context,
    employer: EmployerOption,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Connect and authenticate to an employer's mailbox, and report IDLE support and how many
    password mails for its login email are there. Does not touch the portal.

    Example: assist-bot mailbox check -e halim
    """
    settings = load_settings(ctx.obj["portfolio"])
    chosen = settings.employer(employer)
    mailbox = _mailbox_of(chosen)
    report = check_mailbox(
        mailbox, PasswordRule.from_settings(settings.mail), chosen.login_email, chosen.name
    )
    if as_json:
        print_json({"command": "mailbox check", "employer": chosen.name, **asdict(report)})
        return
    out = make_console()
    out.print(f"mailbox {report.mailbox}: logged in ({report.auth})", highlight=False)
    out.print(f"IDLE: {'supported' if report.idle else 'not supported (the bot polls)'}", highlight=False)
    out.print(
        f"password mails for {chosen.login_email}: {report.password_mails} (of {report.messages} messages)",
        highlight=False,
    )
