"""``python -m sitrep.train.attribution TRAIN.jsonl OUT.json [DEV.jsonl]``."""

from sitrep.train.attribution import main

main()
