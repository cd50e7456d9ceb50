"""Photo checks by magic bytes and size; Erlang C against known values."""

from __future__ import annotations

import pytest

from medrush.consult import MAX_BYTES, erlang_c, service_level, sniff_image, staffing_for
from medrush.kernel.errors import InvalidInput

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32


def test_accepted_types() -> None:
    assert sniff_image(PNG) == "image/png"
    assert sniff_image(JPEG) == "image/jpeg"
    assert sniff_image(WEBP) == "image/webp"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_attachment"),
        (b"GIF89a" + b"\x00" * 10, "attachment_type"),
        (b"%PDF-1.7\n", "attachment_type"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "attachment_type"),
        (JPEG + b"\x00" * MAX_BYTES, "attachment_too_large"),
    ],
)
def test_refused(data: bytes, code: str) -> None:
    with pytest.raises(InvalidInput) as err:
        sniff_image(data)
    assert err.value.code == code


def test_exactly_5_mb_is_fine() -> None:
    assert sniff_image(JPEG + b"\x00" * (MAX_BYTES - len(JPEG))) == "image/jpeg"


def test_erlang_c_textbook_value() -> None:
    # 2 Erlangs on 3 servers: P(wait) = 4/9 = 0.4444
    assert erlang_c(3, 2.0) == pytest.approx(4 / 9)
    assert erlang_c(1, 0.5) == pytest.approx(0.5)
    assert erlang_c(3, 3.0) == 1.0
    assert erlang_c(3, 0.0) == 0.0


def test_service_level_formula() -> None:
    # c=3, A=2, handle 1 min, target 1 min: 1 - 4/9 * e^-1
    assert service_level(3, 2.0, 1.0, 1.0) == pytest.approx(1 - 4 / 9 * 0.36787944117144233)


def test_staffing_meets_target_with_fewest_clinicians() -> None:
    advice = staffing_for(120, 12, target_seconds=120, target_level=0.9, chats_each=3)
    assert advice.service_level >= 0.9
    fewer = service_level((advice.clinicians - 1) * 3, 2.0, 12, 2)
    assert fewer < 0.9
    assert advice.servers == advice.clinicians * 3
    assert staffing_for(0, 12).clinicians == 1
