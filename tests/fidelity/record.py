"""Record what Terraform gives for every expression of the fidelity suite.

    python tests/fidelity/record.py        # needs `terraform` on PATH; offline, no providers

Writes tests/fidelity/recorded.json: the Terraform version and, per case id, the expression and
Terraform's result (`json`: its jsonencode text, `error`: its diagnostic, or `unknown`).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fidelity_cases import VAR_PREAMBLE, cases, var_cases  # noqa: E402
from fidelity_oracle import run, terraform_bin, terraform_version  # noqa: E402


NONDETERMINISTIC = {"timestamp", "plantimestamp", "uuid", "bcrypt", "abspath", "pathexpand"}


def main() -> int:
    tf = terraform_bin()
    if tf is None:
        print("terraform is not on PATH", file=sys.stderr)
        return 2
    items = cases()
    t0 = time.monotonic()
    results = run(tf, items)
    results.update(run(tf, var_cases(), VAR_PREAMBLE))
    items = items + var_cases()
    for cid, expr in items:  # values that change on every run are not facts to compare
        if expr.split("(")[0] in NONDETERMINISTIC and "json" in results[cid]:
            results[cid] = {"nondeterministic": True}
    data = {
        "terraform_version": terraform_version(tf),
        "cases": {cid: {"expr": expr, **results[cid]} for cid, expr in items},
    }
    (HERE / "recorded.json").write_text(json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                                        encoding="utf-8")
    errs = sum(1 for r in results.values() if "error" in r)
    print(f"{len(items)} cases recorded ({errs} Terraform errors) in {time.monotonic() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
