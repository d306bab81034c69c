"""The reviewed differences between xborder and `terraform console` on the fuzz corpus (fuzz_corpus.jsonl.gz).

Each class has a severity and the reason: *serious* is a wrong value or a value where Terraform reports an
error (a scan could judge a link from it); *safe* is Unknown where Terraform has a value (the link is reported
as not determinable, never judged wrongly). test_fuzz_corpus.py fails on any difference not listed here with
the same verdict, and on a listed one that agrees now (remove it). `python tests/fidelity/fuzz.py report -v`
prints them all.
"""

from __future__ import annotations

WRONG, ERROR, UNKNOWN = "wrong value", "value where Terraform errors", "unknown"

CLASSES: dict[str, tuple[str, str]] = {
    # serious
    "validation-of-default": ("serious", "a variable's default that its own validation refuses (or whose condition "
                                         "fails for it), no value given: Terraform refuses to plan until one is "
                                         "given (1.11.4 even crashes on three of the module cases); xborder reads "
                                         "the default and judges the values the validation allows as worlds (only "
                                         "given values are checked: a root variable's and a module call's)"),
    "any-common-type": ("serious", "map(map(any)) of an empty map and a map holding a tuple of mixed types: cty "
                                   "refuses it (attribute types must all match); xborder unifies it"),
    # safe
    "workspace": ("safe", "terraform.workspace is unknown by design (it depends on the workspace selected at "
                          "apply; the console answers \"default\")"),
    "object-unify-dynamic": ("safe", "a conditional between objects whose attributes cty unifies through dynamic "
                                     "types; xborder reports inconsistent types (the value is not known)"),
    "evaluation-budget": ("safe", "a string of millions of characters (indent() by 2.8e8 or 9e15 spaces) is over "
                                  "xborder's evaluation budget by design"),
    "format-null": ("safe", "format() of a null argument: Terraform prints null (or ignores it after a bad verb "
                            "when another coalesce argument is chosen); xborder leaves it unknown"),
    "cidrhost-past-64-bits": ("safe", "cidrhost() with a host number past 2^64 in a /64: go-cidr reads its low "
                                      "bits; xborder refuses it (unknown, never a wrong address)"),
    "coalescelist-null": ("safe", "coalescelist(null, ...) inside try(): Terraform's error is caught; xborder "
                                  "leaves the null argument unknown"),
    "infinity": ("safe", "Terraform computes with infinities (pow(0, -1), 1.5 / 0.0, log(0, 0.5)) and may come "
                         "back to a finite value; xborder stops at the first infinity (unknown)"),
}

KNOWN: dict[str, tuple[str, str]] = {
    "c10.403": (UNKNOWN, "object-unify-dynamic"),
    "c4.237": (UNKNOWN, "object-unify-dynamic"),
    "c18.104": (UNKNOWN, "evaluation-budget"),
    "c28.104": (UNKNOWN, "evaluation-budget"),
    "c19.444": (UNKNOWN, "format-null"),
    "c2.43": (UNKNOWN, "format-null"),
    "c21.18": (UNKNOWN, "cidrhost-past-64-bits"),
    "c26.285": (UNKNOWN, "coalescelist-null"),
    "c26.78": (UNKNOWN, "infinity"),
    "c28.377": (UNKNOWN, "infinity"),
    "c33.461": (UNKNOWN, "infinity"),
    "c49.468": (UNKNOWN, "infinity"),
    "v1.217": (ERROR, "validation-of-default"),
    "v2.10": (ERROR, "validation-of-default"),
    "v2.266": (ERROR, "validation-of-default"),
    "v3.98": (ERROR, "validation-of-default"),
    "v3.207": (ERROR, "validation-of-default"),
    "v3.478": (ERROR, "validation-of-default"),
    "v4.147": (ERROR, "validation-of-default"),
    "v4.180": (ERROR, "validation-of-default"),
    "v4.261": (ERROR, "validation-of-default"),
    "v4.282": (ERROR, "validation-of-default"),
    "v3.187": (ERROR, "any-common-type"),
    "v2.278": (UNKNOWN, "workspace"),
    "v2.65": (UNKNOWN, "workspace"),
    "v4.134": (UNKNOWN, "workspace"),
    "v4.470": (UNKNOWN, "workspace"),
    "v2.184": (UNKNOWN, "workspace"),
    "v2.248": (UNKNOWN, "workspace"),
    "v2.292": (UNKNOWN, "workspace"),
    "v2.307": (UNKNOWN, "workspace"),
    "v3.323": (UNKNOWN, "workspace"),
    "v3.374": (UNKNOWN, "workspace"),
    "v4.144": (UNKNOWN, "workspace"),
    "v4.163": (UNKNOWN, "workspace"),
    "v4.259": (UNKNOWN, "workspace"),
    "v101.47": (UNKNOWN, "workspace"),
    "v101.120": (UNKNOWN, "workspace"),
    "v101.136": (UNKNOWN, "workspace"),
    "v101.181": (UNKNOWN, "workspace"),
    "v101.403": (UNKNOWN, "workspace"),
    "v101.437": (UNKNOWN, "workspace"),
    "v102.110": (UNKNOWN, "workspace"),
    "v102.273": (UNKNOWN, "workspace"),
    "v102.303": (UNKNOWN, "workspace"),
    "v102.443": (UNKNOWN, "workspace"),
    "v102.459": (UNKNOWN, "workspace"),
    "v101.260": (ERROR, "validation-of-default"),
    "v102.69": (ERROR, "validation-of-default"),
    "v102.135": (ERROR, "validation-of-default"),
    "v102.377": (ERROR, "validation-of-default"),
}
