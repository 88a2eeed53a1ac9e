"""The one place that says on which day of the contribution month an employee's age is taken, for
SOCSO Category 2 (from 60) and EIS (18 to under 60). rules.py asks ``age_in``; nothing else counts age.

What the sources say (searched 2026-12-02):
- PERKESO: Category 2 for an employee who "has reached the age of 60" (rate page
  https://www.perkeso.gov.my/en/rate-of-contribution.html, FAQ) [S]; EIS for employees aged 18 to 60
  [S2] (https://www.estream.com.my/eis/). Neither names a day of the month.
- Payroll vendors repeat the rule without a day: Talenox ("all employees who have reached the age
  of 60 must be covered under this category", help.talenox.com/en/articles/2488229), SQL Payroll
  ("System will AUTO based on the age", sites.google.com/site/sqlestream, 2.12), PayrollPanda [S2].
  Some payroll systems take the age on the LAST day of the month (issue 12) [S2, unnamed].
- The nearest published practice is EPF's, not PERKESO's: the reduced rate applies from the month
  AFTER the month the age is reached (example: 55 on 15 April 2008, reduced from the May 2008 wages;
  Sarawak Manufacturers' Association notice, smasarawak.com.my, quoting EPF) [S2].

So the sources are silent or disagree, and the day is a setting:
- ``first`` (default): completed years on the FIRST day of the month. Someone who turns 60 on
  15 May pays Category 1 for May and Category 2 from June, as EPF's "month after" does (they differ
  only for a birthday on the 1st, which counts from that month). It is what the bot always did, and
  what the bundled mock portal does.
- ``last``: completed years on the LAST day of the month (Category 2 already for May).

Choose with the environment variable ``ASSIST_AGE_DAY=first|last`` (read when the bot starts), or
pass ``day=`` to ``age_in``. [U] until PERKESO says which.
"""

from __future__ import annotations

import os
from datetime import date
from enum import StrEnum

from bot.core.contributions.month import Month
from bot.core.errors import ConfigError

ENV = "ASSIST_AGE_DAY"


class AgeDay(StrEnum):
    FIRST = "first"
    LAST = "last"


def configured_day(environ: dict[str, str] | os._Environ[str] = os.environ) -> AgeDay:
    """The day from ``ASSIST_AGE_DAY`` (default ``first``); ConfigError for anything else."""
    raw = environ.get(ENV, "").strip().lower() or AgeDay.FIRST.value
    try:
        return AgeDay(raw)
    except ValueError:
        raise ConfigError(f"{ENV}={raw!r}: expected first or last") from None


DAY = configured_day()


def age_on(date_of_birth: date, day: date) -> int:
    """Completed years on ``day``."""
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def age_in(date_of_birth: date, month: Month, day: AgeDay | None = None) -> int:
    """The age that decides the month's Category 2 and EIS, on the configured day of ``month``."""
    which = day or DAY
    return age_on(date_of_birth, month.first_day if which is AgeDay.FIRST else month.last_day)
