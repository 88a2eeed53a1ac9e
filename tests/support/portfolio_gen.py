"""A made-up portfolio of N employers with M employees each, both sides: the portal's seed
(employers.toml + employees.csv, for `--seed-file`) and the bot's portfolio with payrolls.

All employers' password mail lands in one firm mailbox (one address per employer), as for an
accounting firm. Used by the scale-out tests and bench/portfolio.py.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

MAILBOX_USER = "payroll@firma-ujian.my"
MAILBOX_PASSWORD = "firma-ujian-1"
METHODS = ("fpx", "eft", "dda", "counter")
FIRST = ("AHMAD", "SITI", "TAN", "LIM", "RAJ", "NUR", "WONG", "FARID", "KUMAR", "AISYAH")
LAST = ("BIN ALI", "BINTI ABU", "MEI LING", "KAH WAI", "A/L MUTHU", "BIN OMAR", "SIEW LAN", "BINTI HASSAN")


@dataclass
class Generated:
    seed: Path  # employers.toml for the portal's --seed-file (employees.csv beside it)
    portfolio: Path
    names: list[str]


def employer_code(i: int) -> str:
    return f"E{9000000000 + i:010d}{'ABCDEFGHJK'[i % 10]}"


def mykad(employer: int, employee: int) -> str:
    # Born 1980-01-01 .. 1980-01-28 + n, place code 14 (Kuala Lumpur): a valid MyKad.
    day = 1 + (employee % 28)
    return f"8001{day:02d}14{employer % 100:02d}{employee % 100:02d}"


def aim(generated: Generated, base_url: str, imap_host: str, imap_port: int) -> Path:
    """The portfolio pointed at a started portal (its real ports)."""
    text = generated.portfolio.read_text(encoding="utf-8")
    text = (
        text.replace("@BASE_URL@", base_url)
        .replace("@IMAP_HOST@", imap_host)
        .replace("@IMAP_PORT@", str(imap_port))
    )
    path = generated.portfolio.with_name("portfolio-live.toml")
    path.write_text(text, encoding="utf-8")
    return path


def generate(folder: Path, employers: int, employees: int) -> Generated:
    """Seed, payrolls and a portfolio template (see `aim`)."""
    base_url, imap_host, imap_port = "@BASE_URL@", "@IMAP_HOST@", "@IMAP_PORT@"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "payroll").mkdir(exist_ok=True)
    names = [f"firm{i:03d}" for i in range(employers)]
    addresses = [f"payroll+{n}@firma-ujian.my" for n in names]
    seed = [f'[[mailbox]]\nuser = "{MAILBOX_USER}"\npassword = "{MAILBOX_PASSWORD}"\naddresses = [\n']
    seed += [f'    "{a}",\n' for a in addresses] + ["]\n"]
    portfolio = [f'[portal]\nbase_url = "{base_url}"\n']
    staff_rows: list[list[str]] = []
    for i, (name, address) in enumerate(zip(names, addresses, strict=True)):
        code = employer_code(i)
        seed.append(
            f'\n[[employer]]\ncode = "{code}"\nname = "SYARIKAT UJIAN {i:03d} SDN BHD"\n'
            f'ssm = "2020{i:08d}"\nkind = "normal"\nemail = "{address}"\n'
        )
        portfolio.append(
            f'\n[[employers]]\nname = "{name}"\nemployer_code = "{code}"\nlogin_email = "{address}"\n'
            f'payment_method = "{METHODS[i % len(METHODS)]}"\npayroll = "payroll/{name}.csv"\n'
            f'[employers.mailbox]\nhost = "{imap_host}"\nport = {imap_port}\ntls = false\n'
            f'user = "{MAILBOX_USER}"\npassword = "{MAILBOX_PASSWORD}"\n'
        )
        with open(folder / "payroll" / f"{name}.csv", "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["id_number", "name", "wages"])
            for j in range(employees):
                person = f"{FIRST[j % len(FIRST)]} {LAST[(i + j) % len(LAST)]}"
                wages = f"{1500 + (j * 137) % 4000}.00"
                writer.writerow([mykad(i, j), person, wages])
                staff_rows.append(
                    [
                        code,
                        "mykad",
                        mykad(i, j),
                        mykad(i, j),
                        person,
                        "citizen",
                        "MALAYSIA",
                        f"1980-01-{1 + j % 28:02d}",
                        "M" if j % 2 else "F",
                        "2020-01-01",
                        "",
                        "",
                        "0",
                        "PEKERJA",
                        wages,
                    ]
                )
    (folder / "employers.toml").write_text("".join(seed), encoding="utf-8")
    with open(folder / "employees.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "employer_code",
                "id_type",
                "id_number",
                "socso_no",
                "name",
                "citizenship",
                "nationality",
                "date_of_birth",
                "gender",
                "employment_date",
                "terminated_on",
                "termination_reason",
                "domestic",
                "occupation",
                "wages",
            ]
        )
        writer.writerows(staff_rows)
    path = folder / "portfolio.toml"
    path.write_text("".join(portfolio), encoding="utf-8")
    return Generated(folder / "employers.toml", path, names)
