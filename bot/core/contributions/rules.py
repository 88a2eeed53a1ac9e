"""Who pays what: which schemes cover an employee in a contribution month, and the SOCSO category.

Every rule names its source (spec/DOMAIN.md 2.1): [S] PERKESO, [S2] secondary, [U] our assumption.
Age is taken on the day of the contribution month that age.py says (its sources; the first day by
default, a setting): an employee who turns 60 during May then pays Category 1 for May, Category 2
from June.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache

from bot.core.contributions.age import age_in
from bot.core.contributions.month import Month


class Citizenship(StrEnum):
    CITIZEN = "citizen"
    PR = "pr"
    FOREIGN = "foreign"


@dataclass(frozen=True, slots=True)
class Coverage:
    """The schemes that apply. ``socso_category`` 1 / 2, or None when SOCSO does not cover."""

    socso_category: int | None
    eis: bool
    skbbk: bool


NONE = Coverage(None, False, False)

# Act 4 contributions as tabled here start June 2016 (first table we ship).
# EIS (Act 800) contributions start January 2018 [S] PERKESO EIS, Act 800 in force 1 Jan 2018.
EIS_START = Month(2018, 1)
# Foreign workers moved from the Workmen's Compensation Scheme to SOCSO Employment Injury
# (Category 2, employer 1.25%) on 1 Jan 2019 [S] https://www.propaypartners.com/resource-centre/insights/frequently-asked-questions-on-the-transfer-of-the-foreign-workers-compensation-scheme
FOREIGN_SOCSO_START = Month(2019, 1)
# ...and into Category 1 (Invalidity too) on 1 Jul 2024, if they first entered under 55
# [S2] Employer Circular No. 2 Year 2024, https://vialtopartners.com/regional-alerts/malaysia-employment-tax-extension-of-invalidity-scheme-coverage-to-foreign-workers
FOREIGN_CAT1_START = Month(2024, 7)
# Domestic workers covered by Act 4 and Act 800 from 1 Jun 2021
# [S] https://perkeso.gov.my/en/our-services/protection/employees-social-security-act-1969-act-4/domestic-workers.html
DOMESTIC_START = Month(2021, 6)
# LINDUNG 24 Jam (SKBBK) from June 2026 [S] perkeso.gov.my scheme page (see skbbk.py).
SKBBK_START = Month(2026, 6)

# Category 2 at 60 and over [S] https://www.perkeso.gov.my/en/rate-of-contribution.html
CAT2_AGE = 60
# Category 2 when first entering the scheme at 55 or over with no prior contribution
# [S] PERKESO FAQ https://perkeso.gov.my/en/contact-us/pejabat-perkeso-new/frequently-asked-question.html
# (DOMAIN.md words it "> 55"; we read "has attained 55" [U]).
LATE_ENTRY_AGE = 55
# EIS: citizens and permanent residents aged 18 to under 60 [S2] https://www.estream.com.my/eis/
EIS_MIN_AGE, EIS_MAX_AGE = 18, 60


def age_at(date_of_birth: date, month: Month) -> int:
    """The age that decides ``month`` (age.py: on the configured day of the month)."""
    return age_in(date_of_birth, month)


def coverage(
    month: Month,
    *,
    citizenship: Citizenship,
    date_of_birth: date | None,
    category: int | None = None,
    first_contribution_age: int | None = None,
    domestic: bool = False,
) -> Coverage:
    """The schemes that apply to one employee in ``month``.

    ``category`` (1 or 2) forces the SOCSO category, for facts the payroll cannot show (e.g. a
    late first entry). ``first_contribution_age`` is the age at the first SOCSO contribution ever,
    None when unknown (then assumed under 55 [U]). ``date_of_birth`` may only be None when
    ``category`` is given and the employee is foreign (no age test left to make).
    """
    age = age_at(date_of_birth, month) if date_of_birth is not None else None
    if age is None and (category is None or citizenship is not Citizenship.FOREIGN):
        raise ValueError("date_of_birth is needed to decide the SOCSO category and EIS")
    return coverage_at_age(month, citizenship, age, category, first_contribution_age, domestic)


@lru_cache(maxsize=4096)
def coverage_at_age(
    month: Month,
    citizenship: Citizenship,
    age: int | None,
    category: int | None,
    first_contribution_age: int | None,
    domestic: bool,
) -> Coverage:
    """``coverage`` once the age is known; cached, as a payroll has few distinct combinations."""
    if domestic and month < DOMESTIC_START:
        return NONE
    socso = _socso_category(month, citizenship, age, first_contribution_age)
    if socso is not None and category is not None:
        socso = category
    eis = (
        citizenship is not Citizenship.FOREIGN  # foreign workers are not in EIS [S2], also domestic [S]
        and month >= EIS_START
        and age is not None
        and EIS_MIN_AGE <= age < EIS_MAX_AGE
    )
    # Who SKBBK covers beyond "formal-sector employees" is not published: we apply it to every
    # employee SOCSO covers, either category [U].
    skbbk = socso is not None and month >= SKBBK_START
    return Coverage(socso, eis, skbbk)


def _socso_category(
    month: Month, citizenship: Citizenship, age: int | None, first_contribution_age: int | None
) -> int | None:
    late_entry = first_contribution_age is not None and first_contribution_age >= LATE_ENTRY_AGE
    old = age is not None and age >= CAT2_AGE
    if citizenship is Citizenship.FOREIGN:
        if month < FOREIGN_SOCSO_START:
            return None  # Workmen's Compensation Scheme, not SOCSO
        if month < FOREIGN_CAT1_START:
            return 2
        # Category 2 when 55+ at first entry or 60+ [S] PERKESO FAQ (DOMAIN.md 2.1)
        return 2 if late_entry or old else 1
    return 2 if late_entry or old else 1
