"""Scrubbing kept evidence: typed secrets, cookies, session and CSRF tokens, MyKad numbers."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from bot.core.redaction import find_credentials, mask_mykad, redact_archive, redact_file, redact_text

# Valid MyKads (birth date + a state code), as the demo payrolls have them.
ALI, TAN = "900101-14-5677", "850612-10-5432"


def test_a_mykad_keeps_only_its_birth_date_and_its_length() -> None:
    # Given a MyKad dashed and one undashed in a sentence
    text = f"Identification No.: {ALI} invalid; also {TAN.replace('-', '')}."
    # When masked
    masked = mask_mykad(text)
    # Then both keep their birth date only, and the text its length
    assert masked == "Identification No.: 900101-**-**** invalid; also 850612******."
    assert len(masked) == len(text)


def test_a_mykad_between_other_digit_fields_of_a_text_file_is_masked() -> None:
    # Given a 223-character line: employer code, a digit MyCoID, the ID, the name, month, amount...
    line = "E1102069801V" + "12345678901234567890" + "900101145677" + "ALI BIN ABU".ljust(150) + "102026"
    line += "00000000004650" + "01012020" + " "
    # When masked
    masked = mask_mykad(line)
    # Then the ID field lost its last six digits, the MyCoID and the columns are untouched
    assert masked[32:44] == "900101******" and masked[12:32] == "12345678901234567890"
    assert len(masked) == len(line) == 223


def test_numbers_that_are_not_mykads_are_left_alone() -> None:
    # Given a 12-digit FPX id with no valid birth date, a 13-digit timestamp and a short number
    text = "FPX 261099887766 at 1764637234567, RM 1234.50"
    # Then nothing is masked
    assert mask_mykad(text) == text


def test_credentials_are_found_in_headers_forms_inputs_and_json() -> None:
    page = '<input type="hidden" name="csrf_token" value="Zq8fK2-pl9Rt3xYw0aVb"><input name="email" value="a@b.my">'
    post = "csrf_token=Zq8fK2-pl9Rt3xYw0aVb&email=payroll%40firm.my"
    network = json.dumps(
        {
            "request": {
                "headers": [
                    {"name": "Cookie", "value": "assist_session=eyJjc3JmIjogIng.aGk.c2ln; theme=darkmode1"}
                ]
            },
            "response": {
                "headers": [{"name": "Set-Cookie", "value": "JSESSIONID=ABCDEF0123456789; Path=/; HttpOnly"}]
            },
            "cookies": [{"name": "other", "value": "tracking-id-0042"}],
        }
    )
    found = find_credentials("\n".join([page, post, network]))
    assert {
        "Zq8fK2-pl9Rt3xYw0aVb",
        "eyJjc3JmIjogIng.aGk.c2ln",
        "darkmode1",
        "ABCDEF0123456789",
        "tracking-id-0042",
    } <= found
    assert "a@b.my" not in found and "payroll%40firm.my" not in found


def test_a_page_dump_loses_its_secrets_and_tokens_but_keeps_its_text() -> None:
    page = f'<form><input type="hidden" name="_token" value="tok-1234567890abcdef"></form><p>{ALI} Ali bin Abu</p>'
    clean = redact_text(page, ["hunter2-password"], mask_ids=True)
    assert "tok-1234567890abcdef" not in clean and ALI not in clean
    assert "Ali bin Abu" in clean and "900101-**-****" in clean


def test_a_trace_archive_is_scrubbed_in_every_member_and_stays_a_zip(tmp_path: Path) -> None:
    # Given a trace-like zip: a network log with cookies, a DOM snapshot with the CSRF input, a
    # form post with the typed password, a PNG
    trace = tmp_path / "trace.zip"
    cookie = "eyJzaWQiOiAiMTIzIn0=.ZxY1Aw.Sg9h0Vt5_uKq"
    network = {
        "type": "resource-snapshot",
        "snapshot": {
            "request": {"headers": [{"name": "cookie", "value": f"assist_session={cookie}"}]},
            "response": {"headers": [{"name": "set-cookie", "value": f"assist_session={cookie}; path=/"}]},
        },
    }
    snapshot = {
        "type": "frame-snapshot",
        "html": ["INPUT", {"type": "hidden", "name": "csrf_token", "value": "c5rf-T0ken-abcdefgh"}],
    }
    with zipfile.ZipFile(trace, "w") as archive:
        archive.writestr("trace.network", json.dumps(network) + "\n")
        archive.writestr("trace.trace", json.dumps(snapshot) + "\n" + json.dumps({"text": TAN}) + "\n")
        archive.writestr("resources/post.dat", "csrf_token=c5rf-T0ken-abcdefgh&password=s3cret%21pass")
        archive.writestr("resources/shot.png", b"\x89PNG\r\n\x1a\n" + b"900101145677")
    # When it is scrubbed with the typed password
    redact_archive(trace, ["s3cret!pass"])
    # Then no member holds the cookie, the token, the password or the MyKad; the PNG is as it was
    with zipfile.ZipFile(trace) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    everything = b"".join(members.values())
    for needle in (cookie, "c5rf-T0ken-abcdefgh", "s3cret%21pass", "s3cret!pass", TAN):
        assert needle.encode() not in everything, needle
    assert members["resources/shot.png"].endswith(b"900101145677")
    assert json.loads(members["trace.network"].splitlines()[0])["type"] == "resource-snapshot"


def test_a_text_file_is_masked_in_place_unless_asked_not_to(tmp_path: Path) -> None:
    path = tmp_path / "SOCSO_102026.txt"
    path.write_text(f"{ALI.replace('-', '')}\r\n", encoding="ascii")
    redact_file(path, mask_ids=False)
    assert ALI.replace("-", "") in path.read_text()
    redact_file(path)
    assert path.read_bytes() == b"900101******\r\n"
