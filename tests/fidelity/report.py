"""Print the fidelity figure: xborder against the recorded Terraform values (or a fresh oracle run).

    python tests/fidelity/report.py [--oracle] [-v]
"""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fidelity_cases import VAR_PREAMBLE  # noqa: E402
from fidelity_oracle import AGREE, verdict, xborder_module_value, xborder_value  # noqa: E402


def value_of(cid: str, expr: str) -> object:
    return xborder_module_value(expr, VAR_PREAMBLE) if cid.startswith("var.") else xborder_value(expr)


def compare(recorded: dict[str, dict]) -> dict[str, tuple[str, str]]:
    return {cid: verdict(r, value_of(cid, r["expr"])) for cid, r in sorted(recorded.items())}


def main(argv: list[str]) -> int:
    recorded = json.loads((HERE / "recorded.json").read_text(encoding="utf-8"))["cases"]
    results = compare(recorded)
    counts = collections.Counter(v for v, _ in results.values())
    for cid, (v, shown) in results.items():
        if v != AGREE and ("-v" in argv or v != "unknown"):
            r = recorded[cid]
            tf = r.get("json", r.get("error", "unknown"))
            print(f"{v:30} {cid:22} {r['expr']!r:60.60} TF={tf[:80]!s:80} XB={shown[:100]}")
    n = len(results)
    print(f"{n} expressions: " + ", ".join(f"{k} {c}" for k, c in counts.most_common())
          + f"; agree {100 * counts[AGREE] / n:.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
