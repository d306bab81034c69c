"""Differential test of the caches: after every random edit of a tree, a scan that keeps its cache directory across
edits must print exactly what a `--no-cache -j 1` scan prints (stdout, stderr, exit code).

A stale cached answer is a silent pass, so the edits aim at what the caches key on: file contents changed to the
same size with the modification time put back, modification times alone, files added, removed and renamed,
symbolic links retargeted, module sources, `.terraform/modules/modules.json` versions, variable defaults, tfvars
values, `TF_VAR_` variables and `--var`, `.xborder.yaml` sites, approvals, `exclude:` and `max_approval_days` (with
`XBORDER_TODAY` moving), netplan groups, CloudFormation nested stacks and a parameters file outside the scanned
folders, a Terraform plan JSON, `--diff-base` against commits of the tree (a real git repository; `git` CLI), and
files replaced by FIFOs (refused by the walk, never opened: a read would hang the scan until the run's timeout).

The whole-scan entry trusts a file's metadata signature only when the file had not changed for 2 s before the
scan began. Waiting 2 s after each edit would make the run slow, so each scan runs with its clock moved ahead
(`XBFUZZ_AHEAD_NS`): files edited since the last scan look old enough to be trusted. The advance grows by 3 s on
most steps; on the others it stays, so files edited just before the scan are still "young" (re-hashed).

Run long: `python tests/perf/cache_fuzz.py --seed 1 --steps 300` (prints the first difference and stops).

Each later edit was shown to find a stale answer once, by breaking the cache on purpose (not kept): `today` moving
(with `XBORDER_TODAY` left out of the whole-scan key), a "setting" edit of `exclude:` alone (with the key built from
the files before `exclude:` and without the configuration's digest; either one alone is still caught), a parameters
file edit (with templates claiming to read nothing, so a whole-scan entry is kept, and the parameters file left out
of the key; the first alone is still caught), a same-size plan edit (with plans claiming to read nothing and the
change time ignored), a commit under `--diff-base HEAD` (with the base revision's findings kept under the revision's
name). Today no whole-scan entry is kept for a scan of templates or plans and `--diff-base` keeps nothing: those
edits guard against a cache added later.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# the command under a clock moved ahead by XBFUZZ_AHEAD_NS (the process and its forked workers)
RUNNER = (
    "import os, sys, time\n"
    "_ahead = int(os.environ.get('XBFUZZ_AHEAD_NS', '0'))\n"
    "if _ahead:\n"
    "    _real = time.time_ns\n"
    "    time.time_ns = lambda: _real() + _ahead\n"
    "    _rt = time.time\n"
    "    time.time = lambda: _rt() + _ahead / 1e9\n"
    "if os.environ.get('XBFUZZ_BREAK'):  # the fuzzer's own check: a cache that ignores change times must be caught\n"
    "    from operator import attrgetter\n"
    "    from xborder import scancache\n"
    "    scancache.signature = attrgetter('st_size', 'st_mtime_ns', 'st_ino', 'st_dev')\n"
    "from xborder.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)

VPN_MODULE = """\
variable "peer" {
  type    = string
  default = "203.186.1.1"
}
resource "aws_customer_gateway" "cgw" {
  bgp_asn    = 65000
  ip_address = var.peer
  type       = "ipsec.1"
}
resource "aws_vpn_connection" "this" {
  customer_gateway_id = aws_customer_gateway.cgw.id
  vpn_gateway_id      = "vgw-1"
  type                = "ipsec.1"
}
"""

ROOT_MAIN = """\
provider "aws" {
  region = var.region
}
module "vpn" {
  source = "../../modules/vpn"
  peer   = var.peer
}
module "reg" {
  source  = "example-corp/vpn/aws"
  version = "~> 2.0"
  peer    = "58.247.0.30"
}
# xborder:ignore XB101 reason="lab" until=2030-01-01
resource "aws_customer_gateway" "direct" {
  bgp_asn    = 65001
  ip_address = "8.8.8.8"
  type       = "ipsec.1"
}
resource "aws_vpn_connection" "direct" {
  customer_gateway_id = aws_customer_gateway.direct.id
  vpn_gateway_id      = "vgw-2"
  type                = "ipsec.1"
}
"""

ROOT_VARS = """\
variable "region" {
  type    = string
  default = "cn-north-1"
}
variable "peer" {
  type    = string
  default = "203.186.1.1"
  validation {
    condition     = contains(["203.186.1.1", "58.247.0.30", "8.8.8.8"], var.peer)
    error_message = "a known peer"
  }
}
"""

MODULES_JSON = {"Modules": [{"Key": "", "Source": "", "Dir": "."},
                            {"Key": "reg", "Source": "registry.terraform.io/example-corp/vpn/aws",
                             "Version": "2.1.0", "Dir": ".terraform/modules/reg"}]}

NETPLAN_BASE = "network:\n  version: 2\n  tunnels:\n    gre-hk:\n      mode: gre\n      local: 8.8.8.8\n      remote: 203.186.1.1\n"
NETPLAN_LOCAL = "network:\n  version: 2\n  tunnels:\n    gre-hk:\n      local: 58.247.0.30\n"

CFN_HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\n'
CFN_CHILD = CFN_HEAD + """\
Parameters:
  Peer:
    Type: String
    Default: 58.247.0.30
    AllowedValues: [58.247.0.30, 203.186.1.1]
Resources:
  Cgw:
    Type: AWS::EC2::CustomerGateway
    Properties: {Type: ipsec.1, BgpAsn: 65000, IpAddress: !Ref Peer}
  Vpn:
    Type: AWS::EC2::VPNConnection
    Properties: {Type: ipsec.1, CustomerGatewayId: !Ref Cgw, VpnGatewayId: vgw-1}
"""
CFN_PARENT = CFN_HEAD + "Resources:\n  Net:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./nested/vpn.yaml\n"

CFN_PARAMETERS = '{"Parameters": {"Peer": "58.247.0.30"}}\n'

CONFIG = """\
sites:
  - name: shanghai-dc
    country: CN
    paths: ["net/**"]
    cidrs: ["58.247.0.0/24"]
cloudformation:
  - paths: ["cfn/nested/**"]
    region: cn-north-1
    parameters: deploy/cfn-params.json
  - paths: ["cfn/**"]
    region: cn-north-1
exclude: [legacy]
max_approval_days: 1000
approvals:
  - rule: XB101
    resource: module.vpn.aws_vpn_connection.this
    path: "envs/prod/**"
    reason: "IPLC CU-1"
    expires: 2029-01-01
"""

# values the token edits swap for one another (several of each length, for same-size edits)
POOLS: list[list[str]] = [
    ["203.186.1.1", "58.247.0.30", "8.8.8.8", "8.8.4.4", "1.1.1.1", "114.114.114.114", "202.175.3.3", "168.95.1.1",
     "58.247.0.31", "203.186.1.2"],
    ["cn-north-1", "cn-northwest-1", "ap-east-1", "us-east-1", "eu-west-1", "ap-southeast-1", "cn-hongkong"],
    ["2.1.0", "1.4.0", "2.9.9", "3.0.0"],
    ["~> 2.0", "~> 1.0", ">= 2.1", "~> 3.0"],
    ["../../modules/vpn", "../../modules/vpm", "../../modules/vpx", "../modules/vpn"],
    ["XB101", "XB201", "XB102", "XB002"],
    ["2030-01-01", "2020-01-01", "2029-01-01"],
    ["CN", "HK", "US"],
    ["prod", "stag"],
    ["true", "false"],
    # pools of the later additions to the tree (a plan's addresses, `exclude:`, `max_approval_days`): their own
    # pools, so the earlier pools' choices, and the seeds that found the earlier stale answers, stay as they were
    ["58.247.0.10", "203.186.1.9", "168.95.1.10", "198.51.100.20", "114.114.11.4"],
]
SETTINGS = [  # `.xborder.yaml` lines the "setting" edit swaps (the token edits too)
    ["exclude: [legacy]", "exclude: [nothin]", "exclude: [ipsec*]", "exclude: [plans]", "exclude: [ipsec.conf]",
     "exclude: [envs/stag/**]"],
    ["max_approval_days: 1000", "max_approval_days: 0300", "max_approval_days: 9999", "max_approval_days: 30"],
]
POOLS += SETTINGS
TODAYS = ["2026-06-01", "2026-06-01", "2028-12-31", "2029-01-02", "2029-10-01", "2031-06-01"]
GIT = ["git", "-c", "user.name=fuzz", "-c", "user.email=fuzz@xborder.invalid", "-c", "commit.gpgsign=false"]


def base_tree(root: Path, rng: random.Random, fixtures: bool) -> None:
    """A tree with a bit of everything the caches key on."""
    files = {
        ".xborder.yaml": CONFIG,
        "envs/prod/main.tf": ROOT_MAIN,
        "envs/prod/variables.tf": ROOT_VARS,
        "envs/prod/terraform.tfvars": 'region = "cn-north-1"\n',
        "envs/prod/.terraform/modules/modules.json": json.dumps(MODULES_JSON, indent=1) + "\n",
        "envs/prod/.terraform/modules/reg/main.tf": VPN_MODULE,
        "envs/stag/main.tf": ROOT_MAIN.replace("../../modules/vpn", "../../modules/vpx"),
        "envs/stag/variables.tf": ROOT_VARS,
        "modules/vpn/main.tf": VPN_MODULE,
        "modules/vpx/main.tf": VPN_MODULE.replace("203.186.1.1", "58.247.0.30"),
        "net/etc/netplan/10-base.yaml": NETPLAN_BASE,
        "common/netplan/90-local.yaml": NETPLAN_LOCAL,
        "cfn/main.yaml": CFN_PARENT,
        "cfn/nested/vpn.yaml": CFN_CHILD,
        "net/sha-gw/ipsec.conf": "conn hq\n\tleft=58.247.0.10\n\tright=203.186.1.1\n\tauto=start\n",
        "deploy/cfn-params.json": CFN_PARAMETERS,  # outside the folders of the templates it pins
        "plans/tfplan.json": (REPO / "fixtures" / "plan" / "tfplan.json").read_text(encoding="utf-8"),
        "legacy/main.tf": ROOT_MAIN.replace("../../modules/vpn", "../modules/vpn"),  # excluded by `exclude: [legacy]`
        "legacy/variables.tf": ROOT_VARS,
    }
    root.mkdir(parents=True)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    subprocess.run([*GIT, "init", "-q"], cwd=root, check=True)  # a real repository: `--diff-base` scans its commits
    subprocess.run([*GIT, "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-q", "-m", "base"], cwd=root, check=True)
    (root / "net/run").mkdir(parents=True)
    os.symlink("../../common/netplan", root / "net/run/netplan")  # a netplan folder linked inside the tree
    os.symlink("vpn", root / "modules/vpm")  # a module source through a link inside the tree
    if fixtures:
        shutil.copytree(REPO / "fixtures", root / "fx", symlinks=True)


def _files(root: Path) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        out.extend(Path(dirpath) / n for n in sorted(filenames))
    return out


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


@dataclass
class Step:
    """One edit and the options of the scans after it."""

    edit: str
    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)


KINDS = {"token": 20, "token-same-size": 20, "touch": 6, "delete": 4, "rename": 4, "copy": 4, "revive": 4, "comment": 5,
         "relink": 3, "garble": 2, "directive": 4, "newroot": 1, "commit": 3, "setting": 3, "fifo": 1}


def edit(root: Path, rng: random.Random, graveyard: list[tuple[str, bytes]], kinds: dict[str, int] | None = None,
         focus: tuple[str, ...] = ()) -> str:
    """One random edit of the tree (of files below `focus` when given); returns what it did."""
    files = [p for p in _files(root) if p.is_file() and not p.is_symlink() and _rel(root, p).startswith(focus or "")]
    links = [p for p in _files(root) if p.is_symlink()]
    kinds = kinds or KINDS
    kind = rng.choices(list(kinds), weights=list(kinds.values()))[0]
    if kind in ("token", "token-same-size"):
        same = kind == "token-same-size"
        choices = []
        for path in files:
            try:
                text = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            for pool in POOLS:
                for value in pool:
                    start = text.find(value)
                    while start != -1:
                        others = [v for v in pool if v != value and (not same or len(v) == len(value))]
                        if others:
                            choices.append((path, start, value, others))
                        start = text.find(value, start + 1)
        if not choices:
            return "nothing to swap"
        path, start, value, others = rng.choice(choices)
        new = rng.choice(others)
        text = path.read_text(encoding="utf-8")
        st = path.stat()
        path.write_text(text[:start] + new + text[start + len(value):], encoding="utf-8")
        if same:
            os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        return f"{kind} {_rel(root, path)}: {value} -> {new}"
    if kind == "touch" and files:
        path = rng.choice(files)
        ns = path.stat().st_mtime_ns + rng.choice([-10**9, 1, 10**9])
        os.utime(path, ns=(ns, ns))
        return f"touch {_rel(root, path)}"
    if kind == "delete" and files:
        path = rng.choice(files)
        graveyard.append((_rel(root, path), path.read_bytes()))
        path.unlink()
        return f"delete {_rel(root, path)}"
    if kind == "rename" and files:
        path = rng.choice(files)
        suffix = rng.choice([".tf", ".tf.json", ".auto.tfvars", ".yaml", ".bak", ".tfvars", ".conf"])
        new = path.with_name(path.name.split(".")[0] + rng.choice(["", "2"]) + suffix)
        if new.exists() or new.is_symlink():
            return "rename: target exists"
        path.rename(new)
        return f"rename {_rel(root, path)} -> {_rel(root, new)}"
    if kind == "copy" and files:
        path = rng.choice(files)
        dirs = sorted({p.parent for p in files})
        target = rng.choice(dirs) / (("copy-" if rng.random() < 0.5 else "") + path.name)
        if target.exists() or target.is_symlink():
            return "copy: target exists"
        shutil.copyfile(path, target)
        return f"copy {_rel(root, path)} -> {_rel(root, target)}"
    if kind == "revive" and graveyard:
        rel, data = graveyard.pop(rng.randrange(len(graveyard)))
        path = root / rel
        if path.is_fifo():
            path.unlink()
        if path.exists() or path.is_symlink():
            return "revive: exists"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return f"revive {rel}"
    if kind == "comment" and files:
        path = rng.choice([p for p in files if p.suffix in (".tf", ".yaml", ".tfvars", ".conf")] or files)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write("# c\n")
        return f"comment {_rel(root, path)}"
    if kind == "directive":
        tfs = [p for p in files if p.suffix == ".tf"]
        if not tfs:
            return "directive: no .tf"
        path = rng.choice(tfs)
        text = path.read_text(encoding="utf-8")
        marker = 'resource "aws_vpn_connection"'
        if marker in text:
            rule = rng.choice(["XB101", "XB201", "XB102"])
            line = f'# xborder:ignore {rule} reason="r"\n'
            path.write_text(text.replace(marker, line + marker, 1) if line not in text else text.replace(line, "", 1),
                            encoding="utf-8")
            return f"directive {_rel(root, path)} {rule}"
        return "directive: no vpn"
    if kind == "relink":
        if links and rng.random() < 0.6:
            link = rng.choice(links)
            target = rng.choice(["vpn", "vpx", "../modules/vpn", "../../common/netplan", "../../etc/netplan", "/tmp",
                                 "missing", "../../../outside"])
            link.unlink()
            os.symlink(target, link)
            return f"relink {_rel(root, link)} -> {target}"
        if files:
            path, other = rng.choice(files), rng.choice(files)
            if path == other:
                return "relink: same"
            graveyard.append((_rel(root, path), path.read_bytes()))
            path.unlink()
            os.symlink(os.path.relpath(other, path.parent), path)
            return f"link {_rel(root, path)} -> {_rel(root, other)}"
        return "relink: nothing"
    if kind == "garble" and files:
        path = rng.choice(files)
        data = bytearray(path.read_bytes())
        if data:
            i = rng.randrange(len(data))
            data[i:i + 1] = rng.choice([b"{", b"}", b"\"", b"\xff", b"", b"\n"])
            path.write_bytes(bytes(data))
        return f"garble {_rel(root, path)}"
    if kind == "fifo" and files:  # a file replaced by a FIFO: refused by the walk, never opened (a read would hang)
        path = rng.choice(files)
        graveyard.append((_rel(root, path), path.read_bytes()))
        path.unlink()
        os.mkfifo(path)
        return f"fifo {_rel(root, path)}"
    if kind == "setting":
        config = root / ".xborder.yaml"
        text = config.read_text(encoding="utf-8") if config.is_file() and not config.is_symlink() else ""
        found = [(value, pool) for pool in SETTINGS for value in pool if value + "\n" in text]
        if not found:
            return "setting: none"
        value, pool = rng.choice(found)
        new = rng.choice([v for v in pool if v != value])
        st = config.stat()
        config.write_text(text.replace(value + "\n", new + "\n", 1), encoding="utf-8")
        if len(new) == len(value):
            os.utime(config, ns=(st.st_atime_ns, st.st_mtime_ns))
        return f"setting {value} -> {new}"
    if kind == "commit":
        subprocess.run([*GIT, "add", "-A"], cwd=root, check=False, capture_output=True)  # FIFOs: git says no
        done = subprocess.run([*GIT, "commit", "-q", "-m", "fuzz"], cwd=root, check=False, capture_output=True)
        return "commit" if done.returncode == 0 else "commit: nothing to commit"
    if kind == "newroot":
        src = root / "envs" / "prod"
        dst = root / "envs" / f"r{rng.randrange(100)}"
        if not src.is_dir() or dst.exists():
            return "newroot: no"
        shutil.copytree(src, dst, symlinks=True)
        return f"newroot {_rel(root, dst)}"
    return f"{kind}: nothing"


def options(root: Path, rng: random.Random) -> tuple[list[str], dict[str, str]]:
    """The scan's options and environment after an edit (the same for the cached and the cold scan)."""
    args: list[str] = []
    env: dict[str, str] = {}
    pool = POOLS[0]
    if rng.random() < 0.2:
        args += ["--var", f"peer={rng.choice(pool)}"]
    if rng.random() < 0.2:
        args += ["--var", f"region={rng.choice(POOLS[1])}"]
    if rng.random() < 0.3:
        env["TF_VAR_peer"] = rng.choice(pool)
    if rng.random() < 0.3:
        args.append("--env-vars")
    if rng.random() < 0.1:
        args.append("--no-config")
    if rng.random() < 0.1:
        args.append("--no-inline-suppressions")
    if rng.random() < 0.1:
        args += ["--exclude", rng.choice(["stag", "net/**", "cfn"])]
    args += ["--format", rng.choice(["json", "json", "text", "sarif"])]
    later = random.Random(repr(rng.getstate()))  # the later options' own generator: the earlier draws stay as they were
    if later.random() < 0.15:
        args += ["--diff-base", later.choice(["HEAD", "HEAD~1", "HEAD~2"])]
    r = rng.random()
    if r < 0.3:
        paths = ["."]
    elif r < 0.6:  # Terraform only: the whole-scan entry is stored (device configs and templates are not kept)
        paths = rng.choice([["envs"], ["envs", "modules"], ["envs/prod"]])
    elif r < 0.8:
        paths = rng.sample(["envs", "modules", "net", "cfn", "common", "envs/prod"], 2)
    else:  # files named one by one, as pre-commit does
        named = [_rel(root, p) for p in _files(root) if p.is_file() or p.is_fifo()]  # a FIFO named: an error, no read
        paths = rng.sample(named, min(len(named), rng.randint(1, 3))) if named else ["."]
    return args + ["--", *paths], env


def run(root: Path, cache: Path | None, args: list[str], env: dict[str, str], ahead_ns: int, jobs: int | None,
        timeout: float = 120, today: str = TODAYS[0]) -> tuple[int, str, str]:
    full = dict(os.environ, NO_COLOR="1", XBORDER_TODAY=today, XBFUZZ_AHEAD_NS=str(ahead_ns))
    for name in list(full):
        if name.startswith("TF_VAR_") or name == "XBORDER_DEBUG":
            del full[name]
    full.update(env)
    extra = []
    if cache is None:
        extra.append("--no-cache")
    else:
        full["XBORDER_CACHE_DIR"] = str(cache)
    if jobs is not None:
        extra += ["--jobs", str(jobs)]
    cut = args.index("--")
    cmd = [sys.executable, "-c", RUNNER, "scan", *args[:cut], *extra, *args[cut:]]
    proc = subprocess.run(cmd, cwd=root, env=full, capture_output=True, text=True, timeout=timeout, check=False)
    return proc.returncode, proc.stdout, proc.stderr


CANONICAL = ["--format", "json", "--", "envs", "modules"]


def fuzz(workdir: Path, seed: int, steps: int, fixtures: bool = False, log: bool = False,
         kinds: dict[str, int] | None = None, focus: tuple[str, ...] = (), random_options: bool = True) -> list[str]:
    """Run `steps` edits; returns the differences found (empty: every cached scan printed what the cold one did).
    `kinds`/`focus`: only these edits, of files below these folders; `random_options=False`: only the fixed scan."""
    rng = random.Random(seed)
    root = workdir / "tree"
    cache = workdir / "cache"
    base_tree(root, rng, fixtures)
    graveyard: list[tuple[str, bytes]] = []
    ahead = 0
    args: list[str] = []
    env: dict[str, str] = {}
    problems: list[str] = []
    history: list[str] = []
    clock = random.Random(f"today {seed}")  # today's own generator: the other draws stay as they were
    today = TODAYS[0]
    for step in range(steps):
        what = "initial tree" if step == 0 else edit(root, rng, graveyard, kinds, focus)
        if step == 0 or rng.random() < 0.3:  # mostly the same options again: the whole-scan entry's key repeats
            args, env = options(root, rng)
        if step and clock.random() < 0.3:  # expiries, `until=` and `max_approval_days` move with it, in every scan
            today = clock.choice(TODAYS)
        history.append(f"{step}: {what} | {' '.join(args)} {env} today {today}")
        if rng.random() < 0.8:
            ahead += 3_000_000_000
        # the options of this step, and a fixed Terraform-only scan whose whole-scan entry is looked up every step
        for scenario, (s_args, s_env) in enumerate([(args, env), (CANONICAL, {})][0 if random_options else 1:], 0 if random_options else 1):
            cold = run(root, None, s_args, s_env, ahead, 1, today=today)
            for jobs in rng.sample([None, 2], 2) if scenario == 0 else [None]:
                warm = run(root, cache, s_args, s_env, ahead, jobs, today=today)
                if warm != cold:
                    for name, out in (("cold", cold), ("cached", warm)):  # whole outputs, for a closer look
                        (workdir / f"diff-{name}.txt").write_text(f"rc {out[0]}\n{out[1]}\n--- stderr\n{out[2]}")
                    problems.append(f"seed {seed} step {step} (jobs {jobs}): cached scan differs\n" + "\n".join(history)
                                    + f"\nscan: {' '.join(s_args)} {s_env}"
                                    + f"\n--- cold rc {cold[0]}\n{cold[1][-3000:]}\n{cold[2][-2000:]}"
                                    + f"\n--- cached rc {warm[0]}\n{warm[1][-3000:]}\n{warm[2][-2000:]}")
                    return problems
        if log:
            print(history[-1], "rc", cold[0], flush=True)
    return problems


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--fixtures", action="store_true")
    parser.add_argument("--workdir", type=Path, default=None)
    ns = parser.parse_args()
    import tempfile

    for seed in range(ns.seed, ns.seed + ns.seeds):
        tmp = tempfile.mkdtemp(dir=ns.workdir)
        problems = fuzz(Path(tmp), seed, ns.steps, ns.fixtures, log=True)
        if problems:
            print(problems[0])
            print(f"tree, cache and whole outputs kept in {tmp}")
            return 1
        shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
