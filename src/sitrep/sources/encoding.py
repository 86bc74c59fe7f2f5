"""Bytes to text: UTF-8 first, a declared charset if there is one, a detector as last resort.

The policy, in order:

1. NUL bytes in the first 8 kB (and no UTF-16/32 byte-order mark): a **binary file**, rejected.
2. A byte-order mark decides (UTF-8, UTF-16, UTF-32).
3. A declared charset (an HTML ``<meta charset>``, an HTTP ``Content-Type``) is tried next.
4. Strict UTF-8.
5. Not UTF-8, but holding real UTF-8 (at least two well-formed multi-byte sequences, and
   one for every ten stray high bytes): **mixed encodings** (say, a UTF-8 article with a
   pasted Windows-1252 paragraph). No single charset reads it right and guessing per stretch
   would silently corrupt names and quotes, so it is rejected, naming the offset and value of
   the first byte that is not UTF-8.
6. Otherwise one legacy charset is likely (Windows-1252, Windows-1251, KOI8-R, ...):
   charset-normalizer guesses it, and the guess is used only when confident: at least 64
   bytes, chaos at most 10 %, some language coherence, a charset news is written in (not a
   DOS or Mac code page), and a result that reads as text (no control characters, no
   box-drawing or other odd symbols). Otherwise the input is rejected as "not UTF-8",
   naming the first bad byte.

Example:
    >>> decode_bytes("Kyiv, Ukraine".encode("utf-8"))
    'Kyiv, Ukraine'
"""

from __future__ import annotations

import codecs
import re
import unicodedata

_BINARY_MAGIC = (
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"\x7fELF", "executable"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]"
    rb"|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_HIGH_BYTES = bytes(range(0x80, 0x100))
_NEWS_CHARSETS = frozenset(
    codecs.lookup(name).name
    for name in (
        *(f"cp{n}" for n in range(1250, 1259)),
        *(f"iso8859-{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14, 15, 16)),
        "koi8-r", "koi8-u", "cp874", "tis-620",
        "gb2312", "gbk", "gb18030", "big5", "big5hkscs", "shift_jis", "cp932", "euc-jp",
        "iso2022-jp", "euc-kr", "cp949",
    )
)  # fmt: skip
_TYPOGRAPHIC_SYMBOLS = frozenset("°±×÷©®™№§¶·‰′″¦¨¬¯´¸")
_MIN_DETECT_BYTES = 64
_MAX_CHAOS = 0.10
_MIN_COHERENCE = 0.05


def binary_kind(head: bytes) -> str | None:
    """What a binary file is, from its first bytes; None when it looks like text.

    Example:
        >>> binary_kind(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
        'PNG image'
        >>> binary_kind(b"Shelling in Kherson") is None
        True
    """
    if any(head.startswith(bom) for bom, _ in _BOMS if bom != codecs.BOM_UTF8):
        return None
    for magic, name in _BINARY_MAGIC:
        if head.startswith(magic):
            return name
    if b"\x00" in head[:8192]:
        return "binary data"
    return None


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """The text of ``data`` by the policy above; ``ValueError`` with the reason when it can't.

    Example:
        >>> decode_bytes("Kramatorsk caf\\u00e9 hit".encode("utf-8"))
        'Kramatorsk café hit'
        >>> decode_bytes(b"Kyiv caf\\xe9")
        Traceback (most recent call last):
        ...
        ValueError: not UTF-8 (byte 8 is 0xe9) and its charset cannot be detected with confidence
    """
    kind = binary_kind(data[:8192])
    if kind is not None:
        raise ValueError(f"binary file ({kind}), not text")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise ValueError(
                    f"not {codec.upper()} despite its byte-order mark (byte {exc.start})"
                ) from None
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: fall back to UTF-8 and detection
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        pos = exc.start
    bad = data[pos]
    if _looks_mixed(data):
        raise ValueError(
            f"mixed encodings: UTF-8 text with a byte that is not UTF-8 (0x{bad:02x}) at byte {pos}"
        )
    text = _detect(data)
    if text is None:
        raise ValueError(
            f"not UTF-8 (byte {pos} is 0x{bad:02x}) and its charset cannot be detected "
            "with confidence"
        )
    return text


def _looks_mixed(data: bytes) -> bool:
    """Whether data that fails as UTF-8 still holds real UTF-8: at least two well-formed
    multi-byte sequences, and at least one for every ten stray high bytes (a legacy-charset
    text makes such sequences only by accident: Windows-1251 "Ві" is the UTF-8 of "³")."""
    sequences = _UTF8_MULTIBYTE.findall(data)
    if len(sequences) < 2:
        return False
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    stray = high - sum(len(s) for s in sequences)
    return 10 * len(sequences) >= stray


def _detect(data: bytes) -> str | None:
    """The text in the charset charset-normalizer is confident about, or None.

    Only charsets news is written in count (Windows and ISO code pages, KOI8, the East Asian
    ones): DOS and Mac code pages "explain" any corrupt byte with a box-drawing sign. The
    result must read as text: no control or format characters, and no symbols beyond
    typographic ones (a ``■`` or ``├`` in a news text is a wrong guess).
    """
    if len(data) < _MIN_DETECT_BYTES:
        return None
    from charset_normalizer import from_bytes

    for match in from_bytes(data):
        if match.chaos > _MAX_CHAOS or match.coherence < _MIN_COHERENCE:
            continue
        try:
            if codecs.lookup(match.encoding).name not in _NEWS_CHARSETS:
                continue
            text = data.decode(match.encoding)
        except (LookupError, UnicodeDecodeError):
            continue
        if _reads_as_text(text):
            return text
    return None


def _reads_as_text(text: str) -> bool:
    for ch in set(text):
        if ch < "\x80":
            if ch < " " and ch not in "\t\n\r\f\v":
                return False
            continue
        category = unicodedata.category(ch)
        if category[0] in "LMPN" or category == "Zs" or category == "Sc":
            continue
        if ch not in _TYPOGRAPHIC_SYMBOLS:
            return False
    return True


def declared_charset(head: bytes) -> str | None:
    """The charset an HTML page declares in its first bytes (``<meta charset>``), if any.

    Example:
        >>> declared_charset(b'<html><head><meta charset="windows-1251">')
        'windows-1251'
    """
    m = re.search(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", head[:4096], re.I)
    return _valid_codec(m.group(1).decode("ascii")) if m else None


def charset_of_content_type(value: str | None) -> str | None:
    """The charset parameter of an HTTP ``Content-Type`` value, if any and known.

    Example:
        >>> charset_of_content_type("text/html; charset=UTF-8")
        'UTF-8'
    """
    if not value:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_:.-]+)", value, re.I)
    return _valid_codec(m.group(1)) if m else None


def _valid_codec(name: str) -> str | None:
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name
