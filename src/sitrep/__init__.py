"""sitrep: who claims what in conflict news, with the evidence for every field."""

__version__ = "0.1.0"
