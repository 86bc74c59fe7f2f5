"""Add int8 smoothing's calibration to the shipped cue encoder weights, without retraining.

``sitrep train-attribution`` writes each linear layer's largest inputs
(``sitrep.train.encoder.activation_maxima``) into ``attribution_encoder.npz``; this computes
the same from the same PolNeAR train paragraphs for weights trained before it did, and
rewrites the file with them (the other arrays unchanged).

Run: .venv/bin/python scripts/encoder_act_max.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from sitrep.extract.encoder import ENCODER_FILE
from sitrep.extract.lexicon import data_path
from sitrep.extract.pipeline import load_pipeline
from sitrep.train.encoder import activation_maxima, calibration_words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    args = parser.parse_args()
    path = data_path(ENCODER_FILE)
    with np.load(path) as stored:
        weights = {k: stored[k] for k in stored.files if not k.startswith("act_max.")}
    with (args.shared / "data" / "polnear_attribution_train.jsonl").open() as fh:
        texts = [json.loads(line)["text"] for line in fh]
    words = calibration_words(texts, load_pipeline().tokenizer)
    weights.update(activation_maxima(weights, words))
    with path.open("wb") as fh:
        np.savez(fh, **weights)
    layers = sum(k.startswith("act_max.") for k in weights)
    print(f"{path}: {len(words)} paragraphs calibrate {layers} linear layers")


if __name__ == "__main__":
    main()
