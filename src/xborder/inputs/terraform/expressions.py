"""The expression evaluator: tree-sitter HCL nodes and `.tf.json` values -> Python values.

Anything that cannot be known statically becomes `Unknown(reason)`; Terraform-level errors raise
`EvalError` inside and become Unknown at the top (`evaluate` never raises). Names are resolved
through a `Scope`, so this module knows nothing about modules, resources or variables.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from xborder import lazy
from xborder.inputs.terraform.jsonpos import JNode
from xborder.inputs.terraform.syntax import (
    BadExpr,
    HclExpr,
    HclTooLarge,
    JsonExpr,
    LiteralExpr,
    decode_quoted,
    decode_string_lit,
    parse_template_string,
)
from xborder.inputs.terraform.values import (
    DYNAMIC,
    EvalError,
    Lazy,
    OverBudget,
    TList,
    TMap,
    TSet,
    TypedNull,
    arith,
    check_size,
    compare_numbers,
    convert,
    equal,
    is_negative_zero,
    is_number,
    is_whole_float64,
    negate,
    parse_number,
    to_bool,
    to_number,
    to_str,
    type_name,
    type_convertible,
    type_of,
    typed,
    unify,
    unknown_of,
)
from xborder.model import Ref, Unknown

if TYPE_CHECKING:
    from xborder.inputs.terraform import functions
else:  # imported when an expression first calls a function (or a string needs NFC): a third of the
    # evaluator's code, which a one-file run whose expressions are literals and references never needs
    functions = lazy.module("xborder.inputs.terraform.functions")

MAX_DEPTH = 100  # nesting levels of one expression; keeps well below Python's recursion limit
MAX_CHAIN = 60  # references followed through locals, variables, outputs and resources
MAX_STEPS = 100_000  # syntax nodes evaluated for one expression (nested for-loops multiply them)
TOO_DEEP = Unknown("expression is nested too deeply to evaluate")
ENTRY_DEPTH = 2  # nesting of an object constructor's entry value inside it: the expression and the `{...}`

_ARITH = {"+", "-", "*", "/", "%"}
_CMP = {"<", ">", "<=", ">="}
_BINOPS = _ARITH | _CMP | {"==", "!=", "&&", "||"}
_POSTFIX = {"get_attr", "index", "splat"}


class TooDeep(Exception):
    """An expression nested deeper than MAX_DEPTH (or Python's stack): evaluated as Unknown."""


class StaticError(EvalError):
    """An invalid reference: Terraform rejects it before evaluating, so try() and can() do not catch it."""


class Scope:
    """Names visible to an expression: iteration bindings first, then the module's names."""

    __slots__ = ("bindings", "resolver")

    def __init__(self, resolver: Callable[[str], Any] | None = None, bindings: dict[str, Any] | None = None) -> None:
        self.resolver = resolver
        self.bindings = bindings or {}

    def with_(self, **bindings: Any) -> Scope:
        return Scope(self.resolver, {**self.bindings, **bindings})

    def lookup(self, name: str) -> Any:
        if name in self.bindings:
            return self.bindings[name]
        if self.resolver is not None:
            return self.resolver(name)
        raise StaticError(f"{name} cannot be referred to here (only literal values and functions are allowed)")


def _key_text(v: Any) -> str:
    return f'"{v}"' if isinstance(v, str) else str(v)


def get_attr(v: Any, name: str) -> Any:
    if type(v) is dict:  # the usual case (an object; not Unknown, Ref or Lazy): what the checks below give
        if name in v:
            return v[name]
        raise EvalError(f'object has no attribute "{name}"')
    if isinstance(v, Unknown):
        return v
    if isinstance(v, Ref):
        return Ref(v.address, f"{v.attribute}.{name}" if v.attribute else name)
    if isinstance(v, Lazy):
        return v.get_attr(name)
    if isinstance(v, dict):
        if name in v:
            return v[name]
        raise EvalError(f'object has no attribute "{name}"')
    if v is None:
        raise EvalError(f'cannot read attribute "{name}" of a null value')
    raise EvalError(f'a {type_name(v)} has no attribute "{name}"')


def get_index(v: Any, key: Any) -> Any:
    if isinstance(v, Unknown):
        return v
    uk = unknown_of(key)
    if uk is not None:
        return uk
    if isinstance(v, Ref):
        return Ref(v.address, f"{v.attribute}[{_key_text(key)}]")
    if isinstance(v, Lazy):
        return v.index(key)
    if isinstance(v, TSet):
        raise EvalError("elements of a set are identified only by their value and cannot be indexed")
    if isinstance(v, list):
        if key is None:
            raise EvalError("cannot index with a null value")
        i = to_number(key)
        if is_negative_zero(i):  # `[...][0 * -1]` is the first element in Terraform, not out of range
            i = 0
        elif is_whole_float64(i):
            i = int(i.exact)
        if not isinstance(i, int) or not 0 <= i < len(v):
            raise EvalError(f"index {key} is out of range for a list of {len(v)} elements")
        return v[i]
    if isinstance(v, dict):
        k = to_str(key)
        if k in v:
            return v[k]
        raise EvalError(f'the map has no key "{k}"')
    if v is None:
        raise EvalError("cannot index a null value")
    raise EvalError(f"a {type_name(v)} cannot be indexed")


def plain(v: Any, depth: int = 0) -> Any:
    """Replace internal lazy values by their reportable form (Ref, Unknown, data)."""
    if isinstance(v, Lazy):
        if isinstance(v, PlainView):  # stands for the data itself: not one level deeper
            return plain(v.final(), depth)
        return plain(v.final(), depth + 1) if depth < 20 else Unknown("value nested too deeply")
    if isinstance(v, list):
        if depth >= 60:
            return Unknown("value nested too deeply")
        items = [plain(x, depth + 1) for x in v]
        return typed(type(v), items, v.etype) if isinstance(v, (TList, TSet)) else items
    if isinstance(v, dict):
        if depth >= 60:
            return Unknown("value nested too deeply")
        d = {k: plain(x, depth + 1) for k, x in v.items()}
        return typed(TMap, d, v.etype) if isinstance(v, TMap) else d
    return v


_UNSET: Any = object()


class PlainView(Lazy):
    """A lazy value standing for plain data (`final()`): attribute and key reads take only what they need;
    wherever a chain of such reads ends on it, it becomes its `final()` value (`Evaluator._term`), so it is
    never inside another value nor seen by any other consumer."""


class LazyObject(PlainView):
    """A local value or module output defined by an object constructor (`{ a = ..., b = ... }`), read entry
    by entry: `local.x.a` evaluates only `a`, with its own budget, so the cost of the siblings (and their
    errors, budget or depth limits) falls only on readers of the siblings or of the whole object.

    Any other use needs the whole value (`final`): the constructor evaluated as it always was, one budget,
    any failing entry making the whole value Unknown. Only a reference chain ending at an attribute or key
    reads an entry; a chain ending at the object gives its whole value (`Evaluator._term`), except where
    the chain is the whole definition of a local, output or untyped module variable, which passes the
    object on (`Evaluator.evaluate(keep_lazy=True)`). So this object is never inside another value.

    While an entry or the whole is being evaluated, the object is busy: reading it is the definition's
    cycle (`cycle`), as reading the local being evaluated always was, even an entry already known.
    """

    __slots__ = ("ev", "expr", "scope", "entries", "cycle", "_values", "_deep", "_whole", "_whole_deep", "_busy")

    def __init__(self, ev: Evaluator, expr: HclExpr, scope: Scope, entries: dict[str, Any], cycle: Unknown) -> None:
        self.ev, self.expr, self.scope, self.entries, self.cycle = ev, expr, scope, entries, cycle
        self._values: dict[str, Any] = {}
        self._deep: dict[str, int] = {}  # entry -> generation in which it was too deep (retried in a later one)
        self._whole: Any = _UNSET
        self._whole_deep = -1
        self._busy = False

    def get_attr(self, name: str) -> Any:
        return self._entry(name, f'object has no attribute "{name}"')

    def index(self, key: Any) -> Any:
        if type(key) is not str:
            return get_index(self.final(), key)  # a number or bool key: converted as the whole object does
        return self._entry(key, f'the map has no key "{key}"')

    def splat(self) -> Any:
        v = self.final()
        return v if isinstance(v, Unknown) else [v]

    def _entry(self, key: str, missing: str) -> Any:
        if self._busy:
            return self.cycle
        node = self.entries.get(key)
        if node is None:
            raise EvalError(missing)
        hit = self._values.get(key, _UNSET)
        if hit is not _UNSET:
            return hit
        ev = self.ev
        if self._deep.get(key) == ev.generation:
            return TOO_DEEP
        self._busy = True
        try:
            v = ev.evaluate_entry(node, self.expr.src, self.scope)
        finally:
            self._busy = False
        if too_deep(v):
            self._deep[key] = ev.generation
        else:
            self._values[key] = v
        return v

    def final(self) -> Any:
        if self._whole is not _UNSET:
            return self._whole
        if self._busy:
            return self.cycle
        ev = self.ev
        if self._whole_deep == ev.generation:
            return TOO_DEEP
        self._busy = True
        try:
            v = ev.evaluate(self.expr, self.scope)
        finally:
            self._busy = False
        if too_deep(v):
            self._whole_deep = ev.generation
        else:
            self._whole = v
        return v


def _whole(v: Any) -> Any:
    return v.final() if isinstance(v, PlainView) else v


def object_entries(expr: Any) -> dict[str, Any] | None:
    """Key -> value node of an expression that is exactly an object constructor whose keys are known
    without evaluating anything (names, literals), each once; else None (evaluated whole, as always)."""
    if not isinstance(expr, HclExpr) or expr.json_template or expr.line_break() is not None:
        return None  # (a value Terraform rejects is evaluated whole: its error)
    node = expr.node
    if node.type != "expression":
        return None
    kids = node.children
    if len(kids) != 1 or kids[0].type != "collection_value":
        return None
    named = kids[0].named_children
    if not named or named[0].type == "tuple":
        return None
    out: dict[str, Any] = {}
    keys = Evaluator()
    for el in named[0].named_children:
        if el.type != "object_elem":
            continue
        k, v = el.child_by_field_name("key"), el.child_by_field_name("val")
        if k is None or v is None:
            return None
        try:
            key = keys._object_key(k, expr.src, Scope())
        except Exception:  # noqa: BLE001 - a key that needs evaluating: the object is evaluated whole
            return None
        if key in out:
            return None
        out[key] = v
    return out


_CONVERSIONS = {"tostring": "string", "tonumber": "number", "tobool": "bool", "tolist": ("list", DYNAMIC),
                "toset": ("set", DYNAMIC), "tomap": ("map", DYNAMIC)}


def _null_types(v: Any) -> list[Any]:
    """The types of the typed nulls directly inside a tuple or an object (plain list or dict)."""
    if type(v) is list:
        return [x.type for x in v if isinstance(x, TypedNull)]
    if type(v) is dict:
        return [x.type for x in v.values() if isinstance(x, TypedNull)]
    return []


def _null_lists(args: list[Any]) -> Unknown | None:
    """coalescelist() takes a null list or tuple but fails on a null of any other type, the untyped `null`
    included (`coalescelist(null, ["a"])` is an error); a null whose type is not known (`tolist(null)` is
    a null list) leaves the result unknown."""
    for a in args:
        if isinstance(a, TypedNull):
            if not (isinstance(a.type, tuple) and a.type[0] in ("list", "tuple")):
                raise EvalError("coalescelist(): coalescelist arguments must be lists or tuples")
        elif a is None:
            return Unknown("coalescelist(): a null argument fails unless it is a null list, and its type is not "
                           "known here")
    return None


class Evaluator:
    """Evaluates expressions; one instance per unit (it carries the nesting counter)."""

    def __init__(self) -> None:
        self.depth = 0  # nesting inside the expression being evaluated
        self.chain = 0  # evaluations in progress (a local referring to a local referring to...)
        self.generation = 0  # bumped after each outermost evaluation
        self.steps = 0  # work done on the expression being evaluated (its own budget)
        self.lazy_at = -1  # the depth whose term may yield a `LazyObject` as it is (see `evaluate`)
        self.unknown_result: tuple[bytes, tuple[int, int], Any] | None = None  # the last conditional left unknown

    def evaluate(self, expr: Any, scope: Scope, keep_lazy: bool = False) -> Any:
        """The value of `expr`, never raising: errors, deep nesting and work over budget become Unknown.

        `keep_lazy`: when `expr` is only a reference to an object read entry by entry (`local.x`,
        `module.m.out`: a `LazyObject`), return that object, not its whole value (a local, output or
        untyped variable defined so passes it on; `LazyObject` says why)."""
        v = self._guarded(lambda: self.eval_raw(expr, scope), 0, 1 if keep_lazy else -1)
        return None if isinstance(v, TypedNull) else v

    def evaluate_entry(self, node: Any, src: bytes, scope: Scope) -> Any:
        """The value of one entry of an object constructor (`LazyObject`), never raising, as `evaluate`
        gives it but with the entry's own budget, starting at the nesting depth the entry has inside the
        whole object (`{` and the object are two levels), and keeping a typed null as the object keeps it."""
        return self._guarded(lambda: self._node(node, src, scope), ENTRY_DEPTH, ENTRY_DEPTH + 1)

    def _guarded(self, run: Callable[[], Any], depth: int, lazy_at: int) -> Any:
        """`run()` as one outer evaluation (its own step budget, starting at nesting `depth`, a chain link),
        never raising: errors, deep nesting and work over budget become Unknown."""
        saved, saved_steps, saved_lazy = self.depth, self.steps, self.lazy_at
        if self.chain >= MAX_CHAIN:
            return TOO_DEEP
        self.depth = depth
        self.steps = 0
        self.lazy_at = lazy_at
        self.chain += 1
        try:
            return run()
        except EvalError as e:
            return Unknown(f"cannot be evaluated: {e}")
        except OverBudget as e:
            return Unknown(f"over the evaluation budget: {e} (the scan goes on without this value)")
        except MemoryError:
            return Unknown("not evaluated: the expression needs more memory than the evaluation budget allows")
        except (TooDeep, RecursionError):
            return TOO_DEEP
        except Exception as e:  # noqa: BLE001 - one odd expression must not abort the unit
            return Unknown(f"cannot be evaluated ({type(e).__name__})")
        finally:
            self.depth, self.steps, self.lazy_at = saved, saved_steps, saved_lazy
            self.chain -= 1
            if self.chain == 0:
                self.generation += 1

    def eval_raw(self, expr: Any, scope: Scope) -> Any:
        """The value of `expr`; raises EvalError like Terraform would report an error."""
        if isinstance(expr, HclExpr):
            why = expr.line_break()
            if why is not None:
                raise EvalError(why)
            return self._node(expr.node, expr.src, scope, expr.json_template)
        if isinstance(expr, JsonExpr):
            if expr.mode == "literal":
                return expr.node.plain()
            v = self._json(expr.node, expr.path, scope, 0)
            return [v] if expr.mode == "block" and isinstance(v, dict) else v
        if isinstance(expr, LiteralExpr):
            return expr.value
        if isinstance(expr, BadExpr):
            raise EvalError(expr.reason)
        raise EvalError("not an expression")

    # ------------------------------------------------------------------ JSON syntax

    def _json(self, n: JNode, path: str, scope: Scope, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise TooDeep()
        if n.kind == "string":
            s = n.value
            if "${" not in s and "%{" not in s:
                return s
            try:
                e = parse_template_string(s, path)
            except HclTooLarge as exc:
                raise EvalError(f"a template string of {exc}; not evaluated") from None
            if e is None:
                raise EvalError(f"invalid template {s!r}")
            return self._node(e.node, e.src, scope, True)
        if n.kind == "array":
            return [self._json(x, path, scope, depth + 1) for x in n.value]
        if n.kind == "object":
            return {k: self._json(x, path, scope, depth + 1) for k, x in n.value if k != "//"}
        return n.value

    # ------------------------------------------------------------------ native syntax

    def _node(self, node: Any, src: bytes, scope: Scope, json_template: bool = False) -> Any:
        self.depth += 1
        self.steps += 1
        try:
            if self.depth > MAX_DEPTH:
                raise TooDeep()
            if self.steps > MAX_STEPS:
                raise OverBudget(f"more than {MAX_STEPS} evaluation steps")
            t = node.type
            # (the most frequent kinds first)
            if t == "expression":
                return self._term(node.children, src, scope, json_template)
            if t == "variable_expr":
                return scope.lookup(_text(src, node.named_children[0]))
            if t == "operation":
                return self._node(node.named_children[0], src, scope)
            if t == "binary_operation":
                return self._binary(node, src, scope)
            if t == "literal_value":
                return self._literal(node.named_children[0], src)
            if t == "function_call":
                return self._call(node, src, scope)
            if t == "collection_value":
                return self._collection(node.named_children[0], src, scope)
            if t == "template_expr":
                return self._template(node.named_children[0], src, scope, json_template)
            if t == "for_expr":
                return self._for(node.named_children[0], src, scope)
            if t == "conditional":
                return self._conditional(node, src, scope)
            if t == "unary_operation":
                return self._unary(node, src, scope)
            if t in ("quoted_template", "heredoc_template"):
                return self._template(node, src, scope, json_template)
            if t == "string_lit":
                return decode_string_lit(node, src)
            raise EvalError(f"unsupported syntax {t}")
        finally:
            self.depth -= 1

    def _term(self, children: list[Any], src: bytes, scope: Scope, json_template: bool = False) -> Any:
        if len(children) == 1:  # the usual term: one operand, no postfix operation
            t = children[0].type
            if t != "comment" and t != "(":
                v = self._node(children[0], src, scope, json_template)
                return v.final() if isinstance(v, PlainView) else v  # a bare name bound to a `PlainView`
        kids = [c for c in children if c.type != "comment"]
        if not kids:
            raise EvalError("empty expression")
        if kids[0].type == "(":
            inner = next((c for c in kids if c.is_named), None)
            if inner is None:
                raise EvalError("empty parentheses")
            value = self._node(inner, src, scope)
            close = next((i for i, c in enumerate(kids) if c.type == ")"), len(kids) - 1)
            rest = kids[close + 1 :]
        else:
            value = self._node(kids[0], src, scope, json_template)
            rest = kids[1:]
        ops = [c for c in rest if c.type in _POSTFIX]
        if ops:
            try:
                value = self._postfix(value, ops, src, scope)
            except EvalError as e:
                # HCL's type for the failing term: an index's with a failing key (marked pending by `_postfix`),
                # any type for an attribute or an index that fails on a known value; a splat's is not worked out
                t = _UNSURE if any(o.type == "splat" for o in ops) else e.hcl_type if e.hcl_span == _PENDING \
                    else DYNAMIC
                _mark(e, src, (kids[0].start_byte, ops[-1].end_byte), t)
                raise
        if isinstance(value, PlainView) and (self.depth != self.lazy_at or type(value) is not LazyObject):
            return value.final()  # used as a whole: every entry is evaluated
        return value

    def _postfix(self, value: Any, ops: list[Any], src: bytes, scope: Scope) -> Any:
        for i, op in enumerate(ops):
            t = op.type
            if t == "get_attr":
                name = _text(src, op.named_children[0])
                if isinstance(value, Lazy) and i + 1 < len(ops) and ops[i + 1].type == "index":
                    value = value.member(name)  # what get_attr gives a Lazy value, or one that answers the index
                else:
                    value = get_attr(value, name)
            elif t == "index":
                inner = op.named_children[0]
                if inner.type == "legacy_index":
                    key: Any = _text(src, inner).lstrip(".")
                    key = int(key) if key.isdigit() else key
                else:
                    e = next(c for c in inner.named_children if c.type == "expression")
                    try:
                        key = self._node(e, src, scope)
                    except EvalError as err:
                        t = _failed_index_type(value, _error_type(e, err, src))
                        if i + 1 < len(ops) and t != DYNAMIC:
                            t = _UNSURE  # (what the operations after it give an unknown of that type)
                        raise _mark(err, src, _PENDING, t)  # (the term around spans it: `_term` completes it)
                value = get_index(value, key)
            elif t == "splat":
                sp = op.named_children[0]
                sub = [c for c in sp.named_children if c.type in _POSTFIX]
                if sp.type == "attr_splat":
                    # the legacy `.*` takes only the attribute accesses that follow it; an index
                    # after them applies to the resulting list (`a.*.id[0]` is `(a.*.id)[0]`)
                    cut = next((k for k, c in enumerate(sub) if c.type != "get_attr"), len(sub))
                    value = self._splat(value, sub[:cut], src, scope)
                    return self._postfix(value, sub[cut:] + list(ops[i + 1 :]), src, scope)
                value = self._splat(value, sub, src, scope)
        return value

    def _splat(self, value: Any, sub: list[Any], src: bytes, scope: Scope) -> Any:
        if isinstance(value, (Unknown, Ref)):
            return value if isinstance(value, Unknown) else Ref(value.address, value.attribute + "[*]")
        if isinstance(value, Lazy):
            items = value.splat()
            if isinstance(items, Unknown):
                return items
        elif value is None:
            items = []
        elif isinstance(value, list):
            items = value
        else:
            items = [value]
        return [_whole(self._postfix(x, sub, src, scope)) for x in items]

    def _literal(self, n: Any, src: bytes) -> Any:
        t = n.type
        if t == "numeric_lit":
            s = _text(src, n)
            v = parse_number(s)
            if v is None:
                raise EvalError(f"invalid number {s}")
            return v
        if t == "bool_lit":
            return _text(src, n) == "true"
        if t == "null_lit":
            return None
        if t == "string_lit":
            return decode_string_lit(n, src)
        raise EvalError(f"unsupported literal {t}")

    def _collection(self, n: Any, src: bytes, scope: Scope) -> Any:
        if n.type == "tuple":
            return [self._node(c, src, scope) for c in n.named_children if c.type == "expression"]
        out: dict[str, Any] = {}
        for el in n.named_children:
            if el.type != "object_elem":
                continue
            k, v = el.child_by_field_name("key"), el.child_by_field_name("val")
            if k is None or v is None:
                continue
            out[self._object_key(k, src, scope)] = self._node(v, src, scope)
        return out

    def _object_key(self, k: Any, src: bytes, scope: Scope) -> str:
        kids = [c for c in k.children if c.type != "comment"]
        if len(kids) == 1 and kids[0].type == "variable_expr":
            return _text(src, kids[0])  # a bare name is the key itself
        key = self._node(k, src, scope)
        u = unknown_of(key)
        if u is not None:
            raise _UnknownKey(u)
        return to_str(key)

    # ------------------------------------------------------------------ operators

    def _unary(self, node: Any, src: bytes, scope: Scope) -> Any:
        kids = [c for c in node.children if c.type != "comment"]
        op = kids[0].type
        v = _concrete(self._term(kids[1:], src, scope))
        u = unknown_of(v)
        if u is not None:
            return u
        if op == "!":
            return not to_bool(v)
        return negate(to_number(v))

    def _binary(self, node: Any, src: bytes, scope: Scope) -> Any:
        kids = [c for c in node.children if c.type != "comment"]
        pos = op = None
        for i, c in enumerate(kids):
            if not c.is_named:
                t = c.type
                if t in _BINOPS:
                    pos, op = i, t
                    break
        if pos is None or op is None:
            raise EvalError("malformed operation")
        a = _concrete(self._term(kids[:pos], src, scope))
        if op in ("&&", "||"):
            # Terraform evaluates both operands (an error on either side is an error)
            b = _concrete(self._term(kids[pos + 1 :], src, scope))
            ua = unknown_of(a)
            if ua is None:
                ab = to_bool(a)
                if unknown_of(b) is None:
                    to_bool(b)
                if op == "&&" and not ab:
                    return False
                if op == "||" and ab:
                    return True
            ub = unknown_of(b)
            if ub is None:
                bb = to_bool(b)
                if op == "&&" and not bb:
                    return False
                if op == "||" and bb:
                    return True
            if ua or ub:
                return ua or ub
            return bb
        b = _concrete(self._term(kids[pos + 1 :], src, scope))
        u = unknown_of(a) or unknown_of(b)
        if u is not None:
            return u
        if op == "==":
            return equal(a, b)
        if op == "!=":
            return not equal(a, b)
        if a is None or b is None:
            raise EvalError(f"the operands of {op} must not be null")
        x, y = to_number(a), to_number(b)
        if op in _ARITH:
            return arith(op, x, y)
        c = compare_numbers(x, y)
        return {"<": c < 0, ">": c > 0, "<=": c <= 0, ">=": c >= 0}[op]

    def _conditional(self, node: Any, src: bytes, scope: Scope) -> Any:
        return self._chain(_cond_parts(node), src, scope)

    def _chain(self, parts: list[Any], src: bytes, scope: Scope) -> Any:
        """`c1 ? v1 : c2 ? v2 : ... : else`, grouped to the right as HCL does."""
        if len(parts) == 1:
            return self._node(parts[0], src, scope)
        c, a = parts[0], parts[1]
        rest = parts[2:]
        span = (parts[0].start_byte, parts[-1].end_byte)
        # Terraform evaluates both results: their types decide the result's type, but only
        # the chosen one's errors count
        ra, ea = self._try_node(a, src, scope)
        rb, eb = self._try_branch(rest, src, scope)
        ta = _error_type(a, ea, src) if ea is not None else ra.type if isinstance(ra, TypedNull) \
            else type_of(_concrete(ra))
        if eb is None:
            tb = rb.type if isinstance(rb, TypedNull) else type_of(_concrete(rb))
        elif len(rest) == 1:
            tb = _error_type(rest[0], eb, src)
        else:  # (a chain marks what it raises)
            tb = eb.hcl_type if eb.hcl_span == (rest[0].start_byte, rest[-1].end_byte) and eb.hcl_src is src \
                else DYNAMIC
        if _clashes(ta, tb) or _clashes(tb, ta):
            raise _mark(EvalError(f"inconsistent conditional result types ({type_name(ra)} and {type_name(rb)})"),
                        src, span, DYNAMIC)
        # HCL's result type: the other result's when one is an untyped null, any type when one's is any type
        null_a, null_b = ea is None and ra is None, eb is None and rb is None
        result = tb if null_a else ta if null_b else DYNAMIC if DYNAMIC in (ta, tb) else None
        undecided = result is None and _UNSURE in (ta, tb)  # whether the types clash is not worked out
        ua, ub = (DYNAMIC if t in _SHAPES or t == _UNSURE else t for t in (ta, tb))
        common = unify([ua, ub])
        if common is None:
            raise _mark(EvalError(f"inconsistent conditional result types ({type_name(ra)} and {type_name(rb)})"),
                        src, span, DYNAMIC)
        if result is None:
            result = _UNSURE if undecided or ta in _SHAPES or tb in _SHAPES else common
        elif result in _SHAPES:
            result = _UNSURE
        try:
            cond = _concrete(self._node(c, src, scope))
            u = unknown_of(cond)
            if u is not None:
                if undecided:
                    return Unknown(f"condition is unknown ({u.reason})")
                if ea is None and eb is None and unknown_of(ra) is None and unknown_of(rb) is None and equal(ra, rb):
                    return convert(ra, common)
                self.unknown_result = (src, span, result)
                return Unknown(f"condition is unknown ({u.reason})")
            if cond is None:
                raise EvalError("the condition is null")
            chosen, err = (ra, ea) if to_bool(cond) else (rb, eb)
            if err is not None:
                raise err
            if undecided:
                return Unknown("cannot be evaluated: whether the conditional's result types agree is not worked out "
                               "(Terraform gives its failing result a type xborder does not work out)")
            if chosen is None or isinstance(chosen, TypedNull):
                return TypedNull(common) if common != DYNAMIC else None
            return convert(chosen, common) if not isinstance(chosen, Lazy) else chosen
        except EvalError as e:
            raise _mark(e, src, span, result)

    def _try_node(self, n: Any, src: bytes, scope: Scope) -> tuple[Any, EvalError | None]:
        try:
            return self._node(n, src, scope), None
        except EvalError as e:
            return None, e

    def _try_branch(self, parts: list[Any], src: bytes, scope: Scope) -> tuple[Any, EvalError | None]:
        try:
            return self._chain(parts, src, scope), None
        except EvalError as e:
            return None, e

    # ------------------------------------------------------------------ functions

    def _call(self, node: Any, src: bytes, scope: Scope) -> Any:
        name = _text(src, node.named_children[0])
        args_node = next((c for c in node.named_children if c.type == "function_arguments"), None)
        arg_nodes = [c for c in args_node.named_children if c.type == "expression"] if args_node else []
        expand = args_node is not None and any(c.type == "ellipsis" for c in args_node.named_children)
        if name in ("try", "core::try"):
            for a in arg_nodes:
                try:
                    v = self._node(a, src, scope)
                except StaticError:
                    raise
                except EvalError:
                    continue
                return v
            raise EvalError("try(): no argument could be evaluated")
        if name in ("can", "core::can"):
            if len(arg_nodes) != 1:
                raise EvalError("can() takes 1 argument")
            try:
                v = self._node(arg_nodes[0], src, scope)
            except StaticError:
                raise
            except EvalError:
                return False
            u = unknown_of(v) if not isinstance(v, Ref) else None
            return u if u is not None else True
        raw = [self._node(a, src, scope) for a in arg_nodes]
        null_types = [a.type for a in raw if isinstance(a, TypedNull)]
        target = _CONVERSIONS.get(name.removeprefix("core::"))
        if target is not None and len(raw) == 1 and isinstance(raw[0], TypedNull) \
                and not type_convertible(raw[0].type, target):  # `toset(tostring(null))`: the type decides
            raise EvalError(f"{name}(): a null of another type cannot be converted")
        if name in ("coalescelist", "core::coalescelist"):
            u = _null_lists(raw)
            if u is not None:
                return u
        if name in ("lookup", "core::lookup") and len(raw) == 3 and isinstance(raw[2], TypedNull):
            m = _concrete(raw[0])  # a null default of a type a map's elements cannot take fails
            if isinstance(m, TMap) and not type_convertible(raw[2].type, m.etype):
                raise EvalError("lookup(): the default value must have the same type as the map elements")
        args = [_concrete(a) for a in raw]
        if target is not None and not isinstance(target, str) and len(args) == 1:
            inner = _null_types(args[0])  # `tomap({a = tostring(null), b = 1})` is a map of strings
            if inner:
                return self._typed_nulls_converted(name, target[0], args[0], inner)
        if expand and args:
            last = args.pop()
            u = unknown_of(last)
            if u is not None:
                return u
            if not isinstance(last, list):
                raise EvalError("the argument before ... must be a list")
            args.extend(last)
        out = functions.call(name, [plain(a) for a in args])
        if null_types and name in ("coalesce", "coalescelist", "core::coalesce") and unknown_of(out) is None:
            common = unify(null_types + [type_of(a) for a in args if a is not None])
            if common is not None:
                out = convert(out, common)
            elif name != "coalescelist":
                raise EvalError("coalesce(): all arguments must have the same type")
        if isinstance(out, (list, dict)):  # what a function builds costs like the syntax that builds it
            self.steps += len(out)
        elif isinstance(out, str):
            self.steps += len(out) >> 6
        return out

    def _typed_nulls_converted(self, name: str, kind: str, v: Any, null_types: list[Any]) -> Any:
        """tolist()/toset()/tomap() of a tuple or object holding typed nulls: their types take part in the
        element type (`tolist([tostring(null), 1])` is `[null, "1"]`; with `[1]` instead of 1 it fails)."""
        items = list(v.values()) if isinstance(v, dict) else list(v)
        common = unify(null_types + [type_of(_concrete(x)) for x in items if not isinstance(x, TypedNull)])
        if common is None:
            what = "object" if isinstance(v, dict) else "tuple"
            raise EvalError(f"{name}(): cannot convert {what} to {kind} of any single type")
        return convert(plain(v), (kind, common))

    # ------------------------------------------------------------------ for expressions

    def _for(self, node: Any, src: bytes, scope: Scope) -> Any:
        intro = next(c for c in node.named_children if c.type == "for_intro")
        names = [_text(src, c) for c in intro.named_children if c.type == "identifier"]
        coll_node = next(c for c in intro.named_children if c.type == "expression")
        raw = self._node(coll_node, src, scope)
        # a module's instances: each element reads only the outputs used (`PlainView`s, the same values)
        lazy_pairs = getattr(raw, "for_pairs", None) if isinstance(raw, Lazy) else None
        pairs = lazy_pairs() if lazy_pairs is not None else None
        coll = _concrete(raw) if pairs is None else None
        u = unknown_of(coll)
        if u is not None:
            return u
        exprs = [c for c in node.named_children if c.type == "expression"]
        cond_node = next((c for c in node.named_children if c.type == "for_cond"), None)
        grouping = any(c.type == "ellipsis" for c in node.named_children)
        if pairs is not None:
            pass
        elif isinstance(coll, dict):
            pairs = sorted(coll.items())
        elif isinstance(coll, TSet):
            pairs = [(x, x) for x in coll]  # a set's key is the element itself
        elif isinstance(coll, list):
            pairs = list(enumerate(coll))
        elif coll is None:
            raise EvalError("cannot iterate over a null value")
        else:
            raise EvalError(f"cannot iterate over a {type_name(coll)}")
        if not pairs and cond_node is not None:
            self._empty_for_condition(cond_node, names, src, scope)
        is_object = node.type == "for_object_expr"
        out_list: list[Any] = []
        out_map: dict[str, Any] = {}
        span = (node.start_byte, node.end_byte)
        # HCL goes on past a failing element and a repeated key: its failing result is a tuple or an object of
        # what each element gave (a failing value's own failing type; the first value of a repeated key)
        first: EvalError | None = None
        failed: dict[Any, Any] = {}  # position or key -> the failing value's type
        for k, v in pairs:
            b = {names[0]: k, names[1]: v} if len(names) == 2 else {names[0]: v}
            s2 = scope.with_(**b)
            try:  # a failing condition or key: HCL's result is of any type
                if cond_node is not None:
                    cexpr = next(c for c in cond_node.named_children if c.type == "expression")
                    c = _concrete(self._node(cexpr, src, s2))
                    cu = unknown_of(c)
                    if cu is not None:
                        if first is not None:
                            raise first
                        return Unknown(f"for expression condition is unknown ({cu.reason})")
                    if not to_bool(c):
                        continue
                if is_object:
                    key = _concrete(self._node(exprs[0], src, s2))
                    ku = unknown_of(key)
                    if ku is not None:
                        if first is not None:
                            raise first
                        return ku
                    ks = to_str(key)
            except EvalError as e:
                raise _mark(e, src, span, DYNAMIC)
            if is_object and not grouping and ks in out_map:
                first = first or _Duplicate(f'duplicate key "{ks}" in for expression (use ... to group)')
                continue  # (HCL evaluates the value too, and keeps the first)
            try:
                val = self._node(exprs[1] if is_object else exprs[0], src, s2)
            except EvalError as e:
                first = first or e
                val = None
                failed[(ks, len(out_map.get(ks, ()))) if grouping else ks if is_object else len(out_list)] = \
                    _error_type(exprs[1] if is_object else exprs[0], e, src)
            if not is_object:
                out_list.append(val)
                check_size(len(out_list))
            elif grouping:
                out_map.setdefault(ks, []).append(val)
            else:
                out_map[ks] = val
        if first is not None:
            raise _mark(first, src, span, _elements_type(out_list, out_map, failed, is_object, grouping))
        return out_map if is_object else out_list

    def _empty_for_condition(self, cond_node: Any, names: list[str], src: bytes, scope: Scope) -> None:
        """HCL evaluates the `if` clause of a `for` over an empty collection once, the iteration values unknown:
        its error, a null or a known value that is not a bool (`if 128`, an unknown number) fails the expression
        even with no element (`[for x in [] : x if 128]`); the result expressions are not evaluated."""
        cexpr = next(c for c in cond_node.named_children if c.type == "expression")
        element = Unknown("an element of an empty collection")
        self.unknown_result = None
        c = _concrete(self._node(cexpr, src, scope.with_(**{n: element for n in names})))
        if unknown_of(c) is not None:
            last = self.unknown_result  # a conditional's unknown result has its result type (`x ? 1 : 2`)
            t = last[2] if last is not None and last[0] is src and last[1] == (cexpr.start_byte, cexpr.end_byte) \
                else _error_type(cexpr)
            if t == "number" or isinstance(t, tuple) and t != _UNSURE:
                raise EvalError("the 'if' clause value is invalid: bool required")
            return
        to_bool(c)  # a null or a value that is not a bool fails

    # ------------------------------------------------------------------ templates

    def _template(self, node: Any, src: bytes, scope: Scope, json_template: bool) -> Any:
        kids = node.children
        indent = 0
        if node.type == "heredoc_template":
            ident = next((c for c in kids if c.type == "heredoc_identifier"), None)
            closing = kids[-1] if kids and kids[-1].type == "heredoc_identifier" and kids[-1] is not ident else None
            if ident is None:
                raise EvalError("malformed heredoc")
            nl = src.find(b"\n", ident.end_byte)
            start = node.end_byte if nl < 0 else nl + 1
            end = src.rfind(b"\n", 0, closing.start_byte) + 1 if closing is not None else node.end_byte
            end = max(end, start)
            decode = _decode_heredoc
            dedent = kids[0].type == "heredoc_start" and _text(src, kids[0]) == "<<-"
            segs = _heredoc_segments(kids, start, end, src, dedent)
        else:
            start = kids[0].end_byte if kids and kids[0].type == "quoted_template_start" else node.start_byte
            end = kids[-1].start_byte if kids and kids[-1].type == "quoted_template_end" else node.end_byte
            decode = decode_quoted
            segs = None
        parts = self._render(kids, start, end, src, scope, decode, indent, segs=segs)
        if json_template and parts and parts[-1][0] == "lit":
            last = parts[-1][1]
            parts[-1] = ("lit", last.removesuffix("\n"), False, False)
            parts = [p for p in parts if not (p[0] == "lit" and p[1] == "")]
        if len(parts) == 1 and parts[0][0] == "val":
            return parts[0][1]
        return _join_parts(parts)

    def _render(self, kids: list[Any], start: int, end: int, src: bytes, scope: Scope,
                decode: Callable[[str], str], indent: int, strip_first: bool = False,
                strip_last: bool = False, segs: dict[tuple[int, int], str] | None = None,
                ) -> list[tuple[str, Any, bool, bool]]:
        """Parts of a template between byte offsets: ("lit", text) and ("val", value) entries."""
        parts: list[tuple[str, Any, bool, bool]] = []
        pos = start
        for c in kids:
            if c.type not in ("template_interpolation", "template_directive"):
                continue
            if c.start_byte < start or c.end_byte > end:
                continue
            if c.start_byte > pos:
                parts.append(("lit", _seg(segs, src, pos, c.start_byte, start, decode, indent), False, False))
                if src[c.start_byte - 1 : c.start_byte] == c.text[:1]:
                    parts.append(("lit", _escaped_sequence(c, decode), False, False))  # `$$${`: HCL reads no `${` here
                    pos = c.end_byte
                    continue
            if c.type == "template_interpolation":
                ck = [x for x in c.children if x.type != "comment"]
                lstrip = len(ck) > 1 and ck[1].type == "strip_marker"
                rstrip = len(ck) > 2 and ck[-2].type == "strip_marker"
                e = next(x for x in ck if x.type == "expression")
                parts.append(("val", self._node(e, src, scope), lstrip, rstrip))
            else:
                d = c.named_children[0]
                ls, rs = _marker_after_start(d.children[0]), _marker_before_end(d.children[-1])
                parts.append(("val", self._directive(d, src, scope, decode, indent, segs), ls, rs))
            pos = c.end_byte
        if end > pos:
            parts.append(("lit", _seg(segs, src, pos, end, start, decode, indent), False, False))
        if segs is not None:
            return parts  # a heredoc's segments already have their strip markers and indentation applied
        heredoc = decode is _decode_heredoc
        if strip_first and parts and parts[0][0] == "lit":
            parts[0] = ("lit", _strip_token(parts[0][1], True, heredoc), False, False)
        if strip_last and parts and parts[-1][0] == "lit":
            parts[-1] = ("lit", _strip_token(parts[-1][1], False, heredoc), False, False)
        return _apply_strip(parts, heredoc)

    def _directive(self, d: Any, src: bytes, scope: Scope, decode: Callable[[str], str], indent: int,
                   segs: dict[tuple[int, int], str] | None = None) -> Any:
        kids = d.children
        if d.type == "template_if":
            intro = kids[0]
            else_i = next((c for c in kids if c.type == "template_else_intro"), None)
            end_i = next((c for c in kids if c.type == "template_if_end"), kids[-1])
            cexpr = next(c for c in intro.named_children if c.type == "expression")
            cond = _concrete(self._node(cexpr, src, scope))
            u = unknown_of(cond)
            if u is not None:
                return Unknown(f"template condition is unknown ({u.reason})")
            if cond is None:
                raise EvalError("the template condition is null")
            if to_bool(cond):
                a, b = intro.end_byte, (else_i or end_i).start_byte
                sf, sl = _marker_before_end(intro), _marker_after_start(else_i or end_i)
            elif else_i is not None:
                a, b = else_i.end_byte, end_i.start_byte
                sf, sl = _marker_before_end(else_i), _marker_after_start(end_i)
            else:
                return ""
            return _join_parts(self._render(kids, a, b, src, scope, decode, indent, sf, sl, segs))
        if d.type == "template_for":
            st = kids[0]
            en = next((c for c in kids if c.type == "template_for_end"), kids[-1])
            names = [_text(src, c) for c in st.named_children if c.type == "identifier"]
            coll = _concrete(self._node(next(c for c in st.named_children if c.type == "expression"), src, scope))
            u = unknown_of(coll)
            if u is not None:
                return u
            pairs = (sorted(coll.items()) if isinstance(coll, dict) else [(x, x) for x in coll] if isinstance(coll, TSet)
                     else list(enumerate(coll)) if isinstance(coll, list) else None)
            if pairs is None:
                raise EvalError(f"cannot iterate over a {type_name(coll)}")
            out: list[str] = []
            size = 0
            for k, v in pairs:
                b = {names[0]: k, names[1]: v} if len(names) == 2 else {names[0]: v}
                r = _join_parts(self._render(kids, st.end_byte, en.start_byte, src, scope.with_(**b), decode, indent,
                                             _marker_before_end(st), _marker_after_start(en), segs))
                if isinstance(r, Unknown):
                    return r
                out.append(r)
                size += len(r)
                check_size(size, "characters")
            return "".join(out)
        raise EvalError(f"unsupported template directive {d.type}")


_NUMBER_OPS = frozenset({"+", "-", "*", "/", "%"})
_BOOL_OPS = frozenset({"==", "!=", "<", ">", "<=", ">=", "&&", "||"})


# A failed object or tuple constructor is still an object or a tuple (its attribute or element types are not
# worked out here): it clashes with a primitive and with the other kind of collection, and else unifies as any type.
_OBJECT_SHAPE, _TUPLE_SHAPE = ("object", None), ("tuple", None)
_SHAPES = (_OBJECT_SHAPE, _TUPLE_SHAPE)
# A failing result whose type HCL works out from values xborder does not follow (a for expression's elements, a
# splat's): a conditional around it is unknown unless the other result decides (any type, an untyped null).
_UNSURE = ("unsure", None)
_PENDING = (-1, -1)  # the span of a failing index, completed by the term around it


def _clashes(shape: Any, t: Any) -> bool:
    if shape not in _SHAPES or t == DYNAMIC or t in _SHAPES and t == shape:
        return False
    if isinstance(t, str):
        return True
    if shape == _OBJECT_SHAPE:
        return t[0] in ("tuple", "list", "set")
    return t[0] in ("object", "map")


def _mark(err: EvalError, src: bytes, span: Any, t: Any) -> EvalError:
    """`err` noted as the failure of the expression at `span` of `src`, to which HCL gives type `t`."""
    err.hcl_type, err.hcl_span, err.hcl_src = t, span, src
    return err


def _operations_type(t: Any, ops: list[Any], src: bytes | None) -> Any:
    """HCL's type for attribute and index operations with known keys on a failing value of type `t`: an
    attribute's or an element's type, any type when the operation fails (a missing key, a set, a primitive)
    or on any type; a splat, a key that needs evaluating or a value whose type is not worked out: `_UNSURE`."""
    for op in ops:
        if t == DYNAMIC:
            return DYNAMIC
        if t == _UNSURE or t in _SHAPES or src is None or op.type == "splat":
            return _UNSURE
        if isinstance(t, str) or t[0] == "set":
            return DYNAMIC
        if op.type == "get_attr":
            key: Any = _text(src, op.named_children[0])
        else:
            inner = op.named_children[0]
            if inner.type == "legacy_index":
                key = _text(src, inner).lstrip(".")
                key = int(key) if key.isdigit() else key
            else:
                try:
                    key = _concrete(Evaluator()._node(next(c for c in inner.named_children if c.type == "expression"),
                                                      src, Scope()))
                except Exception:  # noqa: BLE001 - a key that is not a literal
                    return _UNSURE
                if unknown_of(key) is not None or not (isinstance(key, str) or is_number(key)):
                    return _UNSURE
        kind = t[0]
        if kind in ("list", "map"):
            t = t[1] if op.type != "get_attr" or kind == "map" else DYNAMIC
        elif kind == "object":
            t = dict(t[1]).get(to_str(key), DYNAMIC) if not isinstance(key, bool) else DYNAMIC
        elif kind == "tuple" and op.type != "get_attr" and is_number(key) and float(key).is_integer() \
                and 0 <= int(key) < len(t[1]):
            t = t[1][int(key)]
        else:
            return DYNAMIC
    return t


def _failed_index_type(coll: Any, key_type: Any) -> Any:
    """HCL's type for `coll[key]` when the key fails with type `key_type` (hcl.Index of an unknown key): the
    element type of a list or a map the key converts for, any type otherwise (a tuple, an object, a key of any
    type); not worked out for a collection that is itself not known."""
    if key_type == _UNSURE or isinstance(coll, (Unknown, Ref, Lazy)):
        return _UNSURE
    if isinstance(coll, TList) and key_type in ("number", "string"):
        return coll.etype
    if isinstance(coll, TMap) and key_type in ("number", "string", "bool"):
        return coll.etype
    return DYNAMIC


def _error_type(n: Any, err: EvalError | None = None, src: bytes | None = None) -> Any:
    """The type HCL gives a result that failed to evaluate, which a conditional still unifies with the other
    result: an operator's failure is an unknown of the operator's type (`true ? {a = 1} : -0.5 % null` is
    "inconsistent conditional result types"), a template's a string, an object or tuple constructor's an object
    or a tuple (its items failed, not its keys: `true ? 1 : {a = upper([])}` fails); what the evaluator marked on
    `err` for this node (a conditional's result type, an index's element type with a failing key, a `for`
    expression's object when two elements gave one key, `_UNSURE`); anything else fails with any type."""
    for _ in range(MAX_DEPTH):
        if err is not None and err.hcl_src is src and src is not None and err.hcl_span == (n.start_byte, n.end_byte):
            return err.hcl_type
        t = n.type
        if t == "expression":
            kids = [c for c in n.children if c.type != "comment"]
            if len(kids) == 3 and kids[0].type == "(" and kids[2].type == ")":
                n = kids[1]
            elif len(kids) == 1:
                n = kids[0]
            elif err is None:
                return DYNAMIC
            else:  # a failing term with postfix operations, its operand failing
                close = next((i for i, c in enumerate(kids) if c.type == ")"), 0) if kids[0].type == "(" else 0
                base = kids[1] if kids[0].type == "(" else kids[0]
                return _operations_type(_error_type(base, err, src), [c for c in kids[close + 1 :]
                                                                       if c.type in _POSTFIX], src)
        elif t == "operation":
            n = n.named_children[0]
        elif t == "binary_operation":
            op = next((c.type for c in n.children if c.type in _NUMBER_OPS or c.type in _BOOL_OPS), "")
            return "number" if op in _NUMBER_OPS else "bool" if op else DYNAMIC
        elif t == "unary_operation":
            return "number" if n.children[0].type == "-" else "bool"
        elif t == "template_expr":
            n = n.named_children[0]
        elif t == "quoted_template":  # (a heredoc ends with a line break: always a string)
            parts = [c for c in n.named_children if c.type in ("template_literal", "template_interpolation",
                                                                  "template_directive")]
            if len(parts) == 1 and parts[0].type == "template_interpolation":  # "${x}" is x itself
                inner = next((c for c in parts[0].named_children if c.type == "expression"), None)
                if inner is None:
                    return DYNAMIC
                n = inner
            else:
                return "string"
        elif t == "heredoc_template":
            return "string"
        elif t == "collection_value":
            c = n.named_children[0]
            if c.type == "tuple":
                return _TUPLE_SHAPE
            keys = [el.child_by_field_name("key") for el in c.named_children if el.type == "object_elem"]
            return _OBJECT_SHAPE if all(k is not None and _literal_key(k) for k in keys) else DYNAMIC
        elif t == "for_expr":
            return DYNAMIC  # (a failing result or repeated keys are marked by `_for`)
        else:
            return DYNAMIC
    return DYNAMIC


def _literal_key(k: Any) -> bool:
    """An object key that cannot fail: a bare name or a literal."""
    kids = [c for c in k.children if c.type != "comment"]
    return len(kids) == 1 and kids[0].type in ("variable_expr", "literal_value")


def _cond_parts(node: Any) -> list[Any]:
    """The operands of a conditional chain, undoing tree-sitter-hcl's left grouping.

    The grammar reads `a ? b : c ? d : e` as `(a ? b : c) ? d : e`; HCL means `a ? b : (c ? d : e)`.
    An unparenthesised conditional in condition position can only come from that misgrouping.
    """
    c, a, b = [x for x in node.named_children if x.type == "expression"][:3]
    kids = [k for k in c.children if k.type != "comment"]
    if len(kids) == 1 and kids[0].type == "conditional":
        return _cond_parts(kids[0]) + [a, b]
    return [c, a, b]


class _Duplicate(EvalError):
    """Two elements of a `for` expression gave one key."""


def _elements_type(out_list: list[Any], out_map: dict[str, Any], failed: dict[Any, Any], is_object: bool,
                   grouping: bool) -> Any:
    """HCL's type for a failing `for` expression: a tuple or an object of its elements' types (`failed`: the
    failing ones'); `_UNSURE` when one is not known."""

    def one(v: Any, where: Any) -> Any:
        if where in failed:
            return _UNSURE if failed[where] in _SHAPES else failed[where]
        if isinstance(v, TypedNull):
            return v.type
        v = _whole(v)
        return _UNSURE if unknown_of(v) is not None else type_of(v)

    if not is_object:
        types = [one(v, i) for i, v in enumerate(out_list)]
        return _UNSURE if _UNSURE in types else ("tuple", tuple(types))
    attrs = []
    for k in sorted(out_map):
        if grouping:
            group = tuple(one(v, (k, i)) for i, v in enumerate(out_map[k]))
            attrs.append((k, _UNSURE if _UNSURE in group else ("tuple", group)))
        else:
            attrs.append((k, one(out_map[k], k)))
    return _UNSURE if any(t == _UNSURE for _, t in attrs) else ("object", tuple(attrs))


class _UnknownKey(EvalError):
    """An object key that is not known statically."""

    def __init__(self, u: Unknown) -> None:
        super().__init__(f"object key is unknown ({u.reason})")


def _text(src: bytes, n: Any) -> str:
    return src[n.start_byte : n.end_byte].decode("utf-8", "replace")


def _concrete(v: Any) -> Any:
    return v.final() if isinstance(v, Lazy) else v


def _escaped_sequence(c: Any, decode: Callable[[str], str]) -> str:
    """An interpolation (directive) that follows a `$` (`%`): HCL's lexer reads `$${` (`%%{`) there, the escape
    of a literal `${` (`%{`), so what tree-sitter took for `${...}` is literal text; in a quoted string a `"` or
    a new line inside ends that text early, and Terraform reports a syntax error (`"$$${"a"}"`); after `%` the
    directive's end (`%{endif}`) is left unbalanced: an error too."""
    raw = c.text.decode("utf-8", "replace")
    if c.type != "template_interpolation" or (decode is not _decode_heredoc and ('"' in raw or "\n" in raw)):
        raise EvalError(f"Terraform reads {raw[:1]}{raw[:2]} as an escaped {raw[:2]}, not the start of a template "
                        f"{'interpolation' if raw[:1] == '$' else 'directive'}: this template is not valid HCL")
    return decode(raw[1:])


def _decode_heredoc(raw: str) -> str:
    return raw.replace("$${", "${").replace("%%{", "%{")


def _min_indent(body: str) -> int:
    widths = [len(ln) - len(ln.lstrip(" \t")) for ln in body.split("\n") if ln.strip()]
    return min(widths) if widths else 0


def _lit(src: bytes, a: int, b: int, start: int, decode: Callable[[str], str], indent: int) -> str:
    raw = src[a:b].decode("utf-8", "replace")
    if indent:
        lines = raw.split("\n")
        at_line_start = a == start or src[a - 1 : a] == b"\n"
        for i, ln in enumerate(lines):
            if i == 0 and not at_line_start:
                continue
            k = 0
            while k < indent and k < len(ln) and ln[k] in " \t":
                k += 1
            lines[i] = ln[k:]
        raw = "\n".join(lines)
    return decode(raw)


_DIRECTIVE_TOKENS = ("template_for_start", "template_for_end", "template_if_intro", "template_else_intro",
                     "template_if_end")


def _seg(segs: dict[tuple[int, int], str] | None, src: bytes, a: int, b: int, start: int,
         decode: Callable[[str], str], indent: int) -> str:
    if segs is not None and (a, b) in segs:
        return segs[(a, b)]
    return _lit(src, a, b, start, decode, indent)


def _heredoc_segments(kids: list[Any], start: int, end: int, src: bytes, dedent: bool) -> dict[tuple[int, int], str]:
    """The text of each literal stretch of a heredoc, as HCL builds it.

    HCL scans a heredoc's literal text as one token per line. Strip markers (`~`) trim the
    token next to them; then `<<-` removes the smallest indentation of the tokens that begin a
    line (a directive or interpolation at a line start counts as no indentation; blank lines do
    not count), from those tokens only.
    """
    items: list[list[Any]] = []  # ["lit", a, b, tokens] | ["tok", lstrip, rstrip]

    def gap(a: int, b: int) -> None:
        if b > a:
            raw = src[a:b].decode("utf-8", "replace")
            toks = [t + "\n" for t in raw.split("\n")]
            toks[-1] = toks[-1][:-1]
            if toks[-1] == "":
                toks.pop()
            items.append(["lit", a, b, toks])

    def emit(nodes: list[Any], lo: int, hi: int, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise TooDeep()
        pos = lo
        for c in nodes:
            if c.start_byte < lo or c.end_byte > hi:
                continue
            if c.type == "template_interpolation" or c.type in _DIRECTIVE_TOKENS:
                gap(pos, c.start_byte)
                items.append(["tok", _marker_after_start(c), _marker_before_end(c)])
                pos = c.end_byte
            elif c.type == "template_directive":
                gap(pos, c.start_byte)
                d = c.named_children[0]
                emit(d.children, d.start_byte, d.end_byte, depth + 1)
                pos = c.end_byte
        gap(pos, hi)

    emit(kids, start, end, 0)
    for i, it in enumerate(items):
        if it[0] != "tok":
            continue
        if it[1] and i > 0 and items[i - 1][0] == "lit" and items[i - 1][3]:
            items[i - 1][3][-1] = items[i - 1][3][-1].rstrip()
        if it[2] and i + 1 < len(items) and items[i + 1][0] == "lit" and items[i + 1][3]:
            items[i + 1][3][0] = items[i + 1][3][0].lstrip()
    if dedent:
        newline, least = True, None
        adjust: list[tuple[list[str], int]] = []
        for it in items:
            if it[0] == "tok":
                if newline:
                    least = 0
                newline = False
                continue
            for j, t in enumerate(it[3]):
                if newline:
                    trimmed = t.lstrip()
                    if not (trimmed == "" and t.endswith("\n")):
                        sp = len(t) - len(trimmed)
                        least = sp if least is None else min(least, sp)
                        adjust.append((it[3], j))
                newline = t.endswith("\n")
        if least:
            for toks, j in adjust:
                toks[j] = toks[j][least:]
    return {(it[1], it[2]): _decode_heredoc("".join(it[3])) for it in items if it[0] == "lit"}


def _marker_after_start(n: Any) -> bool:
    """`%{~` / `${~`: the directive or interpolation token `n` strips the whitespace before it."""
    k = n.children
    return len(k) > 1 and k[0].type in ("template_directive_start", "template_interpolation_start") \
        and k[1].type == "strip_marker"


def _marker_before_end(n: Any) -> bool:
    """`~}`: the token `n` strips the whitespace after it."""
    k = n.children
    return len(k) > 1 and k[-1].type in ("template_directive_end", "template_interpolation_end") \
        and k[-2].type == "strip_marker"


def _strip_token(text: str, leading: bool, heredoc: bool) -> str:
    """Strip the whitespace of the literal token next to a strip marker.

    A heredoc's literal is one token per line, so a marker strips at most up to (after the
    marker) or back over (before it) one line end; a quoted string's literal is one token.
    """
    if not heredoc:
        return text.lstrip() if leading else text.rstrip()
    if leading:
        nl = text.find("\n")
        return text.lstrip() if nl < 0 else text[: nl + 1].lstrip() + text[nl + 1 :]
    k = text.rfind("\n", 0, len(text) - 1) if text.endswith("\n") else text.rfind("\n")
    return text[: k + 1] + text[k + 1 :].rstrip()


def _apply_strip(parts: list[tuple[str, Any, bool, bool]], heredoc: bool = False) -> list[tuple[str, Any, bool, bool]]:
    out = list(parts)
    for i, (kind, _v, ls, rs) in enumerate(out):
        if kind != "val":
            continue
        if ls and i > 0 and out[i - 1][0] == "lit":
            out[i - 1] = ("lit", _strip_token(out[i - 1][1], False, heredoc), False, False)
        if rs and i + 1 < len(out) and out[i + 1][0] == "lit":
            out[i + 1] = ("lit", _strip_token(out[i + 1][1], True, heredoc), False, False)
    return out


def _join_parts(parts: list[tuple[str, Any, bool, bool]]) -> Any:
    out: list[str] = []
    for kind, v, _a, _b in parts:
        if kind == "lit":
            out.append(v)
            continue
        v = _concrete(v)
        u = unknown_of(v)
        if u is not None:
            return u
        if isinstance(v, (list, dict)):
            raise EvalError(f"cannot use a {type_name(v)} value in a string template")
        out.append(to_str(v))
    check_size(sum(len(x) for x in out), "characters")
    text = "".join(out)
    return text if text.isascii() else functions.nfc(text)  # a Terraform string is NFC (`"${"e"}${"\u0301"}"` is `é`)


def too_deep(v: Any) -> bool:
    """True when `v` is unknown only because evaluation ran out of depth (do not memoise it)."""
    return isinstance(v, Unknown) and v.reason == TOO_DEEP.reason


__all__ = ["EvalError", "Evaluator", "LazyObject", "PlainView", "Scope", "TooDeep", "get_attr", "get_index", "is_number", "plain", "too_deep"]
