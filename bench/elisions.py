"""False-positive rate of the `elided_words` flag on clean prose (BBC corpus), and a hit on the seed.

    python bench/elisions.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.normalise.quality import suspected_elisions  # noqa: E402 - after the path set-up
from ingest.parse.encoding import decode  # noqa: E402


def main() -> int:
    seed = ROOT / "seeds" / "000_c4ea0415e5f2f1cc.txt"
    print(f"seed: {suspected_elisions(seed.read_text('utf-8'))} suspected holes (flag needs 2)")
    files = sorted((ROOT.parent / "shared" / "corpus" / "bbc").glob("*/*.txt"))
    flagged = [f for f in files if suspected_elisions(decode(f.read_bytes(), str(f))) >= 2]
    print(f"bbc: {len(flagged)} of {len(files)} flagged = {len(flagged) / max(1, len(files)):.4f}")
    for path in flagged:
        print(f"  {path.relative_to(ROOT.parent)}")
    return 0


if __name__ == "__main__":
    from ingest.logs import quiet_third_party

    quiet_third_party()  # an entry point: the library leaves logging alone
    raise SystemExit(main())
