"""The differential fuzz corpus: seeded expressions (fuzz_gen.py) with the values `terraform console` gives.

    python tests/fidelity/fuzz.py report [-v] [--save FILE]   # rescore xborder against the saved answers
    python tests/fidelity/fuzz.py record                       # re-record every seed (terraform on PATH; offline)
    python tests/fidelity/fuzz.py record --family config --seeds 1-30 [--per-seed 500]
    python tests/fidelity/fuzz.py record --family vars --seeds 1-4      # variables and tfvars (fuzz_vars.py)

`record` generates the expressions of each seed, evaluates them with `terraform console` (no providers,
no network: fidelity_oracle.run), re-runs alone every expression a batch reported a syntax error for (a
parse error in one local can be reported on another's line) and writes fuzz_corpus.jsonl.gz: a header line
(Terraform version, families and seeds), then one line per expression `[id, expression, kind, answer]`,
kind `json` (Terraform's jsonencode text), `error` (its diagnostic) or `unknown`. Without terraform it
records nothing and says so. `report` needs no terraform: it prints the disagreements per family and
class; test_fuzz_corpus.py fails on any that fuzz_known.py does not list.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import io
import json
import signal
import sys
import time
from pathlib import Path
from typing import Any, Iterator

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import fuzz_gen  # noqa: E402
from fidelity_oracle import AGREE, _env, run, terraform_bin, terraform_version, verdict, xborder_value  # noqa: E402

CORPUS = HERE / "fuzz_corpus.jsonl.gz"
FORMAT = 1
# HCL's parse diagnostics: Terraform reports them before evaluating anything, on the line where the parser
# noticed, which may belong to the next expression of the batch.
SYNTAX = ("Invalid expression", "Missing ", "Argument or block definition required", "Unclosed ",
          "Invalid character", "Unterminated ", "Extra characters", "Invalid multi-line string",
          "Invalid block definition", "Unexpected ", "Invalid attribute name", "Invalid template")
TIMEOUT = "timeout"


def load(path: Path | None = None) -> tuple[dict[str, Any], list[list[str]]]:
    """(header, entries) of the saved corpus (CORPUS unless `path`)."""
    path = path or CORPUS
    with gzip.open(path, "rt", encoding="utf-8") as f:
        lines = f.read().splitlines()
    header = json.loads(lines[0])
    if header.get("format") != FORMAT:
        raise SystemExit(f"{path.name}: format {header.get('format')!r}, expected {FORMAT}: re-record it")
    return header, [json.loads(ln) for ln in lines[1:]]


def save(header: dict[str, Any], entries: list[list[str]], path: Path | None = None) -> None:
    """Write the corpus deterministically (sorted entries, gzip without a timestamp)."""
    path = path or CORPUS
    entries = sorted(entries, key=lambda e: _order(e[0]))
    text = "\n".join([json.dumps(header, sort_keys=True)]
                     + [json.dumps(e, ensure_ascii=False, separators=(",", ":")) for e in entries]) + "\n"
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as g:
        g.write(text.encode("utf-8"))
    path.write_bytes(buf.getvalue())


def _order(cid: str) -> tuple[str, int, int]:
    seed, index = cid[1:].split(".")
    return cid[0], int(seed), int(index)


def recorded(entry: list[str]) -> dict[str, Any]:
    """An entry as fidelity_oracle.verdict reads a recorded answer."""
    _cid, expr, kind, answer = entry
    if kind == "unknown":
        return {"expr": expr, "unknown": True}
    return {"expr": expr, kind: answer}


def seeds_of(text: str) -> list[int]:
    """'1-30,40' -> [1..30, 40]."""
    out: list[int] = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


def expected_ids(header: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Every (id, expression) the header's families and seeds generate."""
    for family, seeds in sorted(header["families"].items(), key=lambda fs: fuzz_gen.FAMILIES[fs[0]]):  # (as saved)
        for seed in seeds:
            yield from fuzz_gen.expressions(family, seed, header["per_seed"], header["depth"])


# ---------------------------------------------------------------------------------------------
# record

def record(tf: str, items: list[tuple[str, str]], family: str = "classic") -> dict[str, list[str]]:
    """{id: [kind, answer]} from the console; a syntax error is confirmed by running the expression alone."""
    if family == "vars":
        import fuzz_vars

        return fuzz_vars.run(tf, items, _env())
    res = run(tf, items)
    for cid, expr in items:
        if res[cid].get("error", "").startswith(SYNTAX):
            res[cid] = run(tf, [(cid, expr)])[cid]
    out: dict[str, list[str]] = {}
    for cid, _expr in items:
        r = res[cid]
        out[cid] = ["json", r["json"]] if "json" in r else ["error", r["error"]] if "error" in r else ["unknown", ""]
    return out


def cmd_record(args: argparse.Namespace) -> int:
    tf = terraform_bin()
    if tf is None:
        print("terraform is not on PATH: nothing recorded (the saved corpus is unchanged)")
        return 0
    if CORPUS.exists():
        header, entries = load()
    else:
        header, entries = {"format": FORMAT, "families": {}, "per_seed": args.per_seed, "depth": 3}, []
    if args.per_seed != header["per_seed"] and CORPUS.exists() and args.seeds is not None:
        print("--per-seed differs from the corpus's: re-record every family", file=sys.stderr)
        return 2
    families = [args.family] if args.family else sorted(header["families"]) or sorted(fuzz_gen.FAMILIES)
    header["per_seed"] = args.per_seed
    header["terraform_version"] = terraform_version(tf)
    by_id = {e[0]: e for e in entries}
    t0 = time.monotonic()
    for family in families:
        seeds = seeds_of(args.seeds) if args.seeds else header["families"].get(family) or list(range(1, 31))
        for seed in seeds:
            items = fuzz_gen.expressions(family, seed, header["per_seed"], header["depth"])
            prefix = f"{fuzz_gen.FAMILIES[family]}{seed}."
            by_id = {k: v for k, v in by_id.items() if not k.startswith(prefix)}
            for cid, (kind, answer) in record(tf, items, family).items():
                by_id[cid] = [cid, dict(items)[cid], kind, answer]
            print(f"{family} seed {seed}: {len(items)} expressions ({time.monotonic() - t0:.0f}s)", flush=True)
        header["families"][family] = sorted(set(header["families"].get(family, [])) | set(seeds))
    save(header, list(by_id.values()))
    print(f"{len(by_id)} expressions in {CORPUS.name} ({CORPUS.stat().st_size:,} bytes), Terraform "
          f"{header['terraform_version']}, {time.monotonic() - t0:.0f}s")
    return 0


# ---------------------------------------------------------------------------------------------
# rescore

def _alarm(_sig: int, _frame: object) -> None:
    raise TimeoutError


def score(entry: list[str], seconds: int = 10) -> tuple[str, str]:
    """(verdict, xborder's value as text) for one saved expression; 'timeout' past `seconds`."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        if entry[0].startswith(fuzz_gen.FAMILIES["vars"]):
            import fuzz_vars

            return verdict(recorded(entry), fuzz_vars.xborder_case(entry[1]))
        return verdict(recorded(entry), xborder_value(entry[1]))
    except TimeoutError:
        return TIMEOUT, f"over {seconds}s"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def family_of(cid: str) -> str:
    return {p: f for f, p in fuzz_gen.FAMILIES.items()}[cid[0]]


def cmd_report(args: argparse.Namespace) -> int:
    import fuzz_known

    _header, entries = load()
    t0 = time.monotonic()
    counts: collections.Counter[tuple[str, str]] = collections.Counter()
    by_class: collections.Counter[tuple[str, str]] = collections.Counter()
    results = {}
    for e in entries:
        v, shown = score(e)
        counts[family_of(e[0]), v] += 1
        if v != AGREE:
            results[e[0]] = [v, shown]
            known = fuzz_known.KNOWN.get(e[0])
            by_class[v, known[1] if known and known[0] == v else "NOT LISTED"] += 1
            if args.v or not known or known[0] != v:
                print(f"{v:28} {e[0]:9} {e[1]!r:.300}\n    TF {e[2]}: {e[3][:200]}\n    XB {shown[:200]}")
    took = time.monotonic() - t0
    for family in sorted({f for f, _ in counts}):
        n = sum(c for (f, _), c in counts.items() if f == family)
        parts = ", ".join(f"{v} {c}" for (f, v), c in sorted(counts.items()) if f == family and v != AGREE)
        print(f"{family}: {n} expressions, agree {counts[family, AGREE]}; {parts or 'no disagreement'}")
    for (v, cls), c in sorted(by_class.items()):
        print(f"  {c:5} {v}: {cls}")
    print(f"rescored {len(entries)} in {took:.1f}s")
    if args.save:
        Path(args.save).write_text(json.dumps(results, ensure_ascii=False, sort_keys=True, indent=0), encoding="utf-8")
    return 0


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="fuzz.py", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("record", help="re-record Terraform's answers (needs terraform on PATH; offline)")
    r.add_argument("--family", choices=sorted(fuzz_gen.FAMILIES))
    r.add_argument("--seeds", help="e.g. 1-30 (default: the corpus's seeds of each family)")
    r.add_argument("--per-seed", type=int, default=500)
    s = sub.add_parser("report", help="rescore xborder against the saved answers (no terraform needed)")
    s.add_argument("-v", action="store_true", help="list the known differences too")
    s.add_argument("--save", help="write every disagreement as JSON to this file")
    args = p.parse_args(argv)
    return cmd_record(args) if args.cmd == "record" else cmd_report(args)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
