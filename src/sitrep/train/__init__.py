"""Training the models ``sitrep.extract`` ships (``make train``): the attribution model and
its cue encoder (``attribution.py``, ``encoder.py``). Nothing here runs at extraction time;
torch is needed for fine-tuning only, so it is not in the lock.

Example:
    >>> import sitrep.train
    >>> sitrep.train.__name__
    'sitrep.train'
"""
