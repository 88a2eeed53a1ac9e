"""Payment facts the portal enforces (spec/DOMAIN.md §3.3): FPX limits, banks, business models."""

from __future__ import annotations

from mock_portal.amounts import parse_ringgit  # noqa: F401  (moved there; kept importable from here)

# FPX per transaction, in sen (PayNet): B2C (retail) RM1-30,000, B2B1 (corporate) RM2-1,000,000.
FPX_LIMITS = {"b2c": (100, 3_000_000), "b2b": (200, 100_000_000)}
BUSINESS_MODELS = {"b2c": "Personal to Corporate", "b2b": "Corporate to Corporate"}
BANKS = (
    "Affin Bank",
    "Alliance Bank",
    "AmBank",
    "Bank Islam",
    "Bank Muamalat",
    "Bank Rakyat",
    "CIMB Bank",
    "Hong Leong Bank",
    "HSBC Bank",
    "Maybank2u",
    "Maybank2E",
    "OCBC Bank",
    "Public Bank",
    "RHB Bank",
    "Standard Chartered",
    "UOB Bank",
    "Mock Bank",
)
# The mock bank behind every entry of the Bank List: one site, its own accounts (fixtures/demo/bank.toml).
MAX_MANDATE_FREQUENCY = 31


def ringgit(sen: int) -> str:
    return f"{sen / 100:,.2f}"


def fpx_limit_problem(model: str, amount_sen: int) -> str | None:
    """The portal's message when the amount is outside the business model's FPX limits."""
    low, high = FPX_LIMITS[model]
    if amount_sen < low or amount_sen > high:
        return (
            f"The amount RM{ringgit(amount_sen)} is outside the FPX limit for {BUSINESS_MODELS[model]}"
            f" (RM{ringgit(low)} - RM{ringgit(high)} per transaction)."
        )
    return None
