"""The subject rules' word lists (``actors.json`` ``subject_rules``) and the belligerents
the data knows."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sitrep.extract.actors.tables import _DATA_FILE
from sitrep.extract.lexicon import load_data


@dataclass(frozen=True)
class _SubjectRules:
    agent_verbs: frozenset[str]
    target_preps: frozenset[str]
    owner_verbs: frozenset[str]  # a count of people their object may be their subject's own
    host_verbs: frozenset[str]  # the displaced their object are given refuge by their subject
    reporting_verbs: frozenset[str]
    owner_preps: frozenset[str]
    side_nouns: frozenset[str]
    quantity_nouns: frozenset[str]
    counter_nouns: frozenset[str]
    pronouns: frozenset[str]
    first_person: frozenset[str]
    adversaries: dict[str, str]  # speaker's country -> the country of "the enemy"
    transfer_verbs: frozenset[str]
    aid_nouns: frozenset[str]
    recipient_preps: frozenset[str]
    attack_words: frozenset[str]
    attack_target_preps: frozenset[str]
    attack_doer_preps: frozenset[str]
    attack_counts: frozenset[str]
    launch_verbs: frozenset[str]  # arms their participle's "by" agent sent are that agent's


def belligerents() -> frozenset[str]:
    """Countries at war in the wars the data knows (``subject_rules.adversaries``: each
    side's enemy): a count of their people harmed is their side's losses.

    Example:
        >>> sorted(belligerents())
        ['IL', 'LB', 'PS', 'RU', 'UA']
    """
    sides = _subject_rules().adversaries
    return frozenset(sides) | frozenset(sides.values())


def adversary_of(country: str | None) -> str | None:
    """The one clear adversary of a belligerent (``subject_rules.adversaries``), or None:
    whose "the enemy" is in that side's own words.

    Example:
        >>> adversary_of("UA"), adversary_of("US")
        ('RU', None)
    """
    return _subject_rules().adversaries.get(country) if country else None


def enemies_of(country: str | None) -> frozenset[str]:
    """Every country at war with ``country`` in the wars the data knows: its one clear
    adversary, and those that name it theirs (Israel's are the Palestinians and Lebanon).

    Example:
        >>> sorted(enemies_of("IL")), sorted(enemies_of("RU")), sorted(enemies_of("US"))
        (['LB', 'PS'], ['UA'], [])
    """
    if not country:
        return frozenset()
    sides = _subject_rules().adversaries
    found = {side for side, enemy in sides.items() if enemy == country}
    if country in sides:
        found.add(sides[country])
    return frozenset(found)


@lru_cache(maxsize=1)
def _subject_rules() -> _SubjectRules:
    r = load_data(_DATA_FILE)["subject_rules"]
    return _SubjectRules(
        adversaries={k.upper(): v.upper() for k, v in r["adversaries"].items()},
        # the nouns whose value a number gives, as the kinds read them ("the number of ...")
        counter_nouns=frozenset(load_data("kinds.json")["implicit_one"]["not_counted_by"]),
        **{
            k: frozenset(w.lower() for w in r[k])
            for k in (
                "agent_verbs",
                "target_preps",
                "owner_verbs",
                "host_verbs",
                "reporting_verbs",
                "owner_preps",
                "side_nouns",
                "quantity_nouns",
                "pronouns",
                "first_person",
                "transfer_verbs",
                "aid_nouns",
                "recipient_preps",
                "attack_words",
                "attack_target_preps",
                "attack_doer_preps",
                "attack_counts",
                "launch_verbs",
            )
        }
    )
