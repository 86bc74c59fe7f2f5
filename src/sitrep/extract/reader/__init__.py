"""The claim reader: learned heads that read what the rules leave open.

* ``whose``: the candidate parties of a victim count and what the head reads of them;
* ``kind``: what the kind head reads of a claim's number (its kind, or no claim);
* ``scope``: what the scope head reads of a claim (incident, period or running total);
* ``model``: the shipped weights and their scoring;
* ``decide``: the choices, with their reasons.

Training lives in ``sitrep.train.whose``, ``sitrep.train.kind`` and ``sitrep.train.scope``.
"""
