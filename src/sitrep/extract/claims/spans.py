"""Small helpers on spans: article coordinates, containment, the number token of a span."""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from sitrep.model import (
    Actor,
    Place,
    Quantity,
    TimeSpan,
)

_R = TypeVar("_R", Quantity, Actor, Place, TimeSpan)


def _shift(obj: _R, off: int) -> _R:
    """A copy of a record with its offsets moved from paragraph to article coordinates."""
    if off == 0:
        return obj
    return replace(obj, start=obj.start + off, end=obj.end + off)


def _contains(outer: tuple[int, int], inner: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _number_token(span: SpacySpan) -> Token:
    """The number itself, not the span's syntactic root: in "up to 945 Ukrainian soldiers"
    the root is "up" (a particle of the verb) while "945" is what modifies the noun."""
    nums = [t for t in span if t.like_num or t.pos_ == "NUM"]
    return nums[-1] if nums else span.root
