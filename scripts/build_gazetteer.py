"""Build sitrep's compact gazetteer (``src/sitrep/extract/data/gazetteer_ua_ru.json.gz``).

Reads GeoNames' Ukraine dump and Russian postal places from the shared data folder and writes
the package's gazetteer (see ``sitrep.extract.places.geonames``). Run from the project root:

    python scripts/build_gazetteer.py [--shared ../shared] [--out PATH]

or ``make gazetteer``. The output is the same bytes for the same input.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sitrep.extract.lexicon import load_data
from sitrep.extract.places.geonames import DATA_FILE, build, write


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--out", type=Path,
                    default=Path("src/sitrep/extract/data") / DATA_FILE)
    args = ap.parse_args(argv)
    folder = args.shared / "data" / "gazetteer"
    ua, ru = folder / "geonames_UA.zip", folder / "geonames_postal_RU.zip"
    for p in (ua, ru):
        if not p.is_file():
            print(f"missing {p}", file=sys.stderr)
            return 2
    postal = set(load_data("places.json")["gazetteer"]["postal_ru_admin1"])
    t0 = time.perf_counter()
    data = build(ua, ru, postal)
    write(data, args.out)
    n = len(data["places"]["name"])
    by_cc = {cc: data["places"]["cc"].count(cc) for cc in sorted(set(data["places"]["cc"]))}
    print(f"{args.out}: {n} places {by_cc}, {len(data['admin2'])} raions, "
          f"{args.out.stat().st_size / 1e6:.2f} MB, {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
