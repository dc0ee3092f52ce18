"""Bytes to text: UTF-8 (with or without BOM), UTF-16, and Windows-1256 found in Urdu archives.

Anything else fails with an error that names the file, rather than storing mojibake.
"""

from __future__ import annotations

import codecs
import re

from akhbar.errors import InputError

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LETTERS = re.compile(r"[^\W\d_]")
# every byte except the control bytes counted by `looks_binary` (tab, newlines, form feed stay text)
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 9 or 13 < b < 32))


def looks_binary(data: bytes) -> bool:
    """True for data with NUL bytes or many control bytes (images, archives, executables)."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = len(sample.translate(None, _NOT_CONTROL))  # C speed: a Python loop cost ~1 ms per file
    return controls > max(4, len(sample) // 100)


def decode(data: bytes, path: str) -> str:
    """Decode `data` read from `path`; raise InputError when it is not text akhbar can read."""
    if not data.strip():
        raise InputError(path, "the file is empty")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", path)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(data, utf16, path)
    if looks_binary(data):
        raise InputError(path, "this is a binary file, not text (expected UTF-8 text, HTML, JSONL, a feed or WARC)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    text = data.decode("cp1256", errors="replace")
    letters = _LETTERS.findall(text)
    if letters and "\ufffd" not in text and len(_ARABIC.findall(text)) / len(letters) > 0.6:
        return text  # Windows-1256 Urdu/Arabic: decodes cleanly to mostly Arabic script
    raise InputError(
        path,
        f"not valid UTF-8 (byte {utf8_error.start}: {utf8_error.reason}) and not Windows-1256 or UTF-16 text; "
        "convert it to UTF-8",
    )


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0) / (len(sample) / 2)
    odd_nul = sample[1::2].count(0) / (len(sample) / 2)
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"  # ASCII-heavy UTF-16LE
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    # Arabic-script UTF-16LE: high bytes are 0x06 on odd positions.
    if sample[1::2].count(6) / (len(sample) / 2) > 0.5:
        return "utf-16-le"
    if sample[0::2].count(6) / (len(sample) / 2) > 0.5:
        return "utf-16-be"
    return None


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(path, f"invalid {encoding} at byte {exc.start}: {exc.reason}") from exc
    return text.lstrip("\ufeff")
