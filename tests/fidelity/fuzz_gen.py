"""A seeded generator of Terraform expressions for the differential test against `terraform console`.

Four families, each deterministic for a seed (the saved corpus names the family, seed and index of each
expression; fuzz.py records Terraform's answers and rescores xborder against them):
- classic: typed expressions over every function xborder implements (strings over regions, addresses and
  CIDRs, numbers, bools, lists, sets, maps/objects, for expressions, splats, templates with directives,
  heredocs, number formatting), with a few percent of ill-typed noise so that errors are exercised too;
- config: what real configurations write to compute a VPN's region or peer address (tables of sites as maps
  or lists of objects, lookup/try/coalesce/element/format, for expressions over maps of objects, splats,
  conditional region selection, can(), cidrhost of a site's network), where a wrong value would move a
  jurisdiction;
- juris: the config family's tables with regions and addresses computed from parts (templates, format, join,
  replace, ARNs, index/element, cidrsubnet/cidrhost chains, try/can around each);
- vars (fuzz_vars.py): root module variables with type constraints, optional() attributes and defaults,
  nullable and validation, given in HCL or JSON variables files, read by expressions or as the instances of a
  for_each / count (each case is a small configuration).
"""

from __future__ import annotations

import json
import random

STRS = ["cn-north-1", "cn-northwest-1", "ap-east-1", "us-east-1", "eu-central-1", "cn-shanghai", "cn-hongkong",
        "ap-southeast-1", "", "A", "a", "abc", "Hello World", "日本", "中国", "é", "e\u0301", " x ", "10.0.0.1",
        "a,b,c", "a,,b", "Straße", "İ", "ǆ", "x-y_z", "cn", "hk", "CN-North-1", "192.168.1.0/24", "10.0.0.0/8",
        "fd00::/64", "::ffff:10.0.0.0/104", "1", "1.5", "-3", "0x10", "true", "false", "null", "${", "%", "$",
        "\\", "\"q\"", "a\nb", "\t", "   ", "AbC", "beijing", "shanghai", "Hong Kong", "ÀÉ", "ß", "ﬁ", "😀",
        "1e3", " 12 ", "0", "a b", "k=v", "a:b", "2001:db8::1"]
REGEXES = ["[a-z]+", "^cn-", "(\\\\w+)-(\\\\d+)", "(?P<a>[a-z]+)-(?P<b>[0-9]+)", "\\\\d+", "^(.*)$", "[", "a*",
           "(?i)CN", "\\\\p{Han}+", "^$", ".", "(a)|(b)", "x?", "[[:upper:]]", "\\\\s+", "^cn-(north|south)", "-",
           "(?:ab)+", "\\\\b", "[^,]+", "(\\\\d+)\\\\.(\\\\d+)", "\\\\.", "a{2}", "^", "$", "(?m)^a", "é"]
FMTS = ["%s", "%d", "%v", "%q", "%5s", "%-5s|", "%05d", "%x", "%.2f", "%t", "%s-%s", "%[2]s%[1]s", "%e", "%g",
        "%%", "%#v", "%T", "%c", "%U", "%08.3f", "%+v", "% x", "%.1s", "%3.1q", "%*d", "%!", "%s%", "%b", "%o", "%X"]
NUMS = ["0", "1", "2", "3", "-1", "7", "10", "255", "256", "1.5", "-0.5", "0.1", "1e3", "1e21", "9007199254740993",
        "-0.0", "100", "32", "33", "24", "8", "16", "4", "65536", "2.5", "1e-7", "3.0", "-7", "128", "0.0"]
CIDRS = ["10.0.0.0/8", "10.0.0.0/16", "10.1.2.0/24", "172.16.0.0/12", "192.168.0.0/16", "10.0.0.5/24", "0.0.0.0/0",
         "10.0.0.0/32", "10.0.0.0/31", "fd00::/56", "fd00::/64", "2001:db8::/32", "::/0", "::ffff:10.0.0.0/104",
         "10.0.0.0", "010.0.0.0/8", "10.0.0.0/33", "1.2.3.4/30", "x", "", "10.0.0.0/-1", "::1/128", "fe80::1%eth0/64",
         "10.0.0.0/08", "2001:DB8::/48", "100.64.0.0/10", "10.0.0.256/8", " 10.0.0.0/8", "10.0.0.0/8 "]


REPS = ["$1", "${1}x", "$a", "-", "", "$$", "${a}", "$0", "\\1", "<$2>"]


def q(s: str) -> str:
    """An HCL quoted string literal for s."""
    out = []
    for c in s:
        if c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif c == "\r":
            out.append("\\r")
        else:
            out.append(c)
    t = "".join(out)
    t = t.replace("${", "$${").replace("%{", "%%{")
    return '"' + t + '"'


class G:
    """The classic family: typed expressions over every function xborder implements, with ill-typed noise."""

    def __init__(self, seed: int, noise: float = 0.08) -> None:
        self.r = random.Random(seed)
        self.noise = noise
        self.vars: list[tuple[str, str]] = []  # for-expression bindings in scope: (name, type)

    def ch(self, *xs: str) -> str:
        return self.r.choice(xs)

    def rx(self) -> str:
        return self.r.choice(REGEXES).replace("\\\\", "\\")

    def any(self, d: int) -> str:
        return getattr(self, self.ch("str", "str", "str", "num", "bool", "lst", "map", "obj", "set", "nul"))(d)

    def pick(self, t: str, d: int) -> str:
        if self.r.random() < self.noise:
            return self.any(d)
        return getattr(self, t)(d)

    def nul(self, d: int) -> str:
        return self.ch("null", "null", 'try(tostring(null), "n")', "one([])", "lookup({}, \"a\", null)")

    def var(self, t: str) -> str | None:
        vs = [n for n, vt in self.vars if vt == t]
        if vs and self.r.random() < 0.5:
            return self.r.choice(vs)
        return None

    # ---- strings
    def str(self, d: int) -> str:
        v = self.var("str")
        if v:
            return v
        if d <= 0 or self.r.random() < 0.25:
            return q(self.r.choice(STRS))
        s = lambda: self.pick("str", d - 1)
        n = lambda: self.pick("num", d - 1)
        k = self.r.randrange(50)
        if k == 0: return f"lower({s()})"
        if k == 1: return f"upper({s()})"
        if k == 2: return f"replace({s()}, {s()}, {s()})"
        if k == 3: return f"replace({s()}, {q('/' + self.rx() + '/')}, {q(self.ch(*REPS))})"
        if k == 4: return f"regex({q(self.rx())}, {s()})" if self.r.random() < 0.3 else f"try(regex({q(self.rx())}, {s()}), {s()})"
        if k == 5: return f"element({self.pick('lst', d - 1)}, {n()})"
        if k == 6: return f"join({s()}, {self.pick('lst', d - 1)})"
        if k == 7:
            f = self.r.choice(FMTS)
            args = ", ".join(self.any(d - 1) for _ in range(self.r.randrange(0, 3)))
            return f"format({q(f)}{', ' if args else ''}{args})"
        if k == 8: return f"substr({s()}, {n()}, {n()})"
        if k == 9: return f"trimprefix({s()}, {s()})"
        if k == 10: return f"trimsuffix({s()}, {s()})"
        if k == 11: return f"lookup({self.pick('map', d - 1)}, {s()}, {s()})"
        if k == 12: return f"coalesce({s()}, {s()})"
        if k == 13: return f"try({self.any(d - 1)}, {s()})"
        if k == 14: return f"tostring({self.any(d - 1)})"
        if k == 15: return f"{self.pick('bool', d - 1)} ? {s()} : {self.any(d - 1) if self.r.random() < 0.2 else s()}"
        if k == 16: return self.template(d)
        if k == 17: return f"cidrhost({self.cidr(d - 1)}, {n()})"
        if k == 18: return f"cidrsubnet({self.cidr(d - 1)}, {n()}, {n()})"
        if k == 19: return f"cidrnetmask({self.cidr(d - 1)})"
        if k == 20: return f"{self.pick('lst', d - 1)}[{n()}]"
        if k == 21: return f"{self.pick('map', d - 1)}[{s()}]"
        if k == 22: return f"trimspace({s()})"
        if k == 23: return f"trim({s()}, {s()})"
        if k == 24: return f"title({s()})"
        if k == 25: return f"strrev({s()})"
        if k == 26: return f"chomp({s()})"
        if k == 27: return f"one({self.pick('lst', d - 1)})"
        if k == 28: return f"coalesce({self.pick('lst', d - 1)}...)"
        if k == 29: return f"split({s()}, {s()})[{n()}]"
        if k == 30: return f"format({q(self.r.choice(FMTS))}, {self.pick('lst', d - 1)}...)"
        if k == 31: return f"{self.pick('obj', d - 1)}.{self.ch('a', 'b', 'region', 'cidr', 'x')}"
        if k == 32: return self.heredoc(d)
        if k == 33: return f"jsonencode({self.any(d - 1)})"
        if k == 34: return f"base64decode(base64encode({s()}))"
        if k == 35: return f"tostring({n()})"
        if k == 36: return f"indent({n()}, {s()})"
        if k == 37: return f"try({self.pick('lst', d - 1)}[{n()}], {s()})"
        if k == 38: return f"can({self.any(d - 1)}) ? {s()} : {s()}"
        if k == 39: return '"${' + n() + '}"'
        if k == 40: return f"tostring({n()})"
        if k == 41: return f"jsonencode({n()})"
        if k == 42: return f"format({q(self.ch('%v', '%d', '%.3f', '%e', '%g', '%5.1f', '%x', '%s'))}, {n()})"
        if k == 43: return f"{self.pick('obj', d - 1)}[{s()}]"
        if k == 44: return f"lookup({self.pick('obj', d - 1)}, {s()}, {self.any(d - 1)})"
        if k == 45: return f"join({s()}, {self.objlist(d - 1)}[*].{self.ch('a', 'b', 'region')})"
        if k == 46: return f"{self.ch('upper', 'lower')}(join({s()}, sort(keys({self.pick('map', d - 1)}))))"
        if k == 47: return f"replace({s()}, {q(self.ch('.', '-', 'cn', '/', '_', ' '))}, {s()})"
        if k == 48: return f"regex({q(self.ch('^[a-z]+-[a-z]+-[0-9]$', '^(cn|ap)-', '[0-9]+', '^.*$'))}, {s()})"
        return f"{s()}"

    def cidr(self, d: int) -> str:
        if d <= 0 or self.r.random() < 0.6:
            return q(self.r.choice(CIDRS))
        k = self.r.randrange(4)
        n = lambda: self.pick("num", d - 1)
        if k == 0: return f"cidrsubnet({self.cidr(d - 1)}, {n()}, {n()})"
        if k == 1: return f'"${{cidrhost({self.cidr(d - 1)}, {n()})}}/{self.r.choice(["8", "24", "32", "16", "0"])}"'
        if k == 2: return f"cidrsubnets({self.cidr(d - 1)}, {n()}, {n()})[{self.ch('0', '1')}]"
        return self.str(d)

    def template(self, d: int) -> str:
        parts = []
        for _ in range(self.r.randrange(1, 4)):
            k = self.r.randrange(6)
            if k == 0:
                parts.append(self.r.choice(["x", "-", " ", "a b", "é", "%%{", "$${", "\\n", "cn-"]))
            elif k == 1:
                parts.append("${" + self.ch("", "~ ") + self.any(d - 1) + self.ch("", " ~") + "}")
            elif k == 2:
                parts.append("%{ if " + self.pick("bool", d - 1) + " }" + "A" + self.ch("", "%{ else }B") + "%{ endif }")
            elif k == 3:
                parts.append("%{ for " + self.ch("x", "k, x") + " in " + self.ch(self.pick("lst", d - 1), self.pick("map", d - 1)) + self.ch(" ~}", " }") + "${x}," + "%{ endfor }")
            else:
                parts.append("${" + self.pick("str", d - 1) + "}")
        return '"' + "".join(parts) + '"'

    def heredoc(self, d: int) -> str:
        ind = self.ch("", "  ")
        lines = [ind + "line ${" + self.pick("str", d - 1) + "}", ind + "  two", ind + self.ch("%{ if true ~}", "%{ if false }") + "y" + "%{ endif }"]
        return self.ch("<<EOT", "<<-EOT") + "\n" + "\n".join(lines) + "\n" + ind + "EOT\n"

    # ---- numbers
    def num(self, d: int) -> str:
        v = self.var("num")
        if v:
            return v
        if d <= 0 or self.r.random() < 0.35:
            return self.r.choice(NUMS)
        n = lambda: self.pick("num", d - 1)
        k = self.r.randrange(22)
        if k == 0: return f"{n()} {self.ch('+', '-', '*', '/', '%')} {n()}"
        if k == 1: return f"length({self.ch(self.pick('str', d - 1), self.pick('lst', d - 1), self.pick('map', d - 1))})"
        if k == 2: return f"tonumber({self.any(d - 1)})"
        if k == 3: return f"parseint({q(self.ch('ff', '10', '-7', 'z', '0x1', '077', ''))}, {self.ch('2', '8', '10', '16', '36', '1', '37')})"
        if k == 4: return f"index({self.pick('lst', d - 1)}, {self.any(d - 1)})"
        if k == 5: return f"{self.ch('max', 'min')}({n()}, {n()})"
        if k == 6: return f"{self.ch('floor', 'ceil', 'abs', 'signum')}({n()})"
        if k == 7: return f"element({self.numlist(d - 1)}, {n()})"
        if k == 8: return f"sum({self.numlist(d - 1)})"
        if k == 9: return f"-{n()}"
        if k == 10: return f"{self.pick('bool', d - 1)} ? {n()} : {n()}"
        if k == 11: return f"lookup({{a = {n()}, b = {n()}}}, {self.pick('str', d - 1)}, {n()})"
        if k == 12: return f"try({self.any(d - 1)}, {n()})"
        if k == 13: return f"pow({n()}, {self.ch('0', '1', '2', '3', '10', '-1')})"
        if k == 14: return f"{self.ch('max', 'min')}({self.numlist(d - 1)}...)"
        if k == 15: return f"({n()})"
        if k == 16: return f"{n()} {self.ch('+', '-', '*', '/', '%')} {n()} {self.ch('+', '-', '*', '/', '%')} {n()}"
        if k == 17: return f"tonumber({q(self.ch('1.5', '1e3', '-0', '0.1', '1e-7', '12345678901234567890', '.5', '5.', '0x1', ' 1', '1_0', '+1', '-1e-3', '007'))})"
        if k == 18: return f"parseint({q(self.ch('ff', 'FF', '-7f', '1010', 'zz', 'Zz', '7fffffffffffffff', '8000000000000000', '-8000000000000000'))}, {self.ch('16', '2', '36', '62', '10')})"
        if k == 19: return f"{self.ch('ceil', 'floor', 'abs', 'log', 'pow')}({n()}{', ' + self.ch('2', '10', '0.5', '-1', '3') if self.r.random() < 0.5 else ''})"
        return self.r.choice(NUMS)

    def numlist(self, d: int) -> str:
        if d <= 0 or self.r.random() < 0.5:
            return "[" + ", ".join(self.r.choice(NUMS) for _ in range(self.r.randrange(0, 4))) + "]"
        k = self.r.randrange(4)
        if k == 0: return f"range({self.pick('num', d - 1)})"
        if k == 1: return f"[for x in {self.pick('lst', d - 1)} : length(x)]"
        if k == 2: return f"tolist(toset({self.numlist(d - 1)}))"
        return f"sort({self.numlist(d - 1)})"

    # ---- bools
    def bool(self, d: int) -> str:
        v = self.var("bool")
        if v:
            return v
        if d <= 0 or self.r.random() < 0.25:
            return self.ch("true", "false")
        s = lambda: self.pick("str", d - 1)
        k = self.r.randrange(14)
        if k == 0: return f"{s()} == {s()}"
        if k == 1: return f"{self.any(d - 1)} != {self.any(d - 1)}"
        if k == 2: return f"{self.pick('num', d - 1)} {self.ch('<', '>', '<=', '>=')} {self.pick('num', d - 1)}"
        if k == 3: return f"can({self.any(d - 1)})"
        if k == 4: return f"contains({self.pick('lst', d - 1)}, {self.any(d - 1)})"
        if k == 5: return f"{self.ch('startswith', 'endswith', 'strcontains')}({s()}, {s()})"
        if k == 6: return f"tobool({self.any(d - 1)})"
        if k == 7: return f"{self.pick('bool', d - 1)} {self.ch('&&', '||')} {self.pick('bool', d - 1)}"
        if k == 8: return f"!{self.pick('bool', d - 1)}"
        if k == 9: return self.ch('alltrue', 'anytrue') + "([for x in " + self.pick('lst', d - 1) + ' : x != ""])'
        if k == 10: return f"length(regexall({q(self.rx())}, {s()})) > 0"
        if k == 11: return f"{self.any(d - 1)} == null"
        if k == 12: return f"{self.any(d - 1)} == {self.any(d - 1)}"
        return f"contains(keys({self.pick('map', d - 1)}), {s()})"

    # ---- lists / tuples
    def lst(self, d: int) -> str:
        v = self.var("lst")
        if v:
            return v
        if d <= 0 or self.r.random() < 0.25:
            return "[" + ", ".join(q(self.r.choice(STRS)) for _ in range(self.r.randrange(0, 4))) + "]"
        s = lambda: self.pick("str", d - 1)
        l = lambda: self.pick("lst", d - 1)
        k = self.r.randrange(26)
        if k == 0: return f"split({s()}, {s()})"
        if k == 1: return f"tolist({self.ch(l(), self.pick('set', d - 1))})"
        if k == 2: return f"concat({l()}, {l()})"
        if k == 3: return f"distinct({l()})"
        if k == 4: return f"compact({l()})"
        if k == 5: return f"sort({l()})"
        if k == 6: return f"keys({self.pick('map', d - 1)})"
        if k == 7: return f"values({self.pick('map', d - 1)})"
        if k == 8: return f"slice({l()}, {self.pick('num', d - 1)}, {self.pick('num', d - 1)})"
        if k == 9: return f"reverse({l()})"
        if k == 10: return f"flatten([{l()}, {l()}])"
        if k == 11:
            self.vars.append(("x", "str"))
            try:
                body = s()
                cond = f" if {self.pick('bool', d - 1)}" if self.r.random() < 0.3 else ""
            finally:
                self.vars.pop()
            return f"[for x in {self.ch(l(), self.pick('set', d - 1))} : {body}{cond}]"
        if k == 12:
            self.vars.append(("k", "str"))
            self.vars.append(("x", "str"))
            try:
                body = s()
            finally:
                self.vars.pop(); self.vars.pop()
            return f"[for k, x in {self.pick('map', d - 1)} : {body}]"
        if k == 13: return f"{self.objlist(d - 1)}[*].{self.ch('a', 'b', 'region')}"
        if k == 14: return f"[{', '.join(self.any(d - 1) for _ in range(self.r.randrange(0, 3)))}]"
        if k == 15: return f"regexall({q(self.rx())}, {s()})"
        if k == 16: return f"formatlist({q(self.ch('%s', '%s-%s', '%d', '%v', '%q'))}, {l()}{', ' + l() if self.r.random() < 0.3 else ''})"
        if k == 17: return f"cidrsubnets({self.cidr(d - 1)}, {', '.join(self.pick('num', d - 1) for _ in range(self.r.randrange(1, 3)))})"
        if k == 18: return f"coalescelist({l()}, {l()})"
        if k == 19: return f"try({self.any(d - 1)}, {l()})"
        if k == 20: return f"{self.pick('bool', d - 1)} ? {l()} : {l() if self.r.random() < 0.8 else self.any(d - 1)}"
        if k == 21: return f"setproduct({l()}, {l()})"
        if k == 22: return f"chunklist({l()}, {self.ch('1', '2', '0')})"
        if k == 23: return f"{self.ch('setunion', 'setintersection', 'setsubtract')}({l()}, {l()})"
        if k == 24: return f"matchkeys({l()}, {l()}, {l()})"
        return f"[{s()}, {s()}]"

    def objlist(self, d: int) -> str:
        return "[" + ", ".join(self.obj(d) for _ in range(self.r.randrange(0, 3))) + "]"

    def set(self, d: int) -> str:
        inner = self.ch(self.pick('lst', d - 1), self.numlist(d - 1), '[1, "1", "a"]', '["b", "10", "9", "B", "a"]')
        return f"toset({inner})"

    # ---- maps / objects
    def key(self) -> str:
        return self.ch("a", "b", "c", "region", "cidr", "x", '"cn-north-1"', '"ap-east-1"', '"10"', '"9"', '"B"', '"é"',
                  '"e\u0301"', '"x y"', '"日本"', '"_"')

    def obj(self, d: int) -> str:
        items = [f"{self.key()} = {self.any(d - 1) if self.r.random() < 0.3 else self.pick('str', d - 1)}"
                 for _ in range(self.r.randrange(0, 4))]
        return "{" + ", ".join(items) + "}"

    def map(self, d: int) -> str:
        v = self.var("map")
        if v:
            return v
        if d <= 0 or self.r.random() < 0.3:
            return self.obj(max(d, 1) - 1)
        m = lambda: self.pick("map", d - 1)
        s = lambda: self.pick("str", d - 1)
        k = self.r.randrange(10)
        if k == 0: return f"tomap({m()})"
        if k == 1: return f"merge({m()}, {m()})"
        if k == 2: return f"zipmap({self.pick('lst', d - 1)}, {self.pick('lst', d - 1)})"
        if k == 3:
            self.vars.append(("x", "str"))
            try:
                kk, vv = s(), self.any(d - 1)
                grp = "..." if self.r.random() < 0.15 else ""
            finally:
                self.vars.pop()
            return f"{{for x in {self.ch(self.pick('lst', d - 1), self.pick('set', d - 1))} : {kk} => {vv}{grp}}}"
        if k == 4:
            self.vars.append(("k", "str"))
            self.vars.append(("x", "str"))
            try:
                kk, vv = s(), s()
            finally:
                self.vars.pop(); self.vars.pop()
            return f"{{for k, x in {m()} : {kk} => {vv}}}"
        if k == 5: return f"lookup({{a = {m()}, b = {m()}}}, {s()}, {m()})"
        if k == 6: return f"{self.pick('bool', d - 1)} ? {m()} : {m()}"
        if k == 7: return f"transpose({{a = {self.pick('lst', d - 1)}, b = {self.pick('lst', d - 1)}}})"
        if k == 8: return f"jsondecode(jsonencode({m()}))"
        return self.obj(d - 1)


REGIONS = ["cn-north-1", "cn-northwest-1", "ap-east-1", "us-east-1", "eu-central-1", "cn-shanghai", "cn-hongkong",
           "cn-beijing", "ap-southeast-1", "chinaeast2", "chinanorth3", "eastasia", "asia-east2", "ap-guangzhou",
           "ap-hongkong", "cn-north-4", "ap-southeast-1", "CN-North-1", " cn-north-1", "", "cn-east-3"]
ADDRS = ["203.0.113.10", "198.51.100.7", "10.0.0.1", "1.2.3.4", "2001:db8::1", "0.0.0.0", "255.255.255.255",
         "1.2.3.4/32", "", "52.82.1.1", "121.40.1.1", "::ffff:1.2.3.4", "01.2.3.4"]
SITE_KEYS = ["hk", "bj", "sh", "tw", "jp", "HK", "office-1", "日本"]
ATTRS = ["region", "ip", "cidr", "enabled", "name", "asn"]


class C(G):
    """The config family: how real configurations compute a VPN's region or peer address."""

    def site(self) -> str:
        """One site object; sometimes an attribute is missing, null or of another type (as in real tables)."""
        parts = []
        if self.r.random() < 0.9:
            parts.append(f"region = {self.ch(*map(q, REGIONS), 'null', 'null')}" if self.r.random() < 0.15
                         else f"region = {q(self.r.choice(REGIONS))}")
        if self.r.random() < 0.8:
            parts.append(f"ip = {q(self.r.choice(ADDRS)) if self.r.random() < 0.9 else 'null'}")
        if self.r.random() < 0.6:
            parts.append(f"cidr = {q(self.r.choice(CIDRS[:14]))}")
        if self.r.random() < 0.6:
            parts.append(f"enabled = {self.ch('true', 'true', 'false', 'null', q('yes'))}")
        if self.r.random() < 0.3:
            parts.append(f"asn = {self.ch('65000', '64512', q('65001'), '4200000000')}")
        if self.r.random() < 0.2:
            parts.append(f"tunnels = {self.ch('[]', '[1, 2]', ('[' + q('a') + ']'), 'null')}")
        if self.r.random() < 0.2:
            parts.append(f"tags = {{env = {self.ch(q('prod'), q('dev'))}}}")
        self.r.shuffle(parts)
        return "{" + ", ".join(parts) + "}"

    def sites(self, d: int) -> str:
        """A table of sites: a map (or object) of site objects, sometimes built by tomap/merge/for."""
        keys = [k for k, p in (("hk", 0.75), ("bj", 0.5)) if self.r.random() < p]
        keys += self.r.sample(SITE_KEYS[2:], self.r.randrange(0, 3))
        self.r.shuffle(keys)
        lit = "{" + ", ".join(f"{q(k) if not k.isalpha() or not k.isascii() else k} = {self.site()}"
                              for k in keys) + "}"
        if d <= 0 or self.r.random() < 0.6:
            return lit
        k = self.r.randrange(6)
        if k == 0:
            return f"tomap({lit})"
        if k == 1:
            return f"merge({lit}, {self.sites(d - 1)})"
        if k == 2:
            return f"{{for k, v in {lit} : k => v if {self.ch('v.enabled', 'try(v.enabled, false)', 'v.region != null', 'can(v.ip)', ('k != ' + q('hk')))}}}"
        if k == 3:
            return f"{{for k, v in {lit} : upper(k) => v}}"
        if k == 4:
            return f"{{for s in {self.sitelist(d - 1)} : s.name => s}}"
        return lit

    def sitelist(self, d: int) -> str:
        """A list (tuple) of site objects with names."""
        out = []
        for _ in range(self.r.randrange(0, 4)):
            o = self.site()
            o = "{name = " + q(self.r.choice(SITE_KEYS)) + (", " if o != "{}" else "") + o[1:]
            out.append(o)
        lit = "[" + ", ".join(out) + "]"
        if d <= 0 or self.r.random() < 0.7:
            return lit
        return self.ch(f"values({self.sites(d - 1)})", f"tolist({lit})", f"concat({lit}, {lit})",
                       f"[for s in {lit} : s if {self.ch('s.enabled', 'try(s.enabled, true)', ('s.name != ' + q('bj')))}]")

    def skey(self, d: int) -> str:
        """A site key: a literal, or one computed the way modules compute it."""
        if d <= 0 or self.r.random() < 0.6:
            return q(self.r.choice(["hk", "hk", "hk", "bj", "bj"] + SITE_KEYS[2:] + ["missing", ""]))
        return self.ch(f"lower({q(self.r.choice(SITE_KEYS))})", f"keys({self.sites(d - 1)})[0]",
                       f"element(keys({self.sites(d - 1)}), {self.ch('0', '1', '-1', '5')})",
                       f"{self.cbool(d - 1)} ? \"hk\" : \"bj\"", f"split(\"-\", {self.region(d - 1)})[0]")

    def region(self, d: int) -> str:
        """A string expression for a region, as modules compute it."""
        if d <= 0 or self.r.random() < 0.2:
            return q(self.r.choice(REGIONS))
        s = lambda: self.region(d - 1)  # noqa: E731
        t = lambda: self.sites(d - 1)  # noqa: E731
        a = lambda: self.ch("region", "region", "ip", "name", "cidr")  # noqa: E731
        k = self.r.randrange(32)
        if k == 0: return f"lookup({t()}, {self.skey(d - 1)}, {self.site()}).{a()}"
        if k == 1: return f"{t()}[{self.skey(d - 1)}].{a()}"
        if k == 2: return f"try({t()}[{self.skey(d - 1)}].{a()}, {s()})"
        if k == 3: return f"coalesce(try({t()}[{self.skey(d - 1)}].{a()}, null), {s()})"
        if k == 4: return f"coalesce({self.ch('null', q(''), s())}, {s()})"
        if k == 5: return f"element({self.regions(d - 1)}, {self.ch('0', '1', '2', '-1', '3', 'length(' + self.regions(d - 1) + ')')})"
        if k == 6: return f"format({q(self.ch('%s', '%s-%s', '%s-vpn-%s', 'arn:aws-cn:ec2:%s:%s', '%v', '%q'))}, {s()}{', ' + s() if self.r.random() < 0.6 else ''})"
        if k == 7: return '"${' + s() + '}"'
        if k == 8: return '"${split("-", ' + s() + ')[0]}-${' + s() + '}"'
        if k == 9: return f'"%{{ if {self.cbool(d - 1)} }}{self.ch("cn-north-1", "ap-east-1", "${x}")}%{{ else }}{self.ch("us-east-1", "cn-northwest-1")}%{{ endif }}"'.replace("${x}", "${" + s() + "}")
        if k == 10: return f"{self.cbool(d - 1)} ? {s()} : {s()}"
        if k == 11: return f"one([for k, v in {t()} : v.{a()} if {self.ch('k == ' + self.skey(d - 1), 'v.enabled', 'try(v.enabled, false)')}])"
        if k == 12: return f"one({self.sitelist(d - 1)}[*].{a()})"
        if k == 13: return f"regex({q(self.ch('^(cn|ap)-', '^[a-z]+-[a-z]+', '[0-9]+$', '^(?:cn-)?([a-z]+)'))}, {s()}){self.ch('', '[0]')}"
        if k == 14: return f"replace({s()}, {q(self.ch('/-[0-9]+$/', '-', '/^cn-/', 'cn'))}, {q(self.ch('', 'x', '$1', 'cn'))})"
        if k == 15: return f"{self.ch('upper', 'lower', 'trimspace', 'title')}({s()})"
        if k == 16: return f"merge({self.site()}, {self.site()}).{a()}"
        if k == 17: return f"{{for k, v in {t()} : k => v.{a()}}}[{self.skey(d - 1)}]"
        if k == 18: return f"lookup({{for k, v in {t()} : k => v.{a()}}}, {self.skey(d - 1)}, {s()})"
        if k == 19: return f"{{for s in {self.sitelist(d - 1)} : s.name => s.{a()}...}}[{self.skey(d - 1)}][0]"
        if k == 20: return f"jsondecode({self.ch('jsonencode(' + self.site() + ')', q(json.dumps({'region': self.r.choice(REGIONS)})))}).{a()}"
        if k == 21: return f"coalescelist({self.regions(d - 1)}, [{s()}])[0]"
        if k == 22: return f"lookup(zipmap(keys({t()}), values({t()})[*].{a()}), {self.skey(d - 1)}, {s()})"
        if k == 23: return f"try(tostring({t()}[{self.skey(d - 1)}].asn), {q('none')})"
        if k == 24: return f"join({q(self.ch(',', '-', ''))}, {self.regions(d - 1)})"
        if k == 25: return f"substr({s()}, 0, {self.ch('2', '3', '-1', '100')})"
        if k == 26: return f"{self.sitelist(d - 1)}[{self.ch('0', '1', 'length(' + self.sitelist(d - 1) + ') - 1')}].{a()}"
        if k == 27: return f"can({t()}[{self.skey(d - 1)}]) ? {t()}[{self.skey(d - 1)}].{a()} : {s()}"
        if k == 28: return self.address(d - 1)
        if k == 29: return f"try({self.pick('str', d - 1)}, {s()})"
        if k == 30: return f"{t()}.{self.ch(*SITE_KEYS[:5])}.{a()}"
        return f"{self.ch('trimprefix', 'trimsuffix')}({s()}, {q(self.ch('cn-', '-1', ' ', '/32'))})"

    def address(self, d: int) -> str:
        """A string expression for a peer address or network."""
        c = lambda: self.ch(q(self.r.choice(CIDRS)), f"{self.sites(d - 1)}[{self.skey(d - 1)}].cidr",  # noqa: E731
                            f"try({self.sites(d - 1)}[{self.skey(d - 1)}].cidr, \"10.0.0.0/16\")")
        n = lambda: self.ch("0", "1", "2", "5", "-1", "255", "256", "-2")  # noqa: E731
        k = self.r.randrange(10)
        if k == 0: return f"cidrhost({c()}, {n()})"
        if k == 1: return f'"${{cidrhost({c()}, {n()})}}/32"'
        if k == 2: return f"cidrsubnet({c()}, {self.ch('1', '4', '8', '0', '-1', '24')}, {n()})"
        if k == 3: return f"split(\"/\", {c()})[0]"
        if k == 4: return f"{self.sites(d - 1)}[{self.skey(d - 1)}].ip"
        if k == 5: return f"trimsuffix({q(self.r.choice(ADDRS))}, \"/32\")"
        if k == 6: return f"element(split(\",\", {q(','.join(self.r.sample(ADDRS, 2)))}), {n()})"
        if k == 7: return f"cidrsubnets({c()}, {self.ch('4, 4', '8', '1, 2, 3', '2, 0')})[{self.ch('0', '1', '2')}]"
        if k == 8: return f"coalesce({self.sites(d - 1)}[{self.skey(d - 1)}].ip, {q(self.r.choice(ADDRS))})"
        return f"try({self.sites(d - 1)}[{self.skey(d - 1)}].ip, cidrhost({c()}, 1))"

    def regions(self, d: int) -> str:
        """A list expression of regions or addresses."""
        if d <= 0 or self.r.random() < 0.25:
            return "[" + ", ".join(q(self.r.choice(REGIONS)) for _ in range(self.r.randrange(0, 4))) + "]"
        t = lambda: self.sites(d - 1)  # noqa: E731
        a = lambda: self.ch("region", "region", "ip", "name", "cidr")  # noqa: E731
        k = self.r.randrange(14)
        if k == 0: return f"[for k, v in {t()} : v.{a()}]"
        if k == 1: return f"[for k, v in {t()} : v.{a()} if {self.cbool(d - 1)}]"
        if k == 2: return f"values({t()})[*].{a()}"
        if k == 3: return f"{self.sitelist(d - 1)}[*].{a()}"
        if k == 4: return f"{self.sitelist(d - 1)}.*.{a()}"
        if k == 5: return f"distinct({self.regions(d - 1)})"
        if k == 6: return f"tolist(toset({self.regions(d - 1)}))"
        if k == 7: return f"compact({self.regions(d - 1)})"
        if k == 8: return f"[for p in setproduct({self.regions(d - 1)}, [\"a\", \"b\"]) : join(\"-\", p)]"
        if k == 9: return f"flatten([for k, v in {t()} : [for t in try(v.tunnels, []) : \"${{k}}-${{t}}\"]])"
        if k == 10: return f"keys({t()})"
        if k == 11: return f"sort({self.regions(d - 1)})"
        if k == 12: return f"[for i, r in {self.regions(d - 1)} : \"${{r}}-${{i}}\"]"
        return f"concat({self.regions(d - 1)}, [{self.region(d - 1)}])"

    def cbool(self, d: int) -> str:
        """A condition that selects a region."""
        s = lambda: self.region(max(d - 1, 0))  # noqa: E731
        k = self.r.randrange(12)
        if d <= 0 or k == 0: return self.ch("true", "false")
        if k == 1: return f"startswith({s()}, \"cn-\")"
        if k == 2: return f"contains([\"cn-north-1\", \"cn-northwest-1\"], {s()})"
        if k == 3: return f"can(regex(\"^cn-\", {s()}))"
        if k == 4: return f"{s()} == {q(self.r.choice(REGIONS))}"
        if k == 5: return f"length({self.sites(d - 1)}) > {self.ch('0', '1')}"
        if k == 6: return f"lookup({self.site()}, \"enabled\", false)"
        if k == 7: return f"try({self.sites(d - 1)}[{self.skey(d - 1)}].enabled, false)"
        if k == 8: return f"{s()} != null"
        if k == 9: return f"can(cidrhost({self.address(d - 1)}, 0))"
        if k == 10: return f"alltrue([for v in values({self.sites(d - 1)}) : can(cidrhost(v.cidr, 1))])"
        return f"contains(keys({self.sites(d - 1)}), {self.skey(d - 1)})"

    def top(self, d: int) -> str:
        """One expression of the config family."""
        k = self.r.randrange(10)
        if k < 6: return self.region(d)
        if k < 8: return self.address(d)
        if k < 9: return self.regions(d)
        return self.cbool(d)


ARNS = ["arn:aws-cn:ec2:cn-north-1:123456789012:vpn-connection/vpn-1", "arn:aws:ec2:ap-east-1:1:vpn/x",
        "arn:aws-cn:ec2:cn-northwest-1:1:customer-gateway/cgw-1", "arn:aws:ec2::1:x", "not-an-arn", ""]
PARTS = ["cn", "ap", "us", "north", "northwest", "east", "south", "1", "2", "-", "_", "CN", "hongkong", "shanghai"]


class J(C):
    """The jurisdiction family: regions and addresses as configurations compute them from parts (templates,
    format, join, replace, ARNs, index/element, chains of cidrsubnet and cidrhost, try/can around each); a
    wrong value here would move an end across the border."""

    def part(self) -> str:
        return q(self.r.choice(PARTS))

    def region(self, d: int) -> str:
        if d <= 0 or self.r.random() < 0.15:
            return q(self.r.choice(REGIONS))
        s = lambda: self.region(d - 1)  # noqa: E731
        p = self.part
        k = self.r.randrange(24)
        if k == 0: return f'"${{{p()}}}-${{{p()}}}-${{{self.ch("1", "2", "1 + 1", "length(" + self.regions(d - 1) + ")")}}}"'
        if k == 1: return f"format({q(self.ch('%s-%s-%d', '%s-%s-%s', '%v-%v', '%s%s', '%[2]s-%[1]s'))}, {p()}, {p()}, {self.ch('1', '2', '1.5', q('1'))})"
        if k == 2: return f"join({q(self.ch('-', '', '_'))}, [{p()}, {p()}, {p()}])"
        if k == 3: return f"replace({q(self.ch('cn_north_1', 'CN-NORTH-1', 'ap_east_1', 'cn.northwest.1'))}, {q(self.ch('_', '.', '/[._]/', '/(?i)n/'))}, {q(self.ch('-', '', 'n'))})"
        if k == 4: return f"lower({s()})"
        if k == 5: return f"split({q(':')}, {q(self.r.choice(ARNS))})[{self.ch('3', '2', '4', '10')}]"
        if k == 6: return f"regex({q(self.ch('^arn:[^:]+:[^:]+:([^:]*):', 'arn:aws-cn:ec2:(?P<r>[a-z0-9-]+):', '([a-z]+-[a-z]+-[0-9])'))}, {q(self.r.choice(ARNS))}){self.ch('[0]', '', '.r')}"
        if k == 7: return f"try(regex({q('^arn:[^:]+:[^:]+:([^:]+):')}, {q(self.r.choice(ARNS))})[0], {s()})"
        if k == 8: return f"element({self.regions(d - 1)}, index({self.regions(d - 1)}, {s()}))"
        if k == 9: return f"try(element({self.regions(d - 1)}, index({self.regions(d - 1)}, {s()})), {s()})"
        if k == 10: return f"index({self.regions(d - 1)}, {s()}) >= 0 ? {s()} : {s()}"
        if k == 11: return f"{self.ch('startswith', 'endswith', 'strcontains')}({s()}, {p()}) ? {s()} : {s()}"
        if k == 12: return f"coalesce(try({s()}, null), try(lookup({self.sites(d - 1)}, {self.skey(d - 1)}).region, null), {s()})"
        if k == 13: return f"lookup({{{self.ch('default', 'prod', 'cn')} = {s()}, dev = {s()}}}, {self.ch(q('default'), q('prod'), q('dev'), 'lower(' + q('PROD') + ')')}, {s()})"
        if k == 14: return f"substr({s()}, {self.ch('0', '3', '-1', '-3')}, {self.ch('2', '5', '-1', '100')})"
        if k == 15: return f"title({s()})"
        if k == 16: return f"trimspace({s()})"
        if k == 17: return f"one(compact([{s()}, {self.ch(q(''), 'null', s())}]))"
        if k == 18: return f"flatten([[{s()}], [{s()}]])[{self.ch('0', '1', '2')}]"
        if k == 19: return f"can(regex({q('^cn-')}, {s()})) ? {s()} : {s()}"
        if k == 20: return f"upper({s()}) == {q(self.r.choice(REGIONS).upper())} ? {s()} : {s()}"
        if k == 21: return f"sort({self.regions(d - 1)})[{self.ch('0', 'length(' + self.regions(d - 1) + ') - 1')}]"
        if k == 22: return f"reverse({self.regions(d - 1)})[0]"
        return C.region(self, d)

    def address(self, d: int) -> str:
        c = lambda: self.ch(q(self.r.choice(CIDRS[:14])), f"cidrsubnet({q(self.r.choice(CIDRS[:14]))}, {self.ch('1', '4', '8', '16', '0')}, {self.ch('0', '1', '3', '255', '-1')})")  # noqa: E731
        n = lambda: self.ch("0", "1", "2", "5", "-1", "-2", "254", "255", "256", "65535", "1e3", "1.5")  # noqa: E731
        k = self.r.randrange(14)
        if k == 0: return f"cidrhost({c()}, {n()})"
        if k == 1: return f"cidrhost(cidrsubnet({c()}, {self.ch('4', '8', '2')}, {n()}), {n()})"
        if k == 2: return f"cidrsubnets({c()}, {self.ch('2, 2', '4, 8, 4', '8')})[{self.ch('0', '1', '2')}]"
        if k == 3: return f"cidrnetmask({self.ch(q('10.0.0.0/8'), q('172.16.0.0/12'), q('10.1.2.0/24'), q('fd00::/64'), q('10.0.0.0/33'))})"
        if k == 4: return f'"${{cidrhost({c()}, {n()})}}/{self.ch("32", "24", "128")}"'
        if k == 5: return f"try(cidrhost({c()}, {n()}), {q(self.r.choice(ADDRS))})"
        if k == 6: return f"can(cidrhost({c()}, {n()})) ? cidrhost({c()}, {n()}) : {q(self.r.choice(ADDRS))}"
        if k == 7: return f"join({q('.')}, slice(split({q('.')}, {q(self.ch('10.0.0.1', '58.247.0.10', '203.186.1.1', '1.2.3'))}), 0, {self.ch('3', '4', '2')}))"
        if k == 8: return f"format({q('%d.%d.%d.%d')}, {n()}, {n()}, {n()}, {n()})"
        if k == 9: return f"element(cidrsubnets({c()}, 2, 2, 2), {n()})"
        if k == 10: return f"[for i in range({self.ch('0', '1', '3')}) : cidrhost({c()}, i)][{self.ch('0', '1', '-1')}]"
        if k == 11: return f"cidrsubnet({c()}, {self.ch('8', '16', '1')}, index({self.regions(d - 1)}, {self.region(d - 1)}))"
        if k == 12: return f"lookup({{{q('cn-north-1')} = {c()}, {q('ap-east-1')} = {c()}}}, {self.region(d - 1)}, {c()})"
        return C.address(self, d)


FAMILIES = {"classic": "c", "config": "r", "vars": "v", "juris": "j"}  # vars: fuzz_vars.py


def expressions(family: str, seed: int, n: int, depth: int = 3) -> list[tuple[str, str]]:
    """n distinct expressions of a family for a seed, with their ids (prefix, seed, index): deterministic."""
    prefix = FAMILIES[family]
    if family == "vars":
        import fuzz_vars  # noqa: PLC0415 - a family of its own (cases are whole configurations)

        return fuzz_vars.cases(seed, n)
    g = J(seed * 2 + 1000) if family == "juris" else C(seed * 2 + (family == "config"))
    items: list[tuple[str, str]] = []
    seen: set[str] = set()
    while len(items) < n:
        if family in ("config", "juris"):
            e = g.top(depth)
        else:
            e = getattr(g, g.ch("str", "str", "str", "num", "bool", "lst", "map", "set"))(depth)
        if e in seen or len(e) > 600:
            continue
        seen.add(e)
        items.append((f"{prefix}{seed}.{len(items)}", e))
    return items
