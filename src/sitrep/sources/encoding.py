"""Bytes to text by one rule, or a ``ValueError`` saying which step failed and where.

The rule, in order (the first step that applies decides):

1. NUL bytes in the first 8 kB, or a known magic number (PNG, PDF, gzip, ...), and no
   UTF-16/32 byte-order mark: a **binary file**, rejected.
2. A byte-order mark decides: UTF-8, UTF-16 or UTF-32 (bytes that break it: rejected).
3. Strict UTF-8.
4. Not UTF-8, but holding real UTF-8 (at least two well-formed multi-byte sequences, and
   one for every ten stray high bytes): **mixed encodings**, rejected. No single charset
   reads such a file right (a UTF-8 article with a pasted Windows-1252 paragraph).
5. A declared charset (an HTML ``<meta charset>``, an HTTP ``Content-Type``, an XML
   prolog's ``encoding``; ``iso-8859-1`` and ``ascii`` mean Windows-1252, as in browsers)
   is used when it decodes the bytes to text without control characters.
6. charset-normalizer's guess is used only when it is confident and reads as prose: at
   least 64 bytes, chaos at most 10 %, some language coherence, a charset news is written in
   (not a DOS or Mac code page), no control characters or odd symbols (``■``, ``˙``), and
   *words*: in a Latin-script text every accented letter stands in a word with unaccented
   letters (``tué``, ``Trümmer``), alone as a one-letter word (``à Kherson``), or in a word
   whose accented letters the text uses in such words too (Turkish ``üç`` beside
   ``düzenlediği``); a text with letters of another script (Cyrillic, Greek, ...) is mostly
   made of them. So ASCII prose with stray bytes (``killed \\xff\\xfe three``, read as
   ``killed ÿþ three``) is no Windows-1252 text, while a French or German report in
   Windows-1252 is. Among readings that pass the best wins (``_rank``): coherence less
   chaos (0.05 more for a Windows code page), then the most of the language's common
   letters, then Windows-1252.
7. Otherwise: rejected as **not UTF-8**, naming the offset and value of the first byte
   that is not UTF-8 and why steps 5 and 6 did not apply.

A stray byte *inside* a word (``thr\\xe9e``) is indistinguishable from an accented letter
and is read as one when the rest of the text is confidently Windows-1252.

Example:
    >>> decode_bytes("Kyiv, Ukraine".encode("utf-8"))
    'Kyiv, Ukraine'
    >>> decode_bytes(b"Shelling killed \\xff\\xfe three people near Kherson on Tuesday, "
    ...              b"officials said.")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: [E111] not UTF-8 (byte 16 is 0xff), no charset declared, and no charset detected ...
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitrep.errors import Errors

if TYPE_CHECKING:
    from charset_normalizer.models import CharsetMatch

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
#: Labels browsers read as Windows-1252 (the WHATWG Encoding Standard): pages that say
#: ISO-8859-1 or ASCII are written in Windows-1252 (curly quotes at 0x91-0x94).
_MEANS_WINDOWS_1252 = frozenset({codecs.lookup("latin-1").name, codecs.lookup("ascii").name})
_WINDOWS_CODE_PAGES = frozenset(codecs.lookup(f"cp{n}").name for n in range(1250, 1259))
_WINDOWS_1252 = codecs.lookup("cp1252").name
_WINDOWS_BONUS = 0.05
_TYPOGRAPHIC_SYMBOLS = frozenset("°±×÷©®™№§¶·‰′″¦¨¬¯´¸")
#: Letters outside the Latin blocks' names that belong with Latin text.
_LATIN_EXTRAS = frozenset("ªºµ")
#: What may follow a one-letter word ("à Kherson", "c'est-à-dire", "é."): a space or
#: punctuation that closes, never an opening bracket or a symbol.
_AFTER_ONE_LETTER = frozenset(".,;:!?)]}»”’\"'-–—…/")
#: A word (letters) holding a non-ASCII letter, and the character after it.
_ACCENTED_WORD = re.compile(r"(?<![^\W\d_])([^\W\d_]*[^\x00-\x7f\W\d_][^\W\d_]*)(.?)", re.S)
_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
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
    """The text of ``data`` by the rule above; ``ValueError`` saying why when it can't.

    ``declared`` is the charset the input declares (an HTTP header's, a ``<meta charset>``,
    an XML prolog's), if any.

    Example:
        >>> decode_bytes("Kramatorsk caf\\u00e9 hit".encode("utf-8"))
        'Kramatorsk café hit'
        >>> decode_bytes(b"Kyiv caf\\xe9")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: [E111] not UTF-8 (byte 8 is 0xe9), ... (too short to guess: 9 bytes, ...)
    """
    kind = binary_kind(data[:8192])
    if kind is not None:
        raise ValueError(Errors.E108.format(kind=kind))
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise ValueError(
                    Errors.E109.format(codec=codec.upper(), position=exc.start)
                ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        pos = exc.start
    bad = data[pos]
    not_utf8 = f"not UTF-8 (byte {pos} is 0x{bad:02x})"
    if _looks_mixed(data):
        raise ValueError(Errors.E110.format(byte=bad, position=pos))
    if declared:
        text, why = _decode_declared(data, declared)
        if text is not None:
            return text
        said = f"not the declared {declared} either ({why})"
    else:
        said = "no charset declared"
    guess = _detect(data)
    if guess.text is None:
        raise ValueError(Errors.E111.format(not_utf8=not_utf8, declared=said, why=guess.why))
    return guess.text


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


def _decode_declared(data: bytes, declared: str) -> tuple[str | None, str]:
    """The text in the declared charset, or None and why not."""
    try:
        codec = codecs.lookup(declared).name
    except LookupError:
        return None, "an unknown charset"
    if codec in _MEANS_WINDOWS_1252:
        codec = "cp1252"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        return None, f"byte {exc.start} is 0x{data[exc.start]:02x}"
    odd = _odd_character(text)
    if odd is not None:
        return None, f"it gives {odd}"
    return text, ""


@dataclass
class _Guess:
    text: str | None
    why: str = ""


def _detect(data: bytes) -> _Guess:
    """The text in the charset charset-normalizer is confident about, or why there is none.

    Only charsets news is written in count (Windows and ISO code pages, KOI8, the East Asian
    ones): DOS and Mac code pages "explain" any corrupt byte with a box-drawing sign. The
    result must read as prose (``_misreading``); the best-ranked reading that does is taken
    (``_rank``). The reason given is that of the best-ranked reading.
    """
    if len(data) < _MIN_DETECT_BYTES:
        return _Guess(None, f"too short to guess: {len(data)} bytes, at least "
                            f"{_MIN_DETECT_BYTES} needed")  # fmt: skip
    from charset_normalizer import from_bytes

    readings: list[tuple[tuple[float, int, bool], str, str]] = []
    for match in from_bytes(data):
        if match.chaos > _MAX_CHAOS or match.coherence < _MIN_COHERENCE:
            continue
        try:
            codec = codecs.lookup(match.encoding).name
            if codec not in _NEWS_CHARSETS:
                continue
            text = data.decode(match.encoding)
        except (LookupError, UnicodeDecodeError):
            continue
        readings.append((_rank(codec, match, text), match.encoding, text))
    first_why = ""
    for _, encoding, text in sorted(readings, key=lambda r: r[0], reverse=True):
        why = _misreading(text)
        if why is None:
            return _Guess(text)
        first_why = first_why or f"{encoding} would give {why}"
    return _Guess(None, first_why or "no guess is confident")


def _rank(codec: str, match: CharsetMatch, text: str) -> tuple[float, int, bool]:
    """How good a reading is: coherence less chaos (a little more for the Windows code
    pages), then how many of the language's common letters it holds, then Windows-1252.

    charset-normalizer often ties a charset with its cousins (Spanish 'ñ' as cp1250 'ń',
    Portuguese 'ã' as 'ă', Czech 'ř' as cp1252 'ø') though it names the language right; and
    news in a legacy charset is far more often in a Windows code page than in an ISO one,
    and most often in Windows-1252.
    """
    from charset_normalizer.constant import FREQUENCIES

    bonus = _WINDOWS_BONUS if codec in _WINDOWS_CODE_PAGES else 0.0
    common = {c for c in FREQUENCIES.get(match.language, ()) if not c.isascii()}
    held = sum(1 for c in common if c in text)
    return round(match.coherence - match.chaos + bonus, 3), held, codec == _WINDOWS_1252


def _odd_character(text: str) -> str | None:
    """The first character no news text holds (a control character, a box-drawing or
    other odd symbol), described; None when there is none."""
    for ch in sorted(set(text)):
        if ch < "\x80":
            if ch < " " and ch not in "\t\n\r\f\v":
                return f"the control character U+{ord(ch):04X}"
            continue
        category = unicodedata.category(ch)
        if category[0] in "LMPN" or category in ("Zs", "Sc") or ch in _TYPOGRAPHIC_SYMBOLS:
            continue
        if category[0] == "C":
            return f"the control character U+{ord(ch):04X}"
        return f"the symbol {ch!r}"
    return None


def _is_latin(ch: str) -> bool:
    return ch in _LATIN_EXTRAS or unicodedata.name(ch, "").startswith("LATIN")


def _misreading(text: str) -> str | None:
    """Why ``text`` is not a plausible reading of a news text, or None when it reads as one.

    Example:
        >>> _misreading("Trois civils ont été tués à Kherson.") is None
        True
        >>> _misreading("Shelling killed ÿþ three people.")
        "'ÿþ' (in 'killed ÿþ three'), which is no word"
    """
    odd = _odd_character(text)
    if odd is not None:
        return odd
    # each distinct word holding a non-ASCII letter, with the character after it, counted
    # (a long text repeats its words: 'déclaré' is checked once)
    words = Counter(_ACCENTED_WORD.findall(text))
    other_script = 0  # letters of a script other than Latin
    established: set[str] = set()  # accented letters seen in words with unaccented ones
    unproven: list[str] = []  # words of accented letters only
    for (token, after), count in words.items():
        for word in _letter_runs(token):
            foreign = sum(1 for c in word if not c.isascii() and not _is_latin(c))
            if foreign:
                other_script += foreign * count
                if foreign == len(word):
                    continue  # a word of that script; the share is checked below
            elif any(c.isascii() for c in word):
                established.update(c for c in word if not c.isascii())  # 'tué', 'Trümmer'
                continue
            elif len(word) == 1:
                if not after or after.isspace() or after in _AFTER_ONE_LETTER:
                    continue  # 'à Kherson'
                return _no_word(text, word, after)
            unproven.append(word)
    for word in unproven:
        if not set(word) <= established:  # Turkish 'üç' passes where 'düzenlediği' is
            return _no_word(text, word)
    if other_script:
        ascii_part = text.encode("ascii", "ignore")
        ascii_letters = len(ascii_part) - len(ascii_part.translate(None, _ASCII_LETTERS))
        if other_script <= ascii_letters:
            return f"{other_script} non-Latin letters among {ascii_letters} Latin ones"
    return None


def _letter_runs(token: str) -> list[str]:
    """The runs of letters in a word token holding a non-ASCII letter: the token itself,
    unless it holds a number sign such as '½' (a word character that is no letter)."""
    if token.isalpha():
        return [token]
    runs = "".join(c if c.isalpha() else " " for c in token).split()
    return [run for run in runs if not run.isascii()]


def _no_word(text: str, word: str, after: str = "") -> str:
    """The reason naming a misread ``word`` (followed by ``after``), shown where it first
    stands in the text."""
    m = re.search(rf"(?<![^\W\d_]){re.escape(word + after)}", text)
    start = m.start() if m else 0
    end = start + len(word)
    shown = " ".join(text[max(0, start - 12) : end + 12].split()[1:-1]) or word
    return f"{word!r} (in {shown!r}), which is no word"


def declared_charset(head: bytes) -> str | None:
    """The charset a page or feed declares in its first bytes (an HTML ``<meta charset>``
    or ``http-equiv`` Content-Type, an XML prolog's ``encoding``), if any and known.

    Example:
        >>> declared_charset(b'<html><head><meta charset="windows-1251">')
        'windows-1251'
        >>> declared_charset(b'<?xml version="1.0" encoding="ISO-8859-1"?><rss>')
        'ISO-8859-1'
    """
    prolog = re.match(rb"""\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_:.-]+)""", head[:1024])
    if prolog:
        return _valid_codec(prolog.group(1).decode("ascii"))
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
