"""The payment ledger on its own: claims, release, and several processes claiming the same
documents at the same moment (exactly one wins)."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from bot.core.ledger import ABANDONED, AWAITING, DECLINED, PAID, PENDING, AlreadyClaimed, Ledger

DOCS = ["ACR2610000001", "ECR2610000002"]


def claim(ledger: Ledger, documents: list[str] = DOCS, method: str = "fpx") -> int:
    return ledger.claim(
        employer_code="E1",
        employer="halim",
        month="2026-10",
        method=method,
        documents=documents,
        amount_sen=12345,
    ).id


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    book = Ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    yield book  # type: ignore[misc]
    book.close()


def test_a_claim_is_pending_and_blocks_any_overlapping_claim(ledger: Ledger) -> None:
    first = claim(ledger)
    assert ledger.get(first).state == PENDING  # type: ignore[union-attr]
    with pytest.raises(AlreadyClaimed) as caught:
        claim(ledger, [DOCS[1]], method="eft")
    assert [h.id for h in caught.value.holders] == [first]


@pytest.mark.parametrize("state", [DECLINED, ABANDONED])
def test_a_declined_or_abandoned_payment_gives_its_documents_back(ledger: Ledger, state: str) -> None:
    first = claim(ledger)
    ledger.update(first, state)
    second = claim(ledger)
    assert second != first and ledger.holders("E1", DOCS)[0].id == second


@pytest.mark.parametrize("state", [PAID, AWAITING])
def test_paid_and_awaiting_keep_their_documents(ledger: Ledger, state: str) -> None:
    ledger.update(claim(ledger), state)
    with pytest.raises(AlreadyClaimed):
        claim(ledger)


def _claim_in_process(
    url: str, start: multiprocessing.synchronize.Event, results: multiprocessing.Queue
) -> None:  # type: ignore[type-arg]
    book = Ledger(url)
    start.wait()
    try:
        claim(book)
        results.put("won")
    except AlreadyClaimed:
        results.put("lost")
    finally:
        book.close()


def test_processes_claiming_at_the_same_moment_one_wins(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    Ledger(url).close()  # the tables exist before the race
    start = multiprocessing.Event()
    results: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    procs = [multiprocessing.Process(target=_claim_in_process, args=(url, start, results)) for _ in range(6)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(60)
    outcomes = sorted(results.get(timeout=5) for _ in procs)
    assert outcomes == ["lost"] * 5 + ["won"]


def test_a_pending_intent_of_a_killed_run_on_this_machine_is_not_in_progress(ledger: Ledger) -> None:
    # Given a pending intent written by a process that was then killed (a real one, a real signal)
    import dataclasses
    import signal
    import socket
    import subprocess

    victim = subprocess.Popen(["sleep", "60"])
    entry = dataclasses.replace(ledger.get(claim(ledger)), owner=f"{socket.gethostname()}:{victim.pid}")  # type: ignore[arg-type]
    assert entry.in_progress()
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    # Then it is no longer "at the bank right now": reconciling may release its documents
    assert not entry.in_progress()
    # while a live owner, or one on another machine, still holds its lease
    assert ledger.get(entry.id).in_progress()  # type: ignore[union-attr]
    assert dataclasses.replace(entry, owner="another-host:1").in_progress()
