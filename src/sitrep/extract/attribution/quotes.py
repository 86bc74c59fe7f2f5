"""Quoted passages of a paragraph (``quote_regions``) and the quote that touches a cue.

Part of ``sitrep.extract.attribution`` (see its docstring).
"""

from __future__ import annotations

from sitrep.extract.attribution.lexicon import _lexicon


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Character spans of quoted passages, quote marks included.

    The marks are data (``quote_marks`` in ``attribution.json``): straight and curly double
    quotes, guillemets and the doubled apostrophe (``''``) some papers print.

    Example:
        >>> quote_regions('He said "no" and left.')
        [(8, 12)]
        >>> quote_regions("''We won,'' he said.")
        [(0, 11)]
        >>> quote_regions("A 12'' gun fired. We won, he said: \\"Go.\\"")
        [(35, 40)]
    """
    lex = _lexicon()
    marks = lex["quote_marks"]
    open_re = lex["quote_open_re"]
    regions: list[tuple[int, int]] = []
    i = 0
    n = len(text)
    while i < n:
        m = open_re.search(text, i)
        if m is None:
            break
        i = m.start()
        mark = marks[m.group()]
        opening, close, run_on = mark
        j = text.find(close, i + len(opening))
        if j == -1:
            # A quote left open runs to the paragraph end (news style for a quote that
            # goes on in the next paragraph): always for marks that differ from their
            # closing one, for the others only when the quote opens the paragraph.
            if run_on or not text[:i].strip():
                regions.append((i, n))
                break
            i = m.end()  # a stray mark (an inch sign, an apostrophe): look on past it
            continue
        regions.append((i, j + len(close)))
        i = j + len(close)
    return regions


def _touching_chars(
    text: str, left: int, right_end: int, regions: list[tuple[int, int]]
) -> tuple[int, int] | None:
    close_re = _lexicon()["close_re"]
    # The gaps are measured before they are sliced: whole articles come as one paragraph,
    # and slicing the text from every quote to every cue would copy it over and over.
    for start, end in regions:
        if end <= left:
            # "..." X said  /  "...," X said
            if left - end <= 3 and text[end:left].strip(" ,") == "":
                return start, end
            # close_re holds no anchors: matching in place is matching the slice
            if close_re.fullmatch(text, end - 1, left):
                return start, end
        # X said: "..."  /  X said, "..."
        if start >= right_end and start - right_end <= 4:
            if text[right_end:start].strip(" ,:") == "":
                return start, end
    return None


def _inside(pos: int, regions: list[tuple[int, int]]) -> tuple[int, int] | None:
    for start, end in regions:
        if start <= pos < end:
            return start, end
    return None
