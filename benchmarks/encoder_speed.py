"""Speed of the cue encoder: the former numpy forward pass vs ONNX Runtime fp32 vs int8.

Same paragraphs for every variant (the first ``--paragraphs`` paragraphs of
``news_dev_pool.jsonl``, split on blank lines, words as spaCy's blank English tokenizer cuts
them), the same batching (``CueScorer.word_logits``). For each thread count a fresh process
runs the variants in turn, ``--repeats`` rounds (interleaved, so that load from other
processes falls on all alike), and the median words per second is printed with its ratio to
numpy's. The numpy pass is read from git history (``--numpy-from``, the last commit that had
it), since the package no longer carries it; BLAS gets the same thread count as ONNX
Runtime. int8 is ``onnxruntime.quantization.quantize_dynamic`` over the linear layers'
weights (uint8, per tensor); its logits are compared with fp32's (largest difference, and
whether each paragraph's top word stays the same).

Run: .venv/bin/python benchmarks/encoder_speed.py [--data ../shared] [--paragraphs 300]
     [--repeats 3] [--threads 1 2] [--numpy-from ee15e73] [--no-int8]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NUMPY_COMMIT = "ee15e73"  # the last commit whose encoder.py ran the forward pass in numpy


def paragraphs(data: Path, count: int) -> list[list[str]]:
    """The words of the first ``count`` paragraphs of the news pool."""
    import spacy

    nlp = spacy.blank("en")
    out: list[list[str]] = []
    with (data / "data" / "news_dev_pool.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            for para in json.loads(line)["text"].split("\n\n"):
                if para.strip():
                    out.append([t.text for t in nlp(para.strip())])
                if len(out) == count:
                    return out
    return out


def numpy_scorer(commit: str) -> Any:
    """The numpy cue scorer of ``commit``, loaded from git as a module of its own."""
    source = subprocess.run(
        ["git", "show", f"{commit}:src/sitrep/extract/encoder.py"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    module = types.ModuleType("sitrep_numpy_encoder")
    exec(compile(source, f"{commit}:encoder.py", "exec"), module.__dict__)  # noqa: S102
    return module.load_cue_scorer()


def int8_scorer(threads: int) -> Any:
    """The shipped encoder with its linear layers' weights quantised to uint8."""
    import numpy as np
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from sitrep.extract import encoder as enc

    with np.load(enc.data_path(enc.ENCODER_FILE)) as top:
        model = enc.cue_encoder_graph({k: top[k] for k in top.files}).inlined()
    dims = {i.name: len(i.dims) for i in model.graph.initializer}
    linear = [n.name for n in model.graph.node
              if n.op_type == "MatMul" and dims.get(n.input[1]) == 2]
    path = Path(tempfile.mkdtemp()) / "encoder_int8.onnx"
    quantize_dynamic(model, path, nodes_to_quantize=linear, weight_type=QuantType.QUInt8)
    return enc.CueScorer(enc.load_word_pieces(), enc.session(str(path), threads))


def child(args: argparse.Namespace) -> None:
    """One thread count: time every variant, print one JSON line."""
    import numpy as np

    from sitrep.extract.encoder import EncoderOptions, load_cue_scorer

    docs = paragraphs(args.data, args.paragraphs)
    words = sum(len(d) for d in docs)
    variants: dict[str, Callable[[Sequence[Sequence[str]]], list[Any]]] = {}
    if args.numpy_from:
        variants["numpy"] = numpy_scorer(args.numpy_from).word_logits
    fp32 = load_cue_scorer(EncoderOptions(threads=args.threads))
    assert fp32 is not None
    variants["onnx fp32"] = fp32.word_logits
    if not args.no_int8:
        variants["onnx int8"] = int8_scorer(args.threads).word_logits
    logits = {name: run(docs[:20]) for name, run in variants.items()}  # warm-up
    seconds: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(args.repeats):
        for name, run in variants.items():
            start = time.perf_counter()
            logits[name] = run(docs)
            seconds[name].append(time.perf_counter() - start)
    ref = logits["onnx fp32"]
    agreement = {
        name: {
            "max_abs_diff": float(max(np.abs(a - b).max() for a, b in zip(z, ref, strict=True))),
            "same_argmax": sum(int(a.argmax() == b.argmax()) for a, b in zip(z, ref, strict=True)),
        }
        for name, z in logits.items()
    }
    print(json.dumps({"threads": args.threads, "paragraphs": len(docs), "words": words,
                      "seconds": seconds, "vs_fp32": agreement}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--paragraphs", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--numpy-from", default=NUMPY_COMMIT,
                        help="git commit of the numpy encoder ('' to leave it out)")
    parser.add_argument("--no-int8", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.threads = args.threads[0]
        child(args)
        return
    print(f"median of {args.repeats} runs; other processes may share these cores")
    print(f"{'threads':>7} {'variant':<10} {'words/s':>9} {'vs numpy':>9} "
          f"{'max |dz| vs fp32':>17} {'same top word':>14}")
    for threads in args.threads:
        # BLAS reads its thread count when numpy loads: one process per thread count.
        env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads))
        cmd = [sys.executable, __file__, "--child", "--threads", str(threads),
               "--data", str(args.data), "--paragraphs", str(args.paragraphs),
               "--repeats", str(args.repeats), "--numpy-from", args.numpy_from]
        if args.no_int8:
            cmd.append("--no-int8")
        out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True, cwd=ROOT)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        speed = {name: result["words"] / statistics.median(s)
                 for name, s in result["seconds"].items()}
        for name, wps in speed.items():
            ratio = f"{wps / speed['numpy']:.2f}x" if "numpy" in speed else "-"
            agree = result["vs_fp32"][name]
            print(f"{threads:>7} {name:<10} {wps:>9.0f} {ratio:>9} "
                  f"{agree['max_abs_diff']:>17.1e} "
                  f"{agree['same_argmax']:>7}/{result['paragraphs']}")
    print(f"({result['paragraphs']} paragraphs, {result['words']} words)")


if __name__ == "__main__":
    main()
