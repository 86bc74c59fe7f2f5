"""The wire agency behind a story, from its byline or its dateline.

Syndicated copy names its agency in a few fixed places: the byline ("By AFP", "By The
Associated Press", an author field "Reuters"), the dateline that opens the text ("KYIV (AP) —",
"LONDON, Dec 18 (Reuters) -", "By AFP" as the first line) or a sign-off at the end ("— AFP",
"© 2024 Reuters"). Only those places count: an agency named in the body ("Reuters reported")
is a source, not the story's wire.

Example:
    >>> find_wire(text="KYIV, Ukraine (AP) — Russian drones struck the capital overnight.")
    'AP'
"""

from __future__ import annotations

import re

#: Canonical agency name -> the ways it is written (case-sensitive; all-caps added for long ones).
AGENCIES: dict[str, tuple[str, ...]] = {
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse"),
    "AP": ("AP", "Associated Press", "The Associated Press"),
    "Reuters": ("Reuters", "Thomson Reuters"),
    "Xinhua": ("Xinhua",),
    "TASS": ("TASS", "Tass", "ITAR-TASS"),
    "RIA Novosti": ("RIA Novosti",),
    "Interfax-Ukraine": ("Interfax-Ukraine",),
    "Interfax": ("Interfax",),
    "Ukrinform": ("Ukrinform",),
    "UNIAN": ("UNIAN",),
    "dpa": ("dpa", "DPA", "Deutsche Presse-Agentur"),
    "EFE": ("EFE",),
    "ANSA": ("ANSA",),
    "Anadolu": ("Anadolu Agency", "Anadolu"),
    "UPI": ("UPI", "United Press International"),
    "Kyodo": ("Kyodo News", "Kyodo"),
    "Yonhap": ("Yonhap",),
    "PTI": ("PTI", "Press Trust of India"),
    "Bloomberg": ("Bloomberg",),
}

_NAME_TO_AGENCY: dict[str, str] = {}
for _agency, _names in AGENCIES.items():
    for _name in _names:
        _NAME_TO_AGENCY[_name] = _agency
        if len(_name) > 4:
            _NAME_TO_AGENCY[_name.upper()] = _agency
_ALT = "|".join(re.escape(n) for n in sorted(_NAME_TO_AGENCY, key=len, reverse=True))
_NAME = rf"(?<![\w-])(?:[Tt]he\s+)?({_ALT})(?![\w-])"
_DASH = r"(?:-{1,2}|\u2014|\u2013|:)"

_BYLINE = re.compile(_NAME)
_HEAD_PATTERNS = (
    re.compile(rf"(?m)^\s*[Bb][Yy]\s+{_NAME}"),  # "By AFP" opening the text
    re.compile(rf"\(\s*{_NAME}\s*\)\s*{_DASH}"),  # "KYIV (AP) —", "(Reuters) -"
)
_TAIL_PATTERNS = (
    re.compile(rf"(?:\u00a9|\([Cc]\)|Copyright)\s*(?:\d{{4}}\s+)?{_NAME}"),  # "© 2024 Reuters"
    re.compile(rf"(?m)^\s*{_DASH}?\s*\(?{_NAME}\)?\s*\.?\s*\Z"),  # a last line "— AFP"
)
_HEAD_CHARS = 400
_TAIL_CHARS = 300


def find_wire(byline: str | None = None, text: str | None = None) -> str | None:
    """The wire agency named by the byline, else by the text's dateline or sign-off.

    Example:
        >>> find_wire(byline="By AFP")
        'AFP'
        >>> find_wire(text="LONDON, Dec 18 (Reuters) - Ukraine said on Wednesday ...")
        'Reuters'
        >>> find_wire(text="Officials told Reuters that two soldiers were killed.") is None
        True
    """
    if byline:
        m = _BYLINE.search(byline)
        if m:
            return _NAME_TO_AGENCY[m.group(1)]
    if not text:
        return None
    head = text[:_HEAD_CHARS]
    for pattern in _HEAD_PATTERNS:
        m = pattern.search(head)
        if m:
            return _NAME_TO_AGENCY[m.group(1)]
    tail = text[-_TAIL_CHARS:].rstrip()
    for pattern in _TAIL_PATTERNS:
        m = pattern.search(tail)
        if m:
            return _NAME_TO_AGENCY[m.group(1)]
    return None
