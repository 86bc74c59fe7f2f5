"""A regex alternation of many literal words, written as a trie.

``"|".join(words)`` with the longest words first makes Python's regex engine try every word
in turn at every position of the text: with a few hundred place-name stems that is most of
the cost of scanning an article. The trie form (``Don(?:bas|etsk)``) tries one branch per
character instead and matches exactly the same texts in the same order of preference: the
words that match at one position are prefixes of one another, and both forms try the
longest of them first (the trie's optional tails are greedy), so backtracking into a shorter
word happens in the same order too.

Example:
    >>> literal_alternation(["donetsk", "don", "donbas", "kyiv"])
    '(?:don(?:bas|etsk)?|kyiv)'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""  # the key that marks the end of a word in a trie node

Trie = dict[str, "Trie"]


def literal_alternation(words: Iterable[str]) -> str:
    """A non-capturing regex matching any of ``words`` (literal strings), longest first.

    With ``re.IGNORECASE``, give the words in one case: two spellings of one word would be
    two branches, and the longest-first order holds within a branch, not across them.

    Example:
        >>> pat = re.compile(r"\\b" + literal_alternation(["kharkiv", "kherson"]) + r"\\b")
        >>> [m.group() for m in pat.finditer("kherson and kharkiv, not kharkivska")]
        ['kherson', 'kharkiv']
    """
    root: Trie = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[_END] = {}
    return "(?:" + "|".join(_branches(root)) + ")" + ("?" if _END in root else "")


def _branches(node: Trie) -> list[str]:
    """One regex per next character: the character, then the rest of the words below it."""
    out: list[str] = []
    for ch, kid in sorted(node.items()):
        if ch == _END:
            continue
        below = _branches(kid)
        if not below:
            out.append(re.escape(ch))
            continue
        rest = below[0] if len(below) == 1 else "(?:" + "|".join(below) + ")"
        if _END in kid:
            # A word ends here and longer ones go on: the greedy "?" tries the longer first.
            rest = (rest if len(below) > 1 else "(?:" + rest + ")") + "?"
        out.append(re.escape(ch) + rest)
    return out
