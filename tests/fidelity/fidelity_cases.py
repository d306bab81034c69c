"""The fidelity suite's expressions: every implemented function with edge cases, every operator,
templates, for/splat, conversions, and each known cause of disagreement with Terraform.

The expressions are ours; the values Terraform gives for them are recorded by `record.py` into
`recorded.json`. Case ids are stable (category + position), so keep appending, never reorder.
"""

from __future__ import annotations

# function name -> argument lists (each the text between the call's parentheses)
FUNCTION_CASES: dict[str, list[str]] = {
    "abs": ["-3", "3", "0", "-1.5", "1.25", '"-2"'],
    "ceil": ["1.2", "-1.2", "5", "0.5", "-0.5", "1.0000001"],
    "floor": ["1.8", "-1.2", "5", "-0.5", "2.999"],
    "log": ["100, 10", "8, 2", "1, 10", "16, 4", "27, 3"],
    "pow": ["2, 10", "3, 0", "2, -1", "10, 3", "1.5, 2", "0, 0", "4, 0.5"],
    "signum": ["-5", "0", "3", "-0.1", "0 * -1"],
    "parseint": ['"100", 10', '"FF", 16', '"ff", 16', '"-101", 2', '"zz", 36', '"12", 8', '"9", 8', '"", 10',
                 '"10", 1', '"10", 37', '" 1", 10', '"+7", 10'],
    "max": ["1, 2, 3", "-1, -5", "1.5, 1", "5", "[3, 9, 2]...", '"4", 3'],
    "min": ["1, 2, 3", "-1, -5", "1.5, 1", "5", "[3, 9, 2]...", "", '"4", 3'],
    "sum": ["[1, 2, 3]", "[0.1, 0.2]", "[-1, 1]", "[]", "[5]", '["1", 2]', "toset([1, 2, 2])"],
    "chomp": ['"a\\n"', '"a\\r\\n"', '"a\\n\\n"', '"a"', '"a\\nb\\n"', '"\\n"'],
    "format": [
        '"%s", "a"', '"%d", 42', '"%d", 1.5', '"%5d", 42', '"%-5d|", 42', '"%05d", 42', '"%+d", 5', '"%+d", -5',
        '"%x", 255', '"%X", 255', '"%o", 8', '"%b", 5', '"%e", 1234.5', '"%.2f", 3.14159', '"%f", 1', '"%.0f", 2.5',
        '"%g", 0.0001', '"%q", "a\\"b"', '"%v", [1, 2]', '"%v", {a = 1}', '"%t", true', '"%s %s", "a", "b"',
        '"%[2]s %[1]s", "a", "b"', '"%%"', '"%s", 1.5', '"%s", true', '"%s"', '"%s", "a", "b"', '"%x", "hi"',
        '"%d", "12"', '"%s", [1]', '"%10s|", "ab"', '"%-10s|", "ab"', '"%.1s", "abc"', '"%c", 65', '"%5.1f", 3.14159',
        '"% d", 5', '"%#x", 255', '"%s", 0.1 + 0.2', '"%v", "x"', '"%v", 1', '"%v", null', '"%s", null',
        '"%d", true', '"%t", "true"', '"%q", 1', '"%.3e", 123456', '"%8.3f|", -3.5',
        # `%v` and `%g` of a number are Go's shortest `%g` (exponent form from 1e6 and below 1e-4); `0` pads text
        '"%v", 1234567', '"%v", 4200000000', '"%v", 0.00001', '"%v", 123456', '"%v", 1e6 + 0.5', '"%g", 1e15',
        '"%G", 1e15', '"%v", 2.5e-10', '"%05v|", -1', '"%05s|", "a"', '"%d", 0 * -1',
        # widths: none for `%t`; `0` pads text on the side `-` gives; big.Float verbs pad zeros left even with `-`
        '"%10t|", true', '"%-05s|", "a"', '"%-05v|", 1', '"%05q|", "a"', '"%-05.1f|", 2.25', '"%-05d|", 3',
    ],
    "formatlist": ['"%s-%s", ["a", "b"], ["1", "2"]', '"%s", ["a"]', '"x%sy", []', '"%s=%s", "k", ["a", "b"]',
                   '"%s-%s", ["a", "b"], ["1"]', '"%d", [1, 2]', '"%s", "a"'],
    "indent": ['2, "a\\nb"', '4, "a\\n\\nb"', '0, "a\\nb"', '2, "a"', '2, "a\\nb\\n"'],
    "join": ['",", ["a", "b"]', '"", ["a", "b"]', '",", []', '"-", ["a"], ["b", "c"]', '",", [1, true]',
             '",", toset(["b", "a"])', '",", ["a", null]', '",", [["a"]]'],
    "lower": ['"HeLLo"', '"ÀÉÎ"', '"ΣΑΣ"', '"İ"', '"ABC-123"', '""'],
    "upper": ['"hello"', '"straße"', '"àéî"', '"ﬁx"', '"abc-123"', '"ǆ"'],
    "title": ['"hello world"', '"hello-world foo_bar"', '"HELLO wORLD"', '"123abc def"', '"a.b c"', '""',
              '"ǆemal"', '"x  y"'],
    "regex": ['"[a-z]+", "123abc456"', '"(\\\\d+)-(\\\\d+)", "10-20"', '"(?P<a>\\\\d+)", "x42"', '"^abc$", "abd"',
              '"a(?P<x>b)(c)", "abc"', '"^\\\\w+$", "héllo"', '"\\\\p{Han}+", "abc日本def"', '"[[:alpha:]]+", "12ab3"',
              '"(?i)ABC", "xabcx"', '"a|", "b"', '"\\\\Qa.b\\\\E", "xa.bx"', '"(a)(b)?", "a"',
              '"^(?P<k>[^=]+)=(?P<v>.*)$", "a=b=c"', '"[", "x"', '"a{2,}", "caaat"', '"\\\\bfoo\\\\b", "a foo b"',
              '"(?s)a.b", "a\\nb"', '"\\\\z", "a"', '"x*", "aaa"'],
    "regexall": ['"\\\\d+", "a1b22c333"', '"a*", "baaac"', '"(\\\\w)(\\\\d)", "a1 b2"', '"x", "abc"',
                 '"(?P<n>\\\\d)", "1 2"', '"", "ab"', '"[aeiou]", "education"', '"a*?", "aaa"', '"\\\\b", "ab cd"'],
    "replace": ['"hello", "l", "L"', '"a.b.c", ".", "-"', '"abc", "/b/", "x"', '"abc", "/(b)/", "[$1]"',
                '"abc", "/(b)/", "$1x"', '"abc", "/(b)/", "${1}x"', '"aaa", "/a*?/", "-"', '"aaa", "/a*/", "-"',
                '"abc", "", "-"', '"abc", "/x/", "y"', '"a1b2", "/[0-9]/", ""', '"abc", "/(?P<n>b)/", "<$n>"',
                '"abc", "/b/", "$$"', '"abc", "/b/", "\\\\1"', '"ab", "/", "x"', '"//", "/", "x"',
                '"hello world", "/o/", "0"', '"abc", "/[/", "x"', '"ABC", "/(?i)b/", "x"', '"héllo", "/\\\\w/", "_"',
                '"a-b", "-", ""', '"x", "x", "$1"'],
    "split": ['",", "a,b,c"', '",", ""', '"", "abc"', '",", "a,,b"', '", ", "a, b"', '"x", "x"', '",", "a,"'],
    "strrev": ['"abc"', '""', '"日本"', '"e\\u0301x"'],
    "substr": ['"hello", 1, 3', '"hello", -3, 2', '"hello", 0, -1', '"hello", 10, 2', '"hello", 2, 100',
               '"日本語", 1, 1', '"e\\u0301x", 0, 1', '"hello", -10, 2', '"abc", 1.5, 1', '"", 0, 1'],
    "trim": ['"?!hello?!", "!?"', '"  x  ", " "', '"abc", ""', '"aaa", "a"', '"xyx", "y"', '"ab", "ba"'],
    "trimprefix": ['"helloworld", "hello"', '"hello", "x"', '"aaa", "a"', '"", ""'],
    "trimsuffix": ['"helloworld", "world"', '"hello", "x"', '"aaa", "a"', '"a", ""'],
    "trimspace": ['"  a  "', '"\\n\\ta\\n"', '""', '" a b "', '"\\u00a0a\\u00a0"', '"\\u3000a"'],
    "startswith": ['"hello", "he"', '"hello", "lo"', '"", ""', '"a", ""', '"e\\u0301", "e"'],
    "endswith": ['"hello", "lo"', '"hello", "he"', '"", ""', '"ae\\u0301", "\\u0301"'],
    "strcontains": ['"hello", "ell"', '"hello", "x"', '"", ""', '"a", ""'],
    "alltrue": ["[true, true]", "[true, false]", "[]", '["true", true]', "[true, null]", "[1]", "toset([true])"],
    "anytrue": ["[false, true]", "[false, false]", "[]", '["true"]', "[null, true]", "[false, null]"],
    "chunklist": ['["a", "b", "c"], 2', "[1, 2, 3, 4], 2", "[], 3", '["a"], 0', "[1, 2], -1"],
    "coalesce": ['"a", "b"', '"", "b"', 'null, "x"', "1, 2", '1, "a"', '"", 0', 'null, null', '""', '[], ["a"]',
                 '{}, {a = 1}', "null, 0", '"a", 1, true'],
    "coalescelist": ['["a"], ["b"]', '[], ["b"]', "[], []", "[[]], [1]", '[], [1], ["x"]'],
    "compact": ['["a", "", "b", null]', "[]", '[1, ""]', '["", ""]', '[true, "x"]'],
    "concat": ['["a"], ["b"]', "[1], [2, 3], []", "[]", '[1], ["a"]', 'toset(["b", "a"]), ["c"]', "", '[["a"]], ["b"]'],
    "contains": ['["a", "b"], "a"', '["a"], "c"', "[1, 2], 1", '[1, 2], "1"', '["a"], null', "[], 1",
                 'toset(["a"]), "a"', "[[1]], [1]", '{a = 1}, "a"'],
    "distinct": ['["a", "b", "a"]', "[1, 2, 1]", '[1, "1"]', "[]", "[[1], [1]]", '[true, "true"]'],
    "element": ['["a", "b", "c"], 1', '["a", "b", "c"], 3', '["a", "b", "c"], -1', '["a"], 0', '["a", "b"], 1.7',
                '[], 0', 'toset(["b", "a"]), 0', '["a", "b"], "1"', '["a"], -1'],
    "flatten": ['[["a", "b"], [], ["c"]]', "[[[1]], 2]", "[]", "[1, 2]", "[[null]]", '[["a"], "b"]',
                "[toset([1]), [2]]", "[{a = 1}]"],
    "index": ['["a", "b", "c"], "b"', '["a"], "z"', "[1, 2], 2", '[1, 2], "2"', "[], 1"],
    "keys": ["{a = 1, b = 2}", "{b = 1, a = 2}", "{}", 'tomap({x = "1"})', '{"1" = 1, "10" = 2, "2" = 3}'],
    "length": ['"hello"', "[1, 2]", "{a = 1}", '""', '"日本"', '"e\\u0301"', '"👨\\u200d👩\\u200d👧"', '"🇨🇳"',
               "toset([1, 1])", "null", "1"],
    "lookup": ['{a = 1}, "a"', '{a = 1}, "b", 0', '{a = 1}, "b"', '{a = "x"}, "a", "d"', '{}, "a", null',
               '{a = 1}, 1, 2', '{a = {b = 1}}, "a"', '{a = 1}, "b", "x"'],
    "matchkeys": ['["a", "b", "c"], ["x", "y", "z"], ["y"]', '[1, 2], ["a", "b"], ["a", "b"]', '[], [], ["a"]',
                  '["a"], ["x", "y"], ["x"]'],
    "merge": ["{a = 1}, {b = 2}", "{a = 1}, {a = 2}", "{}, null", "", '{a = 1}, {a = "x"}', "{a = {b = 1}}, {a = {c = 2}}",
              "{a = 1}, [1]"],
    "one": ['["a"]', "[]", "[1, 2]", 'toset(["x"])', "[null]"],
    "range": ["3", "1, 4", "0, 10, 3", "-3", "10, 5", "5, 1, -2", "0", "1, 1", "0.1, 0.5, 0.1", "0, 1, 0.25", "3, 0, 1",
              "0, 3, -1", "1.5"],
    "reverse": ['["a", "b"]', "[]", "[1, [2]]", 'toset(["b", "a"])'],
    "setintersection": ['["a", "b"], ["b", "c"]', '["a"], ["b"]', '["a", "b"], ["b"], ["b", "a"]', "[1, 2], [2]",
                        '[], ["a"]'],
    "setproduct": ['["a", "b"], ["1", "2"]', '["a"], []', "[1], [2], [3]", '["x"], [1]'],
    "setsubtract": ['["a", "b", "c"], ["b"]', '["a"], ["a"]', '[], ["a"]', "[1, 2], [2]", '["b", "a"], []'],
    "setunion": ['["a"], ["b"]', '["b", "a"], ["a", "c"]', "[], []", "[1], [2]", '["a"], [1]'],
    "slice": ['["a", "b", "c"], 1, 2', '["a", "b"], 0, 0', '["a"], 0, 2', '["a", "b"], 2, 1', '[1, 2, 3], 0, 3',
              '["a", "b"], 1.5, 2', '["a"], -1, 1'],
    "sort": ['["b", "a", "c"]', '["10", "9", "1"]', "[3, 1]", "[]", '["B", "a", "A"]', 'toset(["b", "a"])'],
    "transpose": ['{a = ["1", "2"], b = ["2"]}', "{}", '{a = []}', '{a = ["x"], b = ["x"]}'],
    "values": ["{a = 1, b = 2}", "{b = 1, a = 2}", "{}", '{a = "x", b = [1]}'],
    "zipmap": ['["a", "b"], [1, 2]', '["a", "b"], [1]', "[], []", '["a", "a"], [1, 2]', '[1, 2], ["x", "y"]',
               '["a"], [[1]]'],
    "base64decode": ['"aGVsbG8="', '"aGVsbG8"', '"!!"', '""', '"5pel5pys"', '"/w=="'],
    "base64encode": ['"hello"', '""', '"日本"', '"a\\nb"'],
    "base64gzip": ['"hello"'],
    "csvdecode": ['"a,b\\n1,2\\n3,4"', '"a\\n1"', '"a,b\\n1"', '"a,b\\n"', '"a,b\\n\\"x,y\\",z"'],
    "jsondecode": ['"{\\"a\\": 1}"', '"[1, 2]"', '"\\"x\\""', '"null"', '"1.5"', '"true"', '"{"', '"NaN"', '"1e3"',
                   '"{\\"b\\": 1, \\"a\\": 2}"', '"  [ ]  "', '"\\"\\\\u00e9\\""', '"[1, \\"a\\"]"', '"01"'],
    "jsonencode": ['"a"', "1", "true", "null", "[1, \"a\"]", "{b = 1, a = 2}", '"<a&b>"', '"é日本"', "0.1 + 0.2",
                   "1 / 3", '"\\u2028"', "[]", "{}", "1.5", "-0.0", "tolist([])", '"\\u0001"', "1000000000000000000000",
                   '{a = [{b = null}]}'],
    "textdecodebase64": ['"aGVsbG8=", "UTF-8"'],
    "textencodebase64": ['"hello", "UTF-8"'],
    "urlencode": ['"a b&c=d/é"', '""', '"~-_."', '"a+b"'],
    "yamldecode": ['"a: 1"', '"- a\\n- b"', '"x"', '"a: [1, 2]\\nb: {c: true}"', '"1.5"', '"null"', '"a: yes"',
                   '"a: 0x10"', '"a: \\"1\\""', '"- 1\\n- two"', '"{a: 1"', '""', '"a: 1e3"', '"a: .inf"', '"a: ~"',
                   '"a: 2001-12-14"', '"? |\\n  x\\n: 1"', '"a: 010"'],
    "yamlencode": ['{a = 1}', '["a", "b"]', '"x"', '{b = [1, 2], a = {c = true, d = null}}', '[{a = 1, b = 2}, {c = 3}]',
                   '[[1, 2], [3]]', '{a = []}', '{a = {}}', '[]', '{}', 'null', '1.5', '"a\\"b"', '"a\\nb"', '{"x y" = "z"}',
                   '[{a = [1]}]', '{a = [{b = 1}]}', '"yes"', '"1"', '"é"', '""', 'true',
                   '{a = "x\\ny"}', '["x\\ny\\n", "z"]', '{a = {b = "l1\\nl2\\n\\n"}}', '" lead\\nx"', '"a \\nb"',
                   '"a\\n\\nb"', '[["x\\ny"]]', '"tab\\tx"', '{"k:1" = "v: 1"}', '["- x", "#y", "null", "true", "012"]'],
    "abspath": ['"x"'],
    "basename": ['"a/b/c.txt"', '"c.txt"', '"a/b/"', '""', '"/"', '"a\\\\b"'],
    "dirname": ['"a/b/c.txt"', '"c.txt"', '"a/b/"', '""', '"/a"'],
    "pathexpand": ['"a/b"'],
    "cidrhost": ['"10.0.0.0/8", 1', '"10.0.0.0/8", -1', '"10.0.0.0/24", 256', '"10.1.2.0/24", 5',
                 '"fd00::/64", 17', '"10.0.0.5/24", 1', '"010.0.0.0/8", 1', '"10.0.0.0/33", 1', '"10.0.0.0/30", 3',
                 '"192.168.0.0/16", "2"'],
    "cidrnetmask": ['"10.0.0.0/8"', '"172.16.0.0/12"', '"10.0.0.0/32"', '"10.0.0.0/0"', '"fd00::/64"', '"x"'],
    "cidrsubnet": ['"10.0.0.0/16", 8, 2', '"10.0.0.0/16", 8, 256', '"10.0.0.0/16", 8, -1', '"fd00::/56", 8, 1',
                   '"10.0.0.0/16", 0, 0', '"10.0.0.0/30", 4, 0', '"10.1.0.0/16", 4, 15', '"10.1.2.3/16", 8, 1',
                   '"10.0.0.0/8", "8", "1"'],
    "cidrsubnets": ['"10.0.0.0/16", 8, 8, 4', '"10.0.0.0/8", 4', '"10.0.0.0/24", 4, 2', '"fd00::/56", 8, 8',
                    '"10.0.0.0/30", 4'],
    "md5": ['"hello"', '""', '"日本"'],
    "sha1": ['"hello"', '""'],
    "sha256": ['"hello"', '""', '"日本"'],
    "sha512": ['"hello"'],
    "base64sha256": ['"hello"'],
    "base64sha512": ['"hello"'],
    "uuidv5": ['"dns", "example.com"', '"url", "https://x"', '"6ba7b810-9dad-11d1-80b4-00c04fd430c8", "a"',
               '"x", "a"'],
    "tobool": ['"true"', '"false"', "true", "null", '"yes"', "1", '"True"'],
    "tolist": ['["a", "b"]', '[1, "a"]', "[true, \"x\"]", "[]", 'toset(["b", "a"])', '"a"', "[1, true]",
               "[[1], [\"a\"]]", "[null, 1]"],
    "tomap": ['{a = 1}', '{a = 1, b = "x"}', '{a = [1], b = ["x"]}', '{a = true, b = "x"}', "{}", "[1]",
              '{a = 1, b = true}', '{a = {x = 1}, b = {x = "y"}}', '{a = null, b = 1}'],
    "tonumber": ['"12"', '"1.5"', "5", "null", '" 12 "', '"1_000"', '"nan"', '"1e3"', '"0x10"', '"-7"', "true",
                 '"1e400"', '"abc"', '"+3"', '".5"', '"5."'],
    "toset": ['["b", "a", "b"]', '[1, "a"]', "[true, false, true]", "[]", "[3, 1, 2]", '["10", "9"]', "[[1], [1]]",
              '"a"', "[1, 1.0]"],
    "tostring": ['"a"', "1", "true", "null", "1.5", "0.1 + 0.2", "1 / 3", "1e3", "1e20", "1e-7", "-0.0", "[1]",
                 "100000000000000000000", "2.50"],
    "nonsensitive": ['"a"'],
    "sensitive": ['"a"'],
    "type": ['"a"'],
    "timestamp": [""],
    "uuid": [""],
    "bcrypt": ['"a"'],
    "file": ['"x.txt"'],
    "fileexists": ['"x.txt"'],
    "templatefile": ['"x.tpl", {}'],
    "formatdate": ['"YYYY", "2020-01-02T03:04:05Z"', '"DD MMM YYYY hh:mm ZZZ", "2018-01-02T23:12:01Z"',
                   '"EEEE, DD-MMM-YY hh:mm:ss ZZZ", "2018-01-02T23:12:01Z"', '"EEE, DD MMM YYYY hh:mm:ss ZZZ", "2018-01-02T23:12:01-08:00"',
                   '"MMM DD, YYYY", "2018-01-02T23:12:01Z"', '"HH:mmaa", "2018-01-02T23:12:01Z"', '"H:m:s AA", "2018-01-02T03:04:05Z"',
                   "\"'Date:' YYYY-MM-DD\", \"2020-02-29T00:00:00+05:30\"", '"Z ZZZZ ZZZZZ", "2020-01-01T00:00:00+05:30"',
                   '"YYYY", "2020-01-02"', '"x", "2020-13-01T00:00:00Z"', '"YYYYY", "2020-01-02T03:04:05Z"',
                   '"M/D", "2020-01-02T03:04:05.123Z"', "\"'it''s' h\", \"2020-01-02T03:04:05Z\""],
    "timeadd": ['"2020-01-01T00:00:00Z", "1h"', '"2020-01-01T00:00:00Z", "-10m"', '"2020-01-01T00:00:00Z", "1h30m45s"',
                '"2020-01-01T00:00:00+02:00", "24h"', '"2020-01-01T00:00:00Z", "1.5h"', '"2020-01-01T00:00:00Z", "100ms"',
                '"2020-01-01T00:00:00Z", "1d"', '"2020-01-01", "1h"', '"2020-01-01T00:00:00.5Z", "1s"', '"2020-02-28T23:00:00Z", "2h"'],
    "timecmp": ['"2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z"', '"2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z"',
                '"2020-01-01T01:00:00+01:00", "2020-01-01T00:00:00Z"', '"2021-01-01T00:00:00Z", "2020-01-01T00:00:00Z"',
                '"x", "2020-01-01T00:00:00Z"'],
    "plantimestamp": [""],
}

# IPv4-mapped IPv6 networks (Go's To4() makes go-cidr treat them half as IPv4), more encodings, NFC strings,
# and the network functions' edges (negative and out-of-range numbers): appended, so earlier ids stay stable.
FUNCTION_CASES["cidrhost"] += [
    '"::ffff:10.0.0.0/120", 1', '"::ffff:10.0.0.0/120", 0', '"::ffff:10.0.0.0/120", -1', '"::ffff:10.0.0.0/96", 1',
    '"::ffff:10.0.0.0/88", 1', '"::ffff:10.0.0.0/128", 0', '"::10.0.0.0/120", 1', '"::ffff:10.0.0.0/120", 256',
    '"10.0.0.0/24", -256', '"10.0.0.0/24", -257', '"10.0.0.0/32", 0', '"10.0.0.0/24", 1.5', '"10.0.0.0", 1',
    '"::/64", 281470681743361',
]
FUNCTION_CASES["cidrsubnet"] += [
    '"::ffff:10.0.0.0/104", 8, 1', '"::ffff:10.0.0.0/104", 8, 255', '"::ffff:10.0.0.0/96", 8, 10',
    '"::ffff:10.0.0.0/88", 8, 1', '"::ffff:10.0.0.0/104", 8, -1', '"10.0.0.0/8", 24, 3', '"10.0.0.0/8", 25, 3',
    '"fd00::/8", 120, 3', '"::/80", 16, 65535',
]
FUNCTION_CASES["cidrsubnets"] += [
    '"::ffff:10.0.0.0/104", 8, 8, 4', '"::ffff:10.0.0.0/120", 8', '"10.0.0.0/16", 17', '"10.0.0.0/16"',
    '"10.0.0.0/16", 4, 4, 8, 4',
]
FUNCTION_CASES["cidrnetmask"] += [
    '"::ffff:10.0.0.0/104"', '"::ffff:10.0.0.0/96"', '"::ffff:10.0.0.0/88"', '"10.1.2.3/12"',
]
FUNCTION_CASES["textdecodebase64"] += [
    '"//5oAGkA", "UTF-16"', '"/v8AaABp", "UTF-16"', '"AGgAaQ==", "UTF-16"', '"aABpAA==", "UTF-16LE"',
    '"//5oAGkA", "UTF-16LE"', '"AGgAaQ==", "UTF-16BE"', '"aABpAA==", "utf-16le"', '"aABp", "UTF-16LE"',
    '"ANg=", "UTF-16LE"', '"Pdg93g==", "UTF-16LE"', '"", "UTF-16"', '"/f8=", "UTF-16LE"', '"aGk=", "ISO-8859-1"',
    '"6Q==", "ISO-8859-1"', '"!!", "UTF-16"', '"ZQABAw==", "UTF-16LE"', '"aGk=", "UTF16"',
]
FUNCTION_CASES["textencodebase64"] += [
    '"hi", "UTF-16LE"', '"hi", "UTF-16BE"', '"hi", "UTF-16"', '"", "UTF-16"', '"😀", "UTF-16LE"', '"中", "UTF-16BE"',
    '"é", "ISO-8859-1"', '"中", "ISO-8859-1"', '"hi", "latin1"', '"hi", "nope"', '"hi", "utf-16"',
]
FUNCTION_CASES["base64decode"] += ['"ZcyB"']
FUNCTION_CASES["jsondecode"] += ['"\\"e\\\\u0301\\""', '"{\\"e\\\\u0301\\": 1}"']
FUNCTION_CASES["yamldecode"] += ['"\\"e\\\\u0301\\""', '"\\"e\\\\u0301\\": 1"']
FUNCTION_CASES["join"] += ['"", ["e", "\\u0301"]']
FUNCTION_CASES["format"] += ['"%s%s", "e", "\\u0301"']
FUNCTION_CASES["replace"] += ['"ex", "x", "\\u0301"']
FUNCTION_CASES["element"] += ['["a", "b", "c"], 5', '["a"], -4', '[], 0']
FUNCTION_CASES["index"] += ['["a", "b"], 1']
FUNCTION_CASES["lookup"] += ['{a = "x"}, "a", 1', '{}, "b", "d"']
FUNCTION_CASES["regex"] += ['"(?i)AB", "xab"', '"^\\\\d+\\\\.\\\\d+\\\\.\\\\d+\\\\.\\\\d+$", "10.0.0.1"', '"\\\\p{Han}+", "ab中国"']
FUNCTION_CASES["split"] += ['",", ","', '", ", "a, b,c"']
FUNCTION_CASES["sort"] += ['["a", null]', '["b", "a", "B", "10", "9"]']
FUNCTION_CASES["distinct"] += ['[]']
FUNCTION_CASES["formatlist"] += ['"%s", []', '"%s-%s", ["a"], "x"', '"%d", ["1", "2"]', '"%s", [null]', '"%s", [[1]]']
# each element of a list a function builds is a Terraform string: NFC (session 20)
FUNCTION_CASES["formatlist"] += ['"%s%s", ["e"], ["\\u0301"]', '"%s", ["e\\u0301"]', '"%s\\u0301", ["e"]']
FUNCTION_CASES["split"] += ['",", "e,\\u0301"', '"\\u0301", "e\\u0301a"']
FUNCTION_CASES["regexall"] += ['".", "e\\u0301"']

OPERATOR_CASES: list[str] = [
    # arithmetic, with numbers Terraform keeps exact
    "1 + 2", "0.1 + 0.2", "0.1 * 3", "2 / 3", "1 / 3", "10 / 4", "7 - 10", "2 * 3.5", "-5 + 2", "1 / 0", "-1 / 0",
    "5 % 3", "-5 % 3", "5 % -3", "-5 % -3", "5.5 % 2", "3 % 0", "0 % 5", "-0.0", "1.0", "1.50", "007",
    "100000000000000000000 + 1", "9007199254740993", "9007199254740993 + 0", "2 * 0.5", "0.3 - 0.1",
    "1.1 * 1.1", "1e3", "1E3", "1e-7", "1.5e-3", "1e3 == 1000", "2e2 + 1", '"1" + 2', '"a" + 1', "true + 1", "null + 1",
    # comparison and equality with types
    "1 < 2", "2 <= 2", "3 > 4", "3 >= 3", '"2" < 10', '"a" < "b"', "1 == 1.0", '1 == "1"', 'true == "true"',
    "null == null", '"a" == null', "[1] == [1]", "[1] == tolist([1])", "{a = 1} == {a = 1}", "{a = 1} == tomap({a = 1})",
    "tolist([1]) == tolist([1])", "tomap({a = 1}) == tomap({a = 1})", "[] == []", "{} == {}", "[1, 2] == [2, 1]",
    "toset([1, 2]) == toset([2, 1])", "0.1 + 0.2 == 0.3", "1 != 2", '"a" != "a"', "{} != tomap({})", "[] != tolist([])",
    '{a = 1} == {a = "1"}', "[1] == [\"1\"]",
    # logic
    "true && false", "true || false", "!true", "!false", '!"true"', "true && true", "false || false",
    "true || tonumber(\"x\")", "false && tonumber(\"x\")", '"true" && true', "1 && true", "null && true",
    # unary
    "-(3)", "-(-3)", '-"3"', "-true",
    # conditionals, with type unification and chains
    'true ? "a" : "b"', 'false ? "a" : "b"', 'false ? "a" : 1', 'true ? 1 : "2"', "true ? {a = 1} : {a = \"x\"}",
    'true ? [1] : ["a"]', "true ? null : 1", 'false ? null : "x"', 'true ? 1 : true', 'true ? [1] : [1, 2]',
    "true ? {a = 1} : {b = 2}", '"true" ? 1 : 2', '1 ? 1 : 2', "null ? 1 : 2",
    'true ? true : false ? "b" : "c"', '1 > 0 ? false : true ? false : true', 'true ? "false" : true ? "x" : "y"',
    'true ? "a" : false ? "b" : "c"', 'false ? "a" : true ? "b" : "c"', 'false ? "a" : false ? "b" : "c"',
    'true ? null : false ? "b" : "c"', "true ? 1 : false ? 2 : 3", 'true ? [] : false ? ["b"] : ["c"]',
    '1 == 2 ? "one" : 2 == 2 ? "two" : "other"', '(true ? "a" : "b") == "a" ? "yes" : "no"',
    'false ? "a" : false ? "b" : false ? "c" : "d"', 'true ? (false ? "x" : "y") : "z"',
    'false ? 1 : true ? 2 : 3', '2 > 1 ? 2 > 3 ? "a" : "b" : "c"',
    # indexes, attributes, splats
    '[1, 2, 3][1]', '[1, 2][2]', '[1, 2]["1"]', '{a = 1}.a', '{a = 1}["a"]', '{a = 1}.b', '["a"][-1]', '[1, 2][1.5]',
    '{a = {b = [1, {c = "x"}]}}.a.b[1].c', 'null[0]', '"abc"[0]', '[[1, 2], [3]][0][1]', '{a = [1]}.a.0',
    'tolist(["x", "y"])[1]', 'toset(["a"])[0]', 'tomap({a = 1})["a"]', '{"x y" = 1}["x y"]',
    # a zero product keeps its sign (big.Float)
    "0 * -1", "tostring(0 * -1)", "max(0 * -1, 0)",
]

TEMPLATE_CASES: list[str] = [
    '"a${1 + 1}b"', '"${"x"}"', '"${1}"', '"${true}"', '"v${0.1 + 0.2}"', '"v${1 / 3}"', '"v${-0.0}"', '"v${2 / 3}"',
    '"a${null}"', '"${[1]}"', '"$${x}"', '"%%{x}"', '"a\\nb"', '"\\u00e9"', '"\\t"', '"a\\\\b"', '"$"', '"%"',
    '"${"a"}${"b"}"', '"x %{ if true }y%{ endif } z"', '"x %{ if false }y%{ else }n%{ endif } z"',
    '"%{ for x in ["a", "b"] }${x},%{ endfor }"', '"%{ for i, x in ["a", "b"] }${i}=${x} %{ endfor }"',
    '"%{ for k, v in {b = 1, a = 2} }${k}${v}%{ endfor }"', '"[%{~ for x in ["a", "b"] ~} ${x} %{~ endfor ~}]"',
    '"x %{ if 1 == 1 ~} y %{~ endif } z"', '"a ${~ "b" ~} c"', '"a ${"b" ~} c"', '"a ${~ "b"} c"',
    '"%{ if "true" }t%{ endif }"', '"%{ if 1 }t%{ endif }"', '"%{ for x in toset(["b", "a"]) }${x}%{ endfor }"',
    '"%{ for x in [] }x%{ endfor }"', '"${1 == 1}"', '"${"a" == "a" ? "y" : "n"}"', '"${upper("a")}-${lower("B")}"',
    '"${[for x in [1, 2] : x * 2][1]}"', '"\\"quoted\\""', '"é${"日本"}"', '"${{a = 1}.a}"', '"a%{if true} %{endif}b"',
    '"%{ for x in [1, 2] ~}\\n${x}\\n%{~ endfor }"', '"${"$${"}"', '"x${1.5}"', '"x${1e3}"', '"${100000000000000000000}"',
]

# `$$${`: HCL lexes `$` + the escape `$${`, so no interpolation starts there (a `"` inside then ends the string)
TEMPLATE_CASES += ['"$$${a}"', '"x$$${a}"', '"$$$${a}"', '"$$$$${"a"}"', '"$$${"a"}"', '"%%%{if true}x%{endif}"',
                   '"$$%{if true}x%{endif}"', '"%$${a}"', '"${"e"}${"\\u0301"}"']

HEREDOC_CASES: list[str] = [
    "<<EOT\nhello\nEOT",
    "<<EOT\nhello ${1 + 1}\nworld\nEOT",
    "<<-EOT\n    indented\n      more\n    EOT",
    "<<-EOT\n  a\n\n  b\n  EOT",
    "<<EOT\n%{ for x in [\"a\", \"b\"] ~}\nitem ${x}\n%{ endfor ~}\nEOT",
    "<<EOT\n%{ if true ~}\n  yes\n%{ else ~}\n  no\n%{ endif ~}\nEOT",
    "<<-EOT\n    %{~ for x in [1, 2] ~}\n      ${x}\n    %{~ endfor ~}\n    EOT",
    "<<EOT\n%{ for k, v in {b = 1, a = 2} ~}\n${k} = ${v}\n%{ endfor ~}\nEOT",
    "<<-EOT\n  #!/bin/bash\n  %{ for k, v in {a = 1, b = 2} ~}\n  export ${k}=${v}\n  %{ endfor ~}\n  echo done\n  EOT",
    "<<-EOT\n  %{~ if true ~}\n  on\n  %{~ endif ~}\n  EOT",
    "<<EOT\n[\n%{ for i, x in [\"a\", \"b\"] ~}\n  \"${x}\"%{ if i < 1 },%{ endif }\n%{ endfor ~}\n]\nEOT",
    "<<EOT\n$${literal} %%{literal}\nEOT",
    "<<EOT\n\\n is not an escape\nEOT",
    "<<-EOT\n\ttab\n\tEOT",
    "<<EOT\nEOT",
    "<<EOT\n  ${~ \"x\" ~}  \n  y\nEOT",
    "<<-EOT\n  a ${\"b\"}\n    c\n  EOT",
    "<<EOT\n%{ if false }x%{ endif }\nEOT",
]

HEREDOC_CASES += ["<<EOT\n$$${a}\nEOT", "<<-EOT\n    x $$${a}\n  y\n  EOT", "<<EOT\n$$${\"a\"}\nEOT",
                  "<<EOT\n%%%{if true}x%{endif}\nEOT"]

# an odd run of `%` (`$`) before `{` whose directive (interpolation) tree-sitter cannot parse: HCL reads a lone
# sign and the escape, so the text is literal (session 20)
TEMPLATE_CASES += ['"%%%{a}"', '"x%%%{a}y"', '"%%%%%{a}"', '"%%%{if true}x%%{endif}"', '"$$${1 +}"', '"$$${a b}"',
                   '"a%%%{b}${"c"}"', '"%%%{ for }"', '"$$$$$${a b}"', '"${"%%%{"}"', '"%%%{${"a"}}"']
HEREDOC_CASES += ["<<EOT\n%%%{a}\nEOT", "<<EOT\nx %%%{ 1 + }\nEOT", "<<-EOT\n    %%%{a} ${\"b\"}\n  EOT"]

FOR_SPLAT_CASES: list[str] = [
    "[for x in [1, 2, 3] : x * 2]", "[for i, x in [\"a\", \"b\"] : \"${i}${x}\"]", "[for x in [1, 2, 3] : x if x > 1]",
    "{for x in [\"a\", \"b\"] : x => upper(x)}", "{for k, v in {a = 1, b = 2} : v => k}",
    "{for x in [\"a\", \"a\", \"b\"] : x => x...}", "{for x in [\"a\", \"a\"] : x => x}", "[for k, v in {b = 1, a = 2} : k]",
    "[for v in {b = 1, a = 2} : v]", "[for i, v in toset([\"b\", \"a\"]) : i]", "[for v in toset([\"b\", \"a\"]) : v]",
    "[for x in [] : x]", "{for x in [] : x => x}", "[for x in null : x]", "[for x in \"abc\" : x]",
    "[for x in [1, 2] : x if x]", "[for x in [1, 2] : [for y in [3, 4] : x * y]]",
    "{for x in [1, 2] : x => x * 10}", "{for x in [\"a\"] : x => x if false}", "[for x in [[1, 2], [3]] : length(x)]",
    "flatten([for x in [1, 2] : [for y in [\"a\", \"b\"] : \"${x}${y}\"]])",
    "{for k, v in {a = {p = 1}, b = {p = 2}} : k => v.p if v.p > 1}", "[for k, v in {a = 1} : {k = k, v = v}]",
    "[for x in toset([3, 1, 2]) : x]", "[for i, x in tolist([\"p\", \"q\"]) : i]",
    "{for i, x in [\"a\", \"b\"] : x => i}", "[for x in [1, 2] : x...]",
    "[{a = 1}, {a = 2}][*].a", "[{a = 1}, {a = 2}].*.a", "[{a = [1, 2]}, {a = [3]}].*.a[0]",
    "[{a = [1, 2]}, {a = [3]}][*].a[0]", "[{a = {b = 1}}, {a = {b = 2}}][*].a.b", "[{a = {b = 1}}, {a = {b = 2}}].*.a.b",
    "{a = 1}[*].a", "null[*].a", "[][*].a", "[[1, 2], [3, 4]][*][0]", "[{a = [{b = 1}]}, {a = [{b = 2}, {b = 3}]}][*].a[0].b",
    "[{a = 1}, {b = 2}][*].a", "tolist([{a = 1}])[*].a", "toset([\"a\", \"b\"])[*]", "[{a = 1}, {a = 2}].*.a[1]",
    "length([{a = 1}, {a = 2}].*.a)", "[\"x\"][*]", "\"x\"[*]", "[{a = [1]}, {a = [2]}][*].a[*]",
    "[for x in [{n = \"a\"}, {n = \"b\"}] : x.n if x.n != \"a\"]", "{for k, v in {a = \"1\", b = \"2\"} : k => tonumber(v)}",
    "[for x in [\"b\", \"a\"] : x][0]", "{for x in [3, 1] : x => x}", "keys({for x in [\"b\", \"a\"] : x => 1})",
    "[for x in [1, 2, 3] : x if x % 2 == 1]", "[for k, v in {a = [1, 2], b = [3]} : length(v)]",
    "{for s in [\"a=1\", \"b=2\"] : split(\"=\", s)[0] => split(\"=\", s)[1]}",
]

COMPOSITION_CASES: list[str] = [
    'lookup({a = "x"}, "a", "d") == "x" ? upper("y") : "z"',
    'join(",", [for x in range(3) : format("%02d", x)])',
    'merge({for x in ["a", "b"] : x => 1}, {c = 2})',
    'coalesce(try(tonumber("x"), null), 5)',
    'try({a = 1}.b, "default")', 'try(tonumber("x"), "fallback")', "try(1, 2)", 'try(local_undefined, "d")',
    'can(tonumber("1"))', 'can(tonumber("x"))', 'can({a = 1}.b)', "can([1][3])", "try([1][3], [2][0])",
    'cidrsubnet(cidrsubnet("10.0.0.0/8", 8, 1), 8, 3)',
    '[for i in range(3) : cidrsubnet("10.0.0.0/16", 8, i)]',
    'zipmap(["a", "b"], [for x in [1, 2] : x * 10])',
    'length(distinct(concat(["a"], ["a", "b"])))',
    'jsonencode({for k, v in {b = 1, a = [true, null]} : k => v})',
    'jsondecode(jsonencode({a = [1, "x"]}))',
    'element(split(",", "a,b,c"), length(split(",", "a,b,c")) - 1)',
    'upper(substr(replace("hello-world", "-", " "), 0, 5))',
    'sort(keys(merge({b = 1}, {a = 2})))',
    'alltrue([for x in [1, 2] : x > 0])', 'anytrue([for x in ["a", "b"] : x == "b"])',
    'setsubtract(toset(["a", "b"]), ["a"])', 'length(setunion(["a"], ["b"], ["a"]))',
    'sum([for x in [1, 2, 3] : x * x])', 'max([for x in ["3", "10"] : tonumber(x)]...)',
    'format("%s-%s", split("-", "a-b")...)', 'flatten([for k, v in {a = [1], b = [2, 3]} : [for x in v : "${k}${x}"]])',
    'regex("^(\\\\w+)-(\\\\d+)$", "web-42")[1]', 'one([for x in [1, 2] : x if x == 2])',
    'contains(keys({a = 1}), "a") ? "yes" : "no"', 'index(["x", "y"], "y") + 1',
    'formatlist("%s:%d", ["a", "b"], [80, 443])', 'base64decode(base64encode("round trip"))',
    'yamldecode(yamlencode({a = [1, 2]}))', 'tomap({for k in ["a"] : k => [1]})',
    'coalesce(tolist(["x"])...)', 'coalescelist(tolist([]), ["d"])',
    'lower(trimspace(" AB "))', 'replace(lower("A_B"), "_", "-")', 'substr(sha256("x"), 0, 8)',
    'cidrhost(cidrsubnet("10.0.0.0/16", 4, 1), 10)', 'parseint(substr("ff00", 0, 2), 16)',
    'pow(2, length([1, 2, 3]))', 'log(pow(2, 8), 2)', 'ceil(log(10, 2))',
    '[for i in range(2, -2) : i]', 'range(5)[4]', 'reverse(range(3))',
    'setproduct(["a"], [1, 2])', 'tolist(setintersection(["b", "a"], ["a", "b"]))',
    'transpose({a = ["x", "y"]})', 'chunklist(range(5), 2)', 'matchkeys(["i1", "i2"], ["us", "cn"], ["cn"])',
    'abs(-0.5) + signum(-2)', 'urlencode("a b")', 'md5("a") == md5("a")',
    'try(yamldecode("a: [1"), "bad")', 'can(regex("[", "x"))', 'try(element([], 0), "e")',
]

# A float64 result (pow, log) keeps 53 bits in cty: printed with float64's digits; a product of two keeps
# both (106 bits); a sum or a literal operand gives the larger precision. Appended: earlier ids stay stable.
COMPOSITION_CASES += [
    'format("%v", pow(2, 70))', 'format("%v", pow(2, 53) + 1)', 'pow(2, 53)', 'pow(2, 54)', 'pow(-2, 63)',
    'pow(2, -1)', 'pow(2, -70)', 'pow(10, -5)', 'pow(1.1, 10)', 'pow(1.5, 2.5)', 'pow(2, 0.5) * pow(2, 0.5)',
    'pow(2, 0.5) - pow(2, 0.5)', 'pow(2, 70) / pow(2, 70)', 'pow(2, 70) % 7', 'pow(2, 0.5) / 3',
    'log(10, 3) + log(10, 3)', 'log(1000, 10)', 'tostring(pow(2, 70))', 'jsonencode(pow(3, 40))',
    'pow(3, 40) == 12157665459056928801', 'pow(3, 40) == 12157665459056929000', 'floor(pow(2, 70) + 0.5)',
    'ceil(log(10, 3))', 'floor(log(10, 3) * 100)', 'max(pow(2, 70), pow(3, 45))', 'min(pow(2, 0.5), 2)',
    'abs(-pow(2, 70))', '-pow(2, 70)', 'signum(pow(2, 70))', 'parseint("10", pow(2, 2))', 'range(pow(2, 2))',
    'element([1, 2, 3], pow(2, 1))', 'substr("abcdef", pow(2, 1), pow(2, 1))', 'format("%d", pow(3, 40))',
    'format("%.2f", pow(2, 0.5))', 'format("%e", pow(3, 40))', '"${pow(2, 70)}"', '[pow(2, 70)]',
    '{a = pow(2, 70)}', 'sum([pow(2, 70), 1])', 'sum([pow(2, 0.5), pow(2, 0.5)])', 'pow(2, 70) > 1e21',
    'tonumber(tostring(pow(2, 70)))', 'cidrhost("10.0.0.0/8", pow(2, 3))', 'cidrsubnet("10.0.0.0/8", pow(2, 3), 1)',
]

# Type conversions as Terraform applies them where it unifies types
CONVERSION_CASES: list[str] = [
    'coalesce(["80"], [80])', 'concat(["a"], [1])', 'tolist(["a", 1, true])', 'toset([1, "1"])',
    'tomap({a = 1, b = 2.5})', 'tolist([[1], ["a"]])', 'tolist([{a = 1}, {a = "x"}])', 'tolist([{a = 1}, {b = 2}])',
    'tolist([null, "a"])', 'tolist([1, [2]])', 'tomap({a = [1], b = {c = 1}})', 'toset(toset(["a"]))',
    'tolist(tomap({a = 1}))', 'tomap(["a"])', 'tostring(["a"])', 'tonumber("0.1") + tonumber("0.2")',
    'tobool("1")', 'toset([true, "true"])', 'tolist(toset([3, 1, 10]))', 'tolist(toset(["10", "9", "1"]))',
    'distinct(tolist([1, 2, 1]))', 'compact(tolist(["a", "", null]))', 'sort(tolist([3, 1, 10]))',
    'length(tomap({a = 1, b = 2}))', 'keys(tomap({b = 1, a = 2}))', 'values(tomap({b = "1", a = "2"}))',
    'merge(tomap({a = 1}), {b = "x"})', 'concat(tolist(["a"]), ["b"])', 'flatten(tolist([["a"], ["b"]]))',
    'jsonencode(tolist([1, "a"]))', 'jsonencode(tomap({a = 1, b = "x"}))', 'jsonencode(toset(["b", "a"]))',
    'jsonencode(toset([true, false]))', 'true ? tolist([1]) : ["a"]', 'false ? tomap({a = 1}) : {a = "x"}',
    'false ? [1] : tolist(["a"])', '[for x in tolist([1, 2]) : x]', '{for k, v in tomap({a = 1}) : k => v}',
    'length(toset([1, 1.0, "1"]))', 'contains(tolist(["1"]), 1)', 'index(tolist(["1", "2"]), 2)',
    'lookup(tomap({a = 1, b = "x"}), "a")', 'element(tolist([1, "a"]), 0)', 'coalesce(null, 1, "a")',
    'coalescelist([], [1, "a"])', 'one(tolist(["a"]))', 'reverse(tolist([1, "a"]))', 'slice(tolist([1, "a"]), 0, 1)',
    'setunion(["a"], [1])', 'sort([1, "a"])', 'join(",", tolist([1, "a"]))', 'format("%v", tolist([1, 2]))',
    'tostring(null)', 'tonumber(null)', 'tobool(null)', 'tolist(null)', 'tomap(null)', 'toset(null)',
    '[for x in toset([1, 2]) : x * 2]', '{for x in toset(["a"]) : x => true}',
]


# Patterns met in real modules where typing decides the value (written for this suite).
PATTERN_CASES: list[str] = [
    "coalesce({a = 1}, {b = 2})", 'coalesce({a = 1}, {b = "x"})', 'coalesce({a = [1]}, {b = "x"})', "coalesce(null, {a = 1})",
    'lookup({a = {x = 1}}, "a", {})', 'lookup({a = {x = 1}}, "b", {y = "2"})', 'lookup(tomap({a = "1"}), "b", 2)',
    'lookup(tomap({a = "1"}), "b", [1])', 'lookup({a = 1, b = "x"}, "a", true)', 'lookup(tomap({a = [1]}), "b", [])',
    "merge({a = {b = 1}}, {c = [2]})", 'merge(tomap({a = 1}), tomap({b = "x"}))', 'merge(tomap({a = 1}), {b = "x"})',
    "try(length(null) > 0, false)", 'try(length("") > 0, false)', '{for k, v in {a = {p = null}, b = {p = "x"}} : k => coalesce(v.p, "d")}',
    'true ? {a = 1, b = [1]} : {a = 2, b = []}', 'false ? {a = 1} : {a = 2, b = 3}', 'true ? [1, "a"] : ["b", 2]',
    'true ? [{a = 1}] : []', 'false ? [{a = 1}] : []', 'true ? {} : {a = 1}', 'contains(["1", "2"], 1)',
    'concat([{a = 1}], [{b = 2}])', 'flatten([[{a = 1}], [{a = "x"}]])', 'distinct([{a = 1}, {a = 1}, {a = 2}])',
    'toset([{a = 1}, {a = 1}])', 'length(toset([[1], [1], [2]]))', 'keys({for x in ["b", "a"] : x => {}})',
    '[for k, v in {b = {n = 2}, a = {n = 1}} : v.n]', 'one([for x in [{id = "a"}] : x.id])',
    '{for k, v in tomap({a = {x = 1}, b = {x = 2}}) : k => v.x}', 'values({a = [1], b = "x"})',
    'length({a = 1, b = [2]})', 'jsonencode({for k in ["b", "a"] : k => null})', 'jsonencode([tomap({}), {}])',
    'tomap({a = null})', 'tolist([null])', 'toset([null, "a"])', 'compact(["a", null])',
    'sort(distinct(concat(["b"], ["a", "b"])))', 'join(",", sort(keys({z = 1, a = 2})))',
]


def cases() -> list[tuple[str, str]]:
    """Every (id, expression) of the suite, in a stable order."""
    out: list[tuple[str, str]] = []
    for fname in sorted(FUNCTION_CASES):
        for i, args in enumerate(FUNCTION_CASES[fname]):
            out.append((f"fn.{fname}.{i:02d}", f"{fname}({args})"))
    for cat, items in (("op", OPERATOR_CASES), ("tpl", TEMPLATE_CASES), ("heredoc", HEREDOC_CASES),
                       ("for", FOR_SPLAT_CASES), ("comp", COMPOSITION_CASES), ("conv", CONVERSION_CASES),
                       ("pat", PATTERN_CASES)):
        for i, e in enumerate(items):
            out.append((f"{cat}.{i:03d}", e))
    return out


# Variables with types and defaults, read through the module path (as a scan reads a module):
# the type constraint and optional() defaults convert the value before any expression sees it.
VAR_PREAMBLE = '''
variable "ports" {
  type    = list(string)
  default = null
}
variable "ports_set" {
  type    = list(string)
  default = [80, 443]
}
variable "protocol" {
  default = "HTTP"
}
variable "names" {
  type    = set(string)
  default = ["b", "a", "c", "a"]
}
variable "nums" {
  type    = set(number)
  default = [10, 9, 100]
}
variable "count_str" {
  type    = number
  default = "5"
}
variable "label" {
  type    = string
  default = 5
}
variable "flag" {
  type    = bool
  default = "true"
}
variable "tags" {
  type    = map(string)
  default = { b = 1, a = true }
}
variable "anything" {
  default = { a = 1, b = "x", c = [1, "y"] }
}
variable "profiles" {
  type = map(object({
    url  = optional(map(string), {})
    name = optional(string)
    port = optional(number, 443)
  }))
  default = { main = {}, edge = { url = { a = "b" }, name = "e" } }
}
variable "net" {
  type = object({
    cidr    = string
    subnets = optional(list(object({ name = string, bits = optional(number, 8) })), [])
    dns     = optional(bool, true)
  })
  default = { cidr = "10.0.0.0/16", subnets = [{ name = "a" }, { name = "b", bits = 4 }] }
}
variable "pair" {
  type    = tuple([string, number])
  default = [1, "2"]
}
variable "empty_list" {
  type    = list(string)
  default = []
}
variable "zone_config" {
  type    = object({ visibility = optional(string) })
  default = null
}
variable "mode" {
  type    = string
  default = "cn"
}
variable "strict" {
  type    = object({ name = string, tags = optional(map(string)) })
  default = { name = "n", extra = "dropped", tags = { a = 1 } }
}
variable "items" {
  type    = list(object({ id = string, port = optional(number) }))
  default = [{ id = "a", other = true }, { id = "b", port = "8080" }]
}
variable "loose" {
  type    = map(any)
  default = { a = "x", b = "y" }
}
variable "mixed" {
  type    = map(any)
  default = { a = 1, b = "x", c = true }
}
variable "anyobj" {
  type    = object({ a = any, b = optional(any), c = optional(list(any), []) })
  default = { a = [1, "x"], d = 1 }
}
variable "anylist" {
  type    = list(any)
  default = [1, "2"]
}
'''

VAR_CASES: list[str] = [
    "var.ports", "coalesce(var.ports, [80])", 'var.protocol == "HTTPS" ? [443] : coalesce(var.ports, [80])',
    'var.protocol == "HTTPS" ? coalesce(var.ports, [443]) : coalesce(var.ports, [80])', "var.ports_set",
    "var.names", "[for s in var.names : upper(s)]", "[for i, s in var.names : i]", "{for s in var.names : s => length(s)}",
    "length(var.names)", 'contains(var.names, "a")', "tolist(var.names)[0]", "var.nums", "[for n in var.nums : n * 2]",
    "sort(var.nums)", "var.count_str", "var.count_str + 1", "var.label", 'var.label == "5"', "var.flag", "!var.flag",
    "var.tags", "keys(var.tags)", 'lookup(var.tags, "a", "d")', 'lookup(var.tags, "z", 0)', 'merge(var.tags, {c = 3})',
    "var.tags == {a = \"true\", b = \"1\"}", "var.tags == tomap({a = \"true\", b = \"1\"})", "var.anything",
    "var.anything.c[1]", "jsonencode(var.anything)", "var.profiles",
    "{for k, v in var.profiles : k => v.url if v.url != {}}", "{for k, v in var.profiles : k => v.url if length(v.url) > 0}",
    "[for k, v in var.profiles : v.port]", "{for k, v in var.profiles : k => v.name if v.name != null}",
    "jsonencode(var.profiles)", 'var.profiles["main"].name == null', "var.net", "var.net.subnets[*].bits",
    '[for s in var.net.subnets : cidrsubnet(var.net.cidr, s.bits, 1)]', "var.net.dns ? \"on\" : \"off\"",
    'try(var.net.missing, "none")', "can(var.net.subnets[5])", "var.pair", "var.pair[1] + 1", "var.empty_list",
    'coalescelist(var.empty_list, ["d"])', "length(var.empty_list) == 0", "var.empty_list == []",
    "var.empty_list == tolist([])", "var.zone_config == null ? null : var.zone_config.visibility",
    '(var.zone_config == null ? null : (var.zone_config.visibility == null ? "private" : var.zone_config.visibility))',
    'var.mode == "cn" ? "cn-north-1" : var.mode == "hk" ? "ap-east-1" : "us-east-1"',
    'var.mode == "hk" ? "ap-east-1" : var.mode == "cn" ? "cn-north-1" : "us-east-1"',
    'var.mode == "x" ? "a" : var.mode == "y" ? "b" : var.mode == "cn" ? "c" : "d"',
    'var.flag == true ? "INHERITED" : var.flag == false ? "DISABLED" : null',
    "concat(var.ports_set, [8080])", "setunion(var.names, [\"d\"])", "setsubtract(var.names, [\"a\"])",
    "setintersection(var.names, [\"a\", \"z\"])", "anytrue([for s in var.names : s == \"c\"])",
    "alltrue([for p in var.ports_set : tonumber(p) > 0])", "distinct(concat(tolist(var.names), [\"a\"]))",
    "flatten([for k, v in var.profiles : [for u, x in v.url : \"${k}/${u}\"]])",
    "zipmap(tolist(var.names), range(length(var.names)))", "format(\"%s:%s\", var.label, var.count_str)",
    "\"${var.label}-${var.flag}\"", "tostring(var.count_str)", "var.count_str / 2", "var.nums == toset([9, 10, 100])",
    "var.strict", "jsonencode(var.strict)", 'try(var.strict.extra, "gone")', "keys(var.strict)", "var.items",
    "[for i in var.items : i.port]", "jsonencode(var.items)", 'try(var.items[0].other, "gone")', "var.items[1].port + 1",
    "var.loose", "var.mixed", "jsonencode(var.mixed)", 'var.mixed.a == "1"', "var.anyobj", "jsonencode(var.anyobj)",
    'try(var.anyobj.d, "gone")', "var.anyobj.b == null", "var.anylist", "jsonencode(var.anylist)", 'var.anylist[0] == "1"',
]


def var_cases() -> list[tuple[str, str]]:
    """The (id, expression) cases evaluated with VAR_PREAMBLE's variables, through a module."""
    return [(f"var.{i:03d}", e) for i, e in enumerate(VAR_CASES)]


# Found by differential fuzzing against `terraform console` (session 26); appended, so earlier ids stay stable.
# A whole number a function reads as Go's int must fit in 64 bits (`element(x, 2^63)` fails; 2^63 - 1 is an index
# taken modulo the length exactly); cidrhost's host number and cidrsubnet's netnum are big.Int (no limit).
FUNCTION_CASES["element"] += ['["a", "b"], 9223372036854775807', '["a", "b"], 9223372036854775808', '["a", "b"], 1e21',
                              '["a", "b"], -9223372036854775809', '["a", "b", "c"], 9007199254740993']
FUNCTION_CASES["substr"] += ['"abc", 0, 9223372036854775807', '"abc", 0, 9223372036854775808', '"abc", 9223372036854775808, 1',
                             '"abc", 1, 1e21', '"abc", -9223372036854775809, 1']
FUNCTION_CASES["chunklist"] += ['["a", "b"], 9223372036854775808', '["a", "b"], 9223372036854775807']
FUNCTION_CASES["cidrhost"] += ['"::/0", 9223372036854775808']
FUNCTION_CASES["cidrsubnet"] += ['"::/0", 64, 18446744073709551615', '"::/0", 9223372036854775808, 1']
FUNCTION_CASES["parseint"] += ['"10", 9223372036854775808']
FUNCTION_CASES["signum"] += ["9223372036854775807", "-9223372036854775809"]
COMPOSITION_CASES += ['try(element(["cn-north-1", "ap-east-1"], 9223372036854775807), "us-east-1")',
                      'try(substr("cn-north-1", 0, 1e21), "ap-east-1")', 'try(element(["cn-north-1"], 1e21), "ap-east-1")']
# An index that is -0 (`0 * -1`, `"-0"`) is the first element, not out of range (so try() does not fall back)
OPERATOR_CASES += ['["cn-north-1", "ap-east-1"][0 * -1]', '[1, 2][-0.0]', 'tolist([1, 2])[-0.0]', '[1, 2]["-0"]',
                   'try(["cn-north-1"][0 * -1], "ap-east-1")', '[1, 2][pow(2, 0)]', '[1, 2]["1.0"]']
# coalescelist() checks every argument's type first: a string, set or map, or an untyped null, fails even after a
# non-empty list; a null list (a typed variable) is skipped
FUNCTION_CASES["coalescelist"] += ['null, ["a"]', '["a"], null', '["a"], "x"', 'toset(["a"])', 'tolist(["a"]), ["b", 1]',
                                   '[null], ["a"]', '["a"], {a = 1}', '["a"], toset(["b"])']
COMPOSITION_CASES += ['try(coalescelist(["cn-north-1"], "ap-east-1"), ["us-east-1"])']
VAR_CASES += ['coalescelist(var.ports, ["80"])', 'coalescelist(var.empty_list, var.ports, ["d"])',
              'try(coalescelist(var.label, ["x"]), ["y"])', 'try(coalescelist(var.names, ["x"]), ["y"])']
# range() stops at 1024 values with an error that try() and can() catch (Terraform's limit, not a budget), also
# when float steps give one value more than the exact quotient says (`range(0, 102.4, 0.1)`)
COMPOSITION_CASES += ['try(range(1025), 1)', 'can(range(2000))', 'length(range(0, 102.4, 0.1))', 'length(range(1024))',
                      'try(range(0, 102.4, 0.1), "x")', 'length(range(0, 102.3, 0.1))', 'try(range(-1, 1024), "x")']
# A set of collections is ordered by cty's set hash text (lists `[..]`, tuples and objects `<..>`, maps `{k:v}`,
# Go-quoted strings, numbers as big.Float's ten-digit %g), not kept in insertion order; a set argument makes
# setproduct's result a set (ordered, without repeats)
FUNCTION_CASES["toset"] += ['[["b"], ["a"], ["\\t"], ["1e3"]]', '[[10], [9], [100], [1e21], [0.5], [-1], [12345678901]]',
                            '[{a = "x", b = 1}, {a = "w", b = 2}, {a = "x", b = 0}]',
                            '[tomap({z = "1", a = "2"}), tomap({a = "1"}), tomap({b = "0"})]',
                            '[tolist(["b"]), tolist(["a", "c"]), tolist([])]', '[["é"], ["e"], ["日本"], ["\\u00a0"], ["😀"], ["z"]]',
                            '[["a", null], ["a", "b"]]', '[{a = null}, {a = "x"}]', '[toset(["b", "a"]), toset(["a"])]',
                            '[[true], [false]]', '[[1, "a"], [0.5, "b"]]', '[["a\\"b"], ["a\\\\b"], ["a b"], ["a!b"]]',
                            '[[0.00001], [0.0001], [0.001]]', '[["\\u007f"], ["\\u0080"], ["\\u00ad"]]', '[[1, 2], [1]]',
                            'chunklist(["beijing", "1e3"], 1)', 'setproduct(["b", "a"], ["y", "x"])']
FUNCTION_CASES["setproduct"] += ['toset(["b", "a"]), ["y", "x"]', 'tolist(["b", "a"]), toset(["y", "x"])',
                                 'toset(["b", "a", "b"]), ["x", "x"]', '["b", "a"], ["y", "x"]', 'toset([]), ["a"]']
FUNCTION_CASES["setunion"] += ['[["b"]], [["a"]]']
COMPOSITION_CASES += ['tolist(toset([["cn-north-1"], ["ap-east-1"]]))[0]',
                      '[for x in toset([{n = "cn-north-1"}, {n = "ap-east-1"}]) : x.n][0]',
                      'jsonencode(toset(values(transpose({a = ["x"], b = ["y", "x"]}))))']
# element() of a list counts a negative index from the end (a tuple's type check fails: Go's negative remainder);
# regexall() and chunklist() give lists (not tuples), with their element types even when empty, so
# join/sort/compact of a list of tuples fails with no match too, and chunklist([], 0) is []
FUNCTION_CASES["element"] += ['split(",", "cn-north-1,ap-east-1"), -1', 'tolist(["a", "b", "c"]), -4', '["a", "b"], -2',
                              'tolist(["a", "b"]), -9223372036854775808', 'compact(["a", "", "b"]), -1',
                              'keys({a = 1, b = 2}), -1', 'concat(tolist(["a"]), ["b"]), -1', 'regexall("[a-z]", "ab"), -1',
                              'chunklist(["a", "b"], 1), -1', 'cidrsubnets("10.0.0.0/16", 8, 8), -1', 'range(3), -1',
                              'jsondecode("[\\"a\\", \\"b\\"]"), -1', 'csvdecode("a\\n1\\n2"), -1']
FUNCTION_CASES["chunklist"] += ['[], 0', 'tolist([]), 0', '["a", 1], 1']
FUNCTION_CASES["regexall"] += ['"(a)(b)", "abab"', '"(?P<x>a)", "a"', '"(a)|(b)", "ab"']
FUNCTION_CASES["join"] += ['",", regexall("(a)", "x")', '",", chunklist([], 1)', '",", regexall("[a-z]", "cba")']
FUNCTION_CASES["compact"] += ['regexall("(a)", "x")', 'chunklist([], 1)']
FUNCTION_CASES["sort"] += ['regexall("(a)", "x")', 'regexall("[a-z]", "cba")']
COMPOSITION_CASES += ['regexall("a", "aa") == ["a", "a"]', 'regexall("a", "aa") == tolist(["a", "a"])',
                      'chunklist(["a"], 1) == tolist([tolist(["a"])])', 'one(chunklist([], 0))',
                      'try(element(split(",", "cn-north-1,ap-east-1"), -1), "us-east-1")',
                      'concat(regexall("(a)(b)", "ab"), [["x", "y"]])', '[for m in regexall("(a)(b)", "ab") : m[1]]',
                      'flatten(chunklist(["a", "b"], 1))', 'distinct(regexall("(a)", "x"))',
                      'formatlist("%s", regexall("(a)", "x"))']
# tostring(null) and the other conversion functions give a null of their type, which a conditional's other result
# must agree with; a list or tuple against a set unifies as cty prefers (a list, else the set as it is)
OPERATOR_CASES += ['false ? ["a"] : tostring(null)', 'true ? ["a"] : tostring(null)',
                   'false ? concat([], ["a"]) : try(tostring(null), "n")', 'true ? "cn-north-1" : tostring(null)',
                   'false ? {a = 1} : tomap(null)', 'true ? 1 : tonumber(null)', 'false ? ["a"] : tolist(null)',
                   'true ? toset(["a"]) : ["b"]', 'false ? ["b", "a"] : toset(["c"])', 'true ? ["b", "a", "b"] : toset(["c"])',
                   'true ? tolist(["a"]) : toset(["b"])', 'false ? ["-3", " x "] : toset([1e21])',
                   'true ? ["-3", " x "] : toset([1e21])', 'true ? ["-3", "4"] : toset([1e21])', 'true ? [["a"]] : toset(["c"])',
                   'true ? tolist([1]) : toset(["x"])', 'true ? tolist([1]) : toset([true])', 'true ? toset([1]) : tolist(["x"])',
                   'reverse(true ? ["cn-shanghai", "AbC"] : toset(["b", "10"]))', 'true ? toset([]) : ["a"]']
FUNCTION_CASES["coalescelist"] += ['tolist(null), ["a"]', '[], tolist(null), ["b"]', 'tolist(null)']
FUNCTION_CASES["toset"] += ['tostring(null)', 'try(tostring(null), "n")']
# substr() from a negative offset with a length of 0 takes the rest (cty seeks the length from there and never
# meets 0); format(): `%#v` is the JSON text (a string quoted), a precision cuts `%q` too, a precision of 0 cuts
# nothing, `%#b` has the 0b prefix
FUNCTION_CASES["substr"] += ['"hello", -1, 0', '"hello", -2, 0', '"hello", -5, 0', '"hello", -6, 0', '"hello", 1, 0',
                             '"hello", 1, -0.0', '"cn-north-1", -1, 0', '"日本語", -2, 0', '"e\\u0301x", -2, 0',
                             '"abc", 3, -1', '"abc", 4, -1', '"abc", 3, 0']
FUNCTION_CASES["format"] += ['"%#v", "a:b"', '"%#v", 1e21', '"%#v", true', '"%#v", "<a>"', '"%#v", 0.1 + 0.2',
                             '"%#v", tolist(["a"])', '"%#v", "\\n"', '"%#v", 1e-7', '"%#v", -0.0', '"%3.1q", "AbC"',
                             '"%.1q", "AbC"', '"%.2q", "日本語"', '"%10.2q|", "abc"', '"%-6.1q|", "abc"', '"%.0q", "abc"',
                             '"%.q", "abc"', '"%.0s", "abc"', '"%.s", "abc"', '"%5.0s|", "abc"', '"%.2s", "日本語"',
                             '"%#b", 5', '"%#b", 0']
COMPOSITION_CASES += ['substr("cn-north-1", -1, 0) == "1" ? "cn-north-1" : "ap-east-1"']
# setproduct() takes lists and sets of one element type (a tuple's elements are unified) and gives a list of tuples
# (a set when an argument is a set), typed even when empty; it needs two arguments
FUNCTION_CASES["setproduct"] += ['[33, "shanghai"], ["Hong Kong"]', '["a"], [1, true]', '["a"], [[1], ["x"]]',
                                 '["a"], [{a = 1}, {a = "x"}]', '["a"]', '["a"], null', '"a", ["b"]', '{a = 1}, ["b"]',
                                 'toset(["a"]), [1, "b"]', '["a"], [1, null]', '["a", "a"], ["b"]']
COMPOSITION_CASES += ['element(setproduct(["a"], ["x", "y"]), -1)', 'compact(setproduct([], ["a"]))',
                      'join(",", setproduct([], ["a"]))', 'transpose({a = setproduct([], ["x"])})',
                      'setproduct(["a"], ["b"]) == [["a", "b"]]', 'setproduct(["a"], ["b"]) == tolist([["a", "b"]])',
                      '[for p in setproduct(["cn-north-1", "ap-east-1"], ["x"]) : p[0]]']
# indent() takes any number of spaces within the string budget (65536 is fine in Terraform); tolist()/toset() of a
# tuple mixing collections with an untyped null fail (strings, numbers and bools keep the null)
FUNCTION_CASES["indent"] += ['65536, "null"', '3, indent(65536, "true")', '2000000, "x"', '-1, "x"', '0, "a\\nb"']
FUNCTION_CASES["tolist"] += ['[{a = "x"}, null]', '[["a"], null]', '[tomap({a = "x"}), null]', '["a", null, 1]']
FUNCTION_CASES["toset"] += ['[{a = "x"}, null]', '[["a"], null]', '[{a = "x"}, lookup({}, "a", null)]', '["a", null]']
COMPOSITION_CASES += ['length(indent(100000, "a\\nb\\nc"))', 'concat([{a = "x"}], [null])', '[{a = "x"}, null]']
# HCL reads a line break as the end of an argument's value, and inside an object as the end of an item: only
# parentheses, brackets, `for` expressions and template interpolations let a value go on over lines, and a quoted
# string cannot hold one; tree-sitter-hcl reads every line break as space (a heredoc's terminator line followed by
# `,` or `:` is the case the fuzz found)
COMPOSITION_CASES += ['{x = 1\n  , y = 2}', '1\n  + 2', '{x = <<EOT\nhi\nEOT\n  , y = 2}', 'true ? <<EOT\nhi\nEOT\n : "y"',
                      '(true ? 1\n : 2)', '{x = 1\n  y = 2}', '{x = (1\n  + 2)}', '[1\n,2]', 'true ? 1\n : 2',
                      '{a = true ? "cn-north-1"\n : "ap-east-1"}', '"cn-north-1\n"', '"${1 +\n 2}"', '{x = 1 # c\n  y = 2}',
                      '{x = 1 /* q\n */, y = 2}', '{\n a = 1,\n b = [\n 2\n ]\n}', 'upper(\n{a = "x"\n, b = "y"}.a)',
                      '[for x in [1] : {a = x\n}]', '{a\n = 1}', '{a =\n 1}', '{for k in [1] : k => 1\n}',
                      'merge(\n {a = 1},\n {b = 2}\n)', '{a = {\n b = 1\n }\n c = 2\n}', '"a${"b"}\nc"',
                      '"%{ if true }a\nb%{ endif }"', '"${ {a = 1\n, b = 2}.a }"', '[{a = 1\n, b = 2}]', 'upper\n("a")',
                      '[1][\n0\n]', '{a = 1}\n.a', '{a = [1,\n2]\n}', '{a = 1 // c\n}', '{a = <<EOT\nx\nEOT\n}', '- \n1',
                      '"a" /* c\n */ == "a"', '{"k" = "v",\n}', '{(\n"k") = 1}', 'null != null || (\n true &&\n false\n)',
                      'lookup({a = "cn-north-1"\n , b = "ap-east-1"}, "a", "us-east-1")',
                      'try({region = <<EOT\ncn-north-1\nEOT\n, x = 1}.region, "ap-east-1")']
# cidrsubnet() with negative newbits: go-cidr checks no bound (the largest subnet number wraps), ORs the shifted
# number into the parent's address, reads the address from the absolute value (a Go panic, an error, past its
# bytes) and prints it unmasked with the shorter prefix ("<nil>" below 0)
FUNCTION_CASES["cidrsubnet"] += ['"10.0.0.0/16", -1, 17', '"10.0.0.0/16", -1, 255', '"10.0.0.0/16", -1, 256',
                                 '"10.0.0.0/16", -1, 65535', '"10.0.0.0/16", -1, -1', '"10.0.0.0/16", -2, -17',
                                 '"10.0.0.0/16", -8, 255', '"10.0.0.0/16", -8, 256', '"10.0.0.0/16", -16, 0',
                                 '"10.0.0.0/16", -16, 1', '"10.0.0.0/16", -17, 0', '"10.1.2.0/24", -17, -17',
                                 '"10.0.0.5/24", -17, 17', '"1.2.3.4/32", -8, -17', '"1.2.3.4/32", -24, 255',
                                 '"0.0.0.0/0", -1, 0', '"::1/128", -8, 1', '"::1/128", -1, 18446744073709551616',
                                 '"::1/128", -64, -17', '"fd00::/64", -64, -1', '"fd00::/64", -64, 1',
                                 '"::ffff:10.0.0.0/104", -8, 1', '"::ffff:10.0.0.0/104", -1, -1',
                                 '"::ffff:10.0.0.0/104", -100, 0', '"10.0.0.0/16", -9223372036854775808, 0',
                                 '"10.0.0.0/16", -9223372036854775808, 1']
COMPOSITION_CASES += ['try(cidrsubnet("10.0.0.0/16", -1, 17), "192.168.0.0/16")',
                      'cidrhost(cidrsubnet("10.0.0.0/16", -8, 1), 1)']
# IPv6 networks near the zero address stay IPv6 (`cidrsubnet("::/0", 8, 0)` is ::/8, not 0.0.0.0/8); go-cidr checks
# the subnet number's absolute value (its low 64 bits) against 2^newbits - 1 (`cidrsubnet("10.0.0.0/8", 1, -2)`
# fails) and panics, an error, past the address's bytes; cidrsubnets() of a network at the zero address fails
# (go-cidr reports its first subnet as a rollover)
FUNCTION_CASES["cidrsubnet"] += ['"::/0", 8, 0', '"::/8", 16, 0', '"::/0", 0, 0', '"10.0.0.0/8", 1, -2',
                                 '"10.0.0.0/8", 0, -1', '"fd00::/56", 0, -1', '"192.168.0.0/16", 1, -2',
                                 '"fd00::/56", 8, -255', '"fd00::/56", 8, -256', '"::/8", 64, 18446744073709551616',
                                 '"::1/128", 0, -18446744073709551616', '"0.0.0.0/8", 8, 18446744073709551616',
                                 '"10.0.0.0/31", 1, -18446744073709551616']
FUNCTION_CASES["cidrsubnets"] += ['"::/0", 7', '"::/8", 8', '"0.0.0.0/0", 1, 2, 3', '"0.0.0.0/8", 8', '"::/0", 4, 4',
                                  '"0.0.0.0/0"', '"10.0.0.0/8", 1, 1']
COMPOSITION_CASES += ['try(cidrsubnet("10.0.0.0/8", 1, -2), "192.168.0.0/16")', 'cidrhost(cidrsubnet("::/0", 8, 0), 1)',
                      'can(cidrhost(cidrsubnets("::/0", 7)[0], 1))']
# The set functions, matchkeys and zipmap type their arguments even when empty: a list converted to list(any) or
# set(any) keeps its element type, the set functions unify the element types (an empty one of unknown type aside),
# so setunion([1], regexall("a", "x")) is a set of strings and setintersection(chunklist([], 2), ["a"]) fails;
# zipmap's keys must be a list of strings and its values a list or tuple (not a set)
FUNCTION_CASES["setunion"] += ['[1], regexall("a", "x")', 'compact([""]), [true]', 'toset([1]), compact([""])',
                               'chunklist([], 2), ["a"]', '[], ["a"]', 'tolist([]), [1]', '[["a"]], regexall("a", "x")',
                               'setproduct([], ["a"]), [["a", "b"]]', 'keys({}), [1]']
FUNCTION_CASES["setintersection"] += ['chunklist([], 2), ["a"]', '["a"], regexall("(a)", "x")', '[1], keys({})',
                                      'toset([]), [[]]', '[{a = 1}], []']
FUNCTION_CASES["setsubtract"] += ['[1], regexall("a", "x")', '[true], compact([""])', '["a"], chunklist([], 1)',
                                  'setproduct([], ["a"]), ["a"]']
FUNCTION_CASES["matchkeys"] += ['[], ["a"], chunklist([], 2)', '[], regexall("(a)", "x"), ["a"]',
                                '["x"], tolist(toset([1])), setproduct([], ["a"])', '[], [], regexall("(a)", "x")']
FUNCTION_CASES["zipmap"] += ['chunklist([], 2), []', 'regexall("(a)", "x"), tolist([])', '["a"], toset(["x"])',
                             '[], toset([])', 'keys({}), {}', '["cn-north-1"], tolist(["x"])']
COMPOSITION_CASES += ['tolist([]) == tolist(setintersection(["a"], ["b"]))',
                      'sort([]) == tolist(setintersection(["a"], ["b"]))',
                      'tolist(regexall("(a)", "x")) == tolist([])', 'tolist(regexall("a", "x")) == compact([""])',
                      'length(setunion([], setsubtract(["cn-north-1"], ["ap-east-1"])))',
                      'contains(setunion(["1"], [1]), "1")']
# A conditional unifies the types of both results even when the one not taken fails: an operator's failure is an
# unknown of the operator's type, a template's a string (so `true ? {a = 1} : -0.5 % null` is an error, and
# `true ? 1 : "x-${[]}"` is "1"); a failing call or index is of any type
OPERATOR_CASES += ['true ? {a = 1} : -0.5 % null', 'false ? -0.5 % null : {a = 1}', 'true ? "s" : 1 + "a"',
                   'true ? ["a"] : (1 + "a")', 'true ? 1 : "a" > 1', 'true ? "s" : !"x"', 'true ? {a = 1} : -"x"',
                   'true ? 1 : true && "x"', 'true ? 1 : "x-${[]}"', 'true ? {a = 1} : "x-${[]}"',
                   'true ? true : "${[]}"', 'true ? {a = 1} : "${1 + "a"}"', 'true ? {a = 1} : upper([])',
                   'true ? "cn-north-1" : [][0]', 'true ? 1 : <<EOT\n${[]}\nEOT\n', 'true ? ["a"] : <<EOT\n${[]}\nEOT\n',
                   'true ? tostring(null) : 1 / null', 'true ? null : 1 / null', 'false ? 1 / null : tolist(["a"])',
                   'true ? "cn-north-1" : ((-"x"))', 'true ? {region = "cn-north-1"} : "${"a" + 1}-x"']
# HCL evaluates a `for` expression's if clause once even over an empty collection, the iteration values unknown:
# its error, a null or a value that is not a bool fails the expression; the result expressions are not evaluated
FOR_SPLAT_CASES += ['[for x in [] : x if 128]', '[for x in [] : x if x]', '[for x in [] : upper([])]',
                    '{for x in [] : [] => 1}', '[for x in [] : x if "true"]', '[for x in [] : x if "yes"]',
                    '[for x in [] : x if null]', '[for x in [] : x if zipmap([], ["a"])]', '[for x in [] : x if x.enabled]',
                    '[for k, v in {} : v if v.enabled]', '[for x in toset([]) : x if []]', '[for x in [] : x if 1 + "a"]',
                    '{for x in [] : x => x if 5}', '[for x in [] : x if x + 1]', '[for x in [] : x if length(x) > 0]',
                    '[for x in [] : x if index(["a"], "b") == 0]', '[for x in [] : x if "1"]',
                    '[for x in [] : x if try(x.enabled, false)]', '[for x in [] : x if lookup({}, "a")]',
                    '{for k, v in {} : k => v if 0}',
                    '[for k, v in {for k, v in {bj = {region = "cn-north-1"}} : k => v if try(v.enabled, false)} : v.region if lookup({enabled = "yes"}, "enabled", false)]']
# lookup()'s default must convert to a map's element type even when the key is found (an object's is not checked)
FUNCTION_CASES["lookup"] += ['tomap({a = "x", b = "y"}), "a", ["x"]', 'tomap({a = 1}), "a", "d"', 'tomap({a = 1}), "a", true',
                             'tomap({a = ["x"]}), "a", "d"', 'tomap({a = ["x"]}), "a", tolist([])',
                             'tomap({a = {r = "cn-north-1"}, b = {r = "ap-east-1"}}), "a", "d"',
                             'tomap({a = {r = "cn-north-1"}, b = {r = "ap-east-1"}}), "a", {r = 1}',
                             'tomap({a = {r = "cn-north-1"}, b = {r = "ap-east-1"}}), "z", {r = "x", s = 1}',
                             'zipmap(["a"], ["cn-north-1"]), "a", ["x"]', 'tomap({a = tolist(["x"])}), "a", 1',
                             '{a = "x"}, "a", ["x"]', 'tomap({a = "x"}), "a", null', 'tomap({}), "a", "d"']
# A failed object or tuple constructor is still an object or a tuple for the conditional's unification (its items
# failed, not its keys), a for expression whose keys repeat still an object
OPERATOR_CASES += ['true ? 1 : {a = upper([])}', 'true ? "s" : {a = upper([])}', 'true ? ["x"] : {a = upper([])}',
                   'true ? {} : {a = upper([])}', 'true ? 1 : {(upper([])) = 1}', 'true ? 1 : [upper([])]',
                   'true ? {a = "x"} : [upper([])]', 'true ? ["x"] : [upper([])]', 'true ? tolist(["x"]) : [1, upper([])]',
                   'true ? 1 : {for k in ["a", "a"] : k => 1}', 'true ? {} : {for k in ["a", "a"] : k => 1}',
                   'true ? tolist(["x"]) : {for k in ["a", "a"] : k => 1}', 'true ? 1 : [for x in 1 : x]',
                   'true ? 1 : {for k, v in {a = 1} : k => v if "yes"}', 'true ? "cn-north-1" : {region = upper([])}']
# -0 keeps its sign as big.Float (IEEE) keeps it: "%e", "%f", "%g" of -0 print "-"; -0 % 3, -0 - 0, -0 + -0 and
# 0 / -3 are -0
FUNCTION_CASES["format"] += ['"%e", -0.0', '"%.3f", -0.0', '"%g", -0.0', '"%G", 0 * -1', '"%+f", -0.0', '"%08.3f", -0.0',
                             '"%-8.2e|", 0 * -1.5', '"%.0f", -0.0', '"%f", 0.0']
COMPOSITION_CASES += ['jsonencode(-0.0 % 3)', 'jsonencode(-0.0 % -3)', 'jsonencode(-0.0 % 3 % 7 % 8 % 65536)',
                      'jsonencode(-0.0 - 0)', 'jsonencode(-0.0 - -0.0)', 'jsonencode(-0.0 + -0.0)', 'jsonencode(-0.0 + 0)',
                      'jsonencode(0 / -3)', 'jsonencode(-0.0 / -3)', 'jsonencode(0 * -1 / 3)', 'jsonencode(-6 % 3)',
                      'format("%.3f", element(tolist(toset([65536, 1e-7, -0.0])), 33))']
# format("%f") prints the number's exact big.Float digits (512 bits), rounded half to even, not its float64's;
# cty's format has no %F
FUNCTION_CASES["format"] += ['"%5.1f", 9007199254740993', '"%.2f", 123456789012345678901234567890', '"%.1f", 0.05',
                             '"%.1f", 0.35', '"%.30f", 1/3', '"%10.3f|", 2.0005', '"%.1f", pow(2, 70)', '"%.0f", 2.5',
                             '"%F", 1.5', '"%f", -9007199254740993']
# A set tells -0 from 0 (cty's set hash is big.Float's text): toset([0, -0.0]) holds both, -0 first, and set equality,
# setintersection and setsubtract go by that; 0 == -0.0, distinct() and contains() still find them equal
FUNCTION_CASES["toset"] += ['[0, -0.0, 256]', '[-0.0, 0]', '[0 * -1, 0]', '[[0], [-0.0]]', '[{a = 0}, {a = -0.0}]',
                            '[0, -0.0, null]', '[-0.0, 1, "0"]']
FUNCTION_CASES["setunion"] += ['[0], [-0.0]', '[1], [-0.0], [0]']
FUNCTION_CASES["setintersection"] += ['[0, -0.0], [-0.0]', '[0], [-0.0]']
FUNCTION_CASES["setsubtract"] += ['[0, -0.0], [0]']
COMPOSITION_CASES += ['length(toset([0, -0.0]))', 'toset([0, -0.0]) == toset([0])', 'toset([-0.0]) == toset([0])',
                      'toset([[-0.0]]) == toset([[0]])', 'toset([-0.0, 0]) == toset([0, -0.0])', '[-0.0] == [0]',
                      'contains(toset([-0.0]), 0)', 'distinct([0, -0.0])', 'distinct([-0.0, 0])',
                      'tolist(toset([0, -0.0, -1]))', 'index(tolist(toset([0, -0.0])), -0.0)']
# A typed null takes part in unification with its type: one() of an empty list or set is a null of the element type
# (coalesce("a", one(setproduct([], ["b"]))) fails: a string and a tuple), tolist()/toset()/tomap() unify the types of
# the typed nulls they hold (tomap({a = tostring(null), b = 1}) is a map of strings), and lookup()'s null default must
# still be of a type the map's elements take
FUNCTION_CASES["one"] += ['setproduct([], ["a"])', 'tolist([])', 'toset([])', 'compact([])', 'keys({})', 'tolist(["a"])']
FUNCTION_CASES["coalesce"] += ['"a\\nb", one(setproduct([], ["%", "cn-northwest-1"]))', '"a", one(tolist([]))',
                               '1, one(setproduct([], ["a"]))', 'tolist(null), "x"', 'one(compact([])), 1',
                               'one(keys({})), [1]', 'one(chunklist([], 1)), ["a"]', 'one(regexall("(a)", "x")), "a"',
                               'one(regexall("(a)", "x")), ["a"]']
FUNCTION_CASES["tomap"] += ['{"10" = ["cn-hongkong"], "é" = try(tostring(null), "n")}', '{a = tostring(null), b = 1}',
                            '{a = tolist(null), b = "x"}', '{a = one(setproduct([], ["a"])), b = ["x"]}',
                            '{a = tostring(null)}', '{a = try(tostring(null), 1), b = true}', '{a = tolist(null), b = ["x"]}']
FUNCTION_CASES["tolist"] += ['[tostring(null), 1]', '[tostring(null), [1]]', '[tostring(null), tonumber(null)]',
                             '[tolist(null), ["a"]]', '[tolist(null), toset(["a"])]', '[tostring(null), "b", 1]']
FUNCTION_CASES["toset"] += ['[tonumber(null), true]', '[tostring(null), 1, "a"]', '[tolist(null), ["a"], ["a"]]',
                            '[tostring(null), tostring(null)]']
FUNCTION_CASES["lookup"] += ['{a = "x"}, "b", tolist(null)', 'tomap({a = "x"}), "a", tolist(null)',
                             'tomap({a = "x"}), "b", tonumber(null)', 'tomap({a = ["x"]}), "a", tostring(null)',
                             'tomap({a = "x"}), "a", tobool(null)', 'tomap({a = "x"}), "b", tolist(null)',
                             'tomap({cn = "cn-north-1"}), "cn", one(setproduct([], ["a"]))']
# A conditional whose result fails has the type HCL gives it, which a conditional around it unifies: a nested
# conditional's is its results' common type (any type when one of them fails with any type, the other's when one
# is an untyped null), an index with a failing key an unknown of a list's or map's element type, a for expression's
# a tuple or an object of what each element gave (the first value of a repeated key); an attribute or a literal
# index of such a result takes its attribute's or element's type. A for-if over an empty collection fails when a
# conditional gives the clause a number
OPERATOR_CASES += [
    'true ? transpose({a = ["x"], b = ["y"]}) : tobool("a b") ? merge({}, {region = "x"}) : {x = "192.168.1.0/24"}',
    'true ? "cn-hongkong" : "a" != upper(join({"x y" = "x-y_z"}, ["a"])) ? [for x in toset([1, "1", "a"]) : x] : []',
    'true ? 1 : (upper([]) == "a" ? upper([]) : "x")', 'true ? [1] : (1 + "a" > 0 ? "x" : "y")',
    'true ? 1 : (1 + "a" > 0 ? "x" : "y")', 'true ? 1 : (null ? "x" : 2)', 'true ? [] : (null ? "x" : 2)',
    'true ? 1 : (false ? upper([]) : "x")[0]', 'true ? ["a"] : (true ? null : upper([]))',
    'true ? setproduct(["a"], ["b"]) : split(",", "a")[2.5 + "abc"]', 'true ? "a" : split(",", "a")[1 + "x"]',
    'true ? ["a"] : split(",", "a")[1 + "x"]', 'true ? ["a"] : {a = "b"}["${[]}"]', 'true ? 1 : tomap({a = ["b"]})["${[]}"]',
    'true ? ["x"] : tomap({a = ["b"]})["${[]}"]', 'true ? 1 : tolist(["a"])[!"x"]',
    'tomap(can(1e-7) ? transpose({a = ["x"], b = ["y"]}) : {for x in toset(["b", "a"]) : "k" => "0x10"})',
    'true ? 1 : {for k in ["a", "a"] : k => 1}', 'true ? {a = 2} : {for k in ["a", "a"] : k => 1}',
    'true ? tomap({a = ["x"]}) : {for k in ["a", "a"] : k => "1"}', 'true ? 1 : [for x in [1, "a"] : x + 1]',
    'true ? ["x", "y"] : [for x in [1, "a"] : x + 1]', 'true ? ["x"] : [for x in [1, "a"] : x + 1]',
    'true ? {a = "x"} : {for k, v in {a = 1, b = "x"} : k => v + 1}', 'true ? 1 : {for k, v in {a = 1, b = "x"} : k => v + 1}',
    'true ? {a = 1, b = 2} : {for k, v in {a = 1, b = "x"} : k => v + 1}',
    'true ? 1 : {for k, v in {a = 1, b = "x"} : k => [v + 1]...}',
    'true ? "cn-beijing" : {for k, v in {hk = {cidr = "0.0.0.0/0"}, tw = {ip = "1"}} : k => v.cidr}["hk"]',
    'true ? ["cn-beijing"] : {for k, v in {hk = {cidr = "0.0.0.0/0"}, tw = {ip = "1"}} : k => v.cidr}["hk"]',
    'true ? ["cn-beijing"] : {for k, v in {hk = {cidr = "0.0.0.0/0"}, tw = {ip = "1"}} : k => v.cidr}["tw"]',
    'true ? ["cn-beijing"] : {for k, v in {hk = {cidr = "0.0.0.0/0"}, tw = {ip = "1"}} : k => v.cidr}.hk',
    'true ? ["cn-beijing"] : [for v in [{cidr = "0.0.0.0/0"}, {ip = "1"}] : v.cidr][0]',
    'true ? ["cn-beijing"] : [for v in [{cidr = "0.0.0.0/0"}, {ip = "1"}] : v.cidr][1]',
    'true ? "cn-north-1" : [for v in [{region = "x"}, {}] : v.region][*]',
    'try(true ? "cn-north-1" : {for k, v in {a = {region = 1}, b = {}} : k => v.region}.a, "ap-east-1")']
FOR_SPLAT_CASES += ['[for x in [] : x if x ? 1 : 2]', '[for x in [] : x if x ? true : false]',
                    '[for x in [] : x if x ? "a" : "b"]', '[for x in [] : x if x ? [1] : [2]]',
                    '{for k, v in {} : k => v if v ? 0 : 1}']
# coalesce() unifies its arguments' types as cty's UnifyUnsafe does: an untyped null beside values of one structural
# kind, or beside values with no common type, makes the result of any type (nothing converted, "" not skipped)
FUNCTION_CASES["coalesce"] += ['["a"], null, "b"', 'null, ["a"], "b"', '"b", null, ["a"]', 'null, [1], ["a"]',
                               'null, {a = 1}, {b = 2}', 'null, "a", 1', 'null, 1, "a"', 'null, [], ["a"]',
                               '"", null, ["a"]', '["a"], "b"', 'null, tolist(["a"]), tolist([1])', 'null, "", {a = 1}',
                               'regex("(a)", "a"), null, "b"', 'null, "", "cn-north-1"']
OPERATOR_CASES += ['true ? coalesce(["a"], null, "b") : "x"',
                   'false ? coalesce(regex("([a-z]+-[a-z]+-[0-9])", "arn:aws-cn:ec2:cn-northwest-1:1:x"), null, "y") : "cn-north-1"']
# jsondecode() reads -0 with its sign (an integer's too)
FUNCTION_CASES["jsondecode"] += ['"-0"', '"{\\"a\\": -0}"', '"[-0.0, 0]"', '"[1, -2, 90071992547409930000]"']
FUNCTION_CASES["yamldecode"] += ['"-0"', '"[-0, 0]"', '"{a: -0}"', '"-00"']
