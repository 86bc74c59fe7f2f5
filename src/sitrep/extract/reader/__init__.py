"""The claim reader: learned heads that read what the rules leave open.

* ``whose``: the candidate parties of a victim count and what the head reads of them;
* ``model``: the shipped weights and their scoring;
* ``decide``: the choice, with its reason.

Training lives in ``sitrep.train.whose``.
"""
