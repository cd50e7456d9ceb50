"""Photo attachments: JPEG, PNG or WebP by their magic bytes (never by the declared type), at most 5 MB."""

from __future__ import annotations

from medrush.kernel.errors import InvalidInput

__all__ = ["MAX_BYTES", "sniff_image"]

MAX_BYTES = 5 * 1024 * 1024


def sniff_image(data: bytes) -> str:
    """The content type of an acceptable photo; InvalidInput for anything else or anything too big."""
    if not data:
        raise InvalidInput("the file is empty", code="empty_attachment")
    if len(data) > MAX_BYTES:
        raise InvalidInput("photos are limited to 5 MB", code="attachment_too_large")
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    raise InvalidInput("only JPEG, PNG and WebP photos are accepted", code="attachment_type")
