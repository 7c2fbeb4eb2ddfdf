"""Identical submissions: groups of students whose code is the same once
whitespace, comments, docstrings and the names they chose are set aside.

For the instructor to look at, never a score change: two students who both
wrote the short, obvious ``np.mean((y_hat - y) ** 2)`` are not proof of
anything, which is why a group says which functions it covers.

How a submission is normalised, with Python's own ``ast`` (``tokenize`` when
the source does not parse):

1. the statements every student was given (the stub's imports and provided
   helpers, the notebook's preamble) and every function still left as the
   stub (``raise NotImplementedError``) are dropped: what remains is the
   student's own work; a submission with none is never grouped;
2. docstrings are dropped (comments and layout are not in the tree at all);
3. every name the code binds (parameters, local and global variables, helper
   functions and classes, import aliases, loop and comprehension variables)
   becomes ``_0``, ``_1``, ... in order of first appearance. The contract's
   function names, attribute names (``np.mean``) and names the code does not
   bind (builtins such as ``len``) are kept, so ``sum`` and ``max`` stay apart;
4. the tree is dumped without positions and hashed.

A group whose normalised code equals the reference solution's is marked so.
"""
from __future__ import annotations

import ast
import builtins
import hashlib
import io
import keyword
import tokenize
from functools import lru_cache

from autograder.authoring.single_source import REFERENCE, STUB, strip_markers
from autograder.classrun.submissions import Submission, SubmissionError
from autograder.grading.rubric import FUNCTIONS

KEEP = frozenset(FUNCTIONS)
_BUILTINS = frozenset(dir(builtins))


def _without_docstring(body: list) -> list:
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        return body[1:]
    return body


class _Strip(ast.NodeTransformer):
    """Drops docstrings everywhere."""

    def _strip(self, node):
        self.generic_visit(node)
        node.body = _without_docstring(node.body) or [ast.Pass()]
        return node

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _strip

    def visit_Module(self, node):
        self.generic_visit(node)
        node.body = _without_docstring(node.body)
        return node


def _is_stub(node: ast.stmt) -> bool:
    """A function left as given: its body (docstring aside) only raises
    NotImplementedError, or is ``pass`` / ``...``."""
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    body = _without_docstring(node.body)
    if len(body) != 1:
        return not body
    only = body[0]
    if isinstance(only, ast.Raise):
        exc = only.exc.func if isinstance(only.exc, ast.Call) else only.exc
        return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"
    return isinstance(only, ast.Pass) or (isinstance(only, ast.Expr) and isinstance(only.value, ast.Constant)
                                          and only.value.value is Ellipsis)


def _bound_names(tree: ast.AST) -> set[str]:
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        elif isinstance(node, ast.alias):
            bound.add(node.asname or node.name.split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
    return bound - KEEP


class _Rename(ast.NodeTransformer):
    """Bound names become _0, _1, ... in order of first appearance."""

    def __init__(self, bound: set[str]):
        self.bound: set[str] = bound
        self.names: dict[str, str] = {}

    def _new(self, name: str) -> str:
        if name not in self.bound:
            return name
        return self.names.setdefault(name, f"_{len(self.names)}")

    def visit_Name(self, node):
        node.id = self._new(node.id)
        return node

    def visit_arg(self, node):
        node.arg = self._new(node.arg)
        node.annotation = None          # type hints are layout, not behaviour
        return node

    def _def(self, node):
        node.name = self._new(node.name)
        if not isinstance(node, ast.ClassDef):
            node.returns = None
        self.generic_visit(node)
        return node

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _def

    def visit_alias(self, node):
        if node.asname:
            node.asname = self._new(node.asname)
        return node

    def visit_ExceptHandler(self, node):
        if node.name:
            node.name = self._new(node.name)
        self.generic_visit(node)
        return node

    def visit_Global(self, node):
        node.names = [self._new(n) for n in node.names]
        return node

    visit_Nonlocal = visit_Global


@lru_cache(maxsize=1)
def _given() -> frozenset[str]:
    """The dumps of the top-level statements every student was given."""
    try:
        tree = _Strip().visit(ast.parse(STUB.read_text()))
    except (OSError, SyntaxError):
        return frozenset()
    return frozenset(ast.dump(node) for node in tree.body if not _is_stub(node))


def normalise(source: str) -> tuple[str, list[str]] | None:
    """The normalised code of a submission and the contract functions it
    implements, or None when nothing of its own remains."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return _normalise_tokens(source)
    if _fast_path_works():
        try:
            return _normalise_fast(tree)
        except _TooDeep:
            tree = ast.parse(source)        # the slow path, on a fresh tree
    return _normalise_tree(tree, source)


def _normalise_tree(tree: ast.Module, source: str) -> tuple[str, list[str]] | None:
    """``normalise`` with ``ast``'s own visitors and ``ast.dump``."""
    try:
        tree = _Strip().visit(tree)
        given = _given()
        own = [node for node in tree.body if not _is_stub(node) and ast.dump(node) not in given]
        if not own:
            return None
        module = ast.Module(body=own, type_ignores=[])
        functions = sorted({n.name for n in own if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))} & KEEP,
                           key=FUNCTIONS.index)
        module = _Rename(_bound_names(module)).visit(module)
        return ast.dump(module), functions
    except RecursionError:
        return _normalise_tokens(source)


# ---------------------------------------------------------------- the same, faster
#
# ``ast.NodeTransformer`` and ``ast.dump`` are pure Python: with them a whole
# submission cost about 10 ms, in the grader's own process. ``_normalise_fast``
# does the same work in two passes over the tree: one strips the docstrings and
# collects the bound names and the depth of each top-level statement, one
# renames and dumps together. Both go through the fields in the order of
# ``ast.NodeTransformer`` (which fixes the numbering of the renamed names), and
# the dump writes exactly what ``ast.dump`` writes; ``_fast_path_works`` checks
# both against the slow path on the stub and the reference before either is
# used. A tree deeper than ``FAST_DEPTH`` takes the slow path (whose
# RecursionError falls back to the tokens, as before).

FAST_DEPTH = 60
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


_FIELDS: dict[type, tuple[tuple[str, bool], ...]] = {}


def _fields(cls: type[ast.AST]) -> tuple[tuple[str, bool], ...]:
    """A node class's fields, each with whether ``ast.dump`` leaves it out when None."""
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = tuple((name, getattr(cls, name, ...) is None) for name in cls._fields)
    return found


def _present(node):
    """(name, value) of the fields ``ast.dump`` shows: those set, and not None where optional."""
    for name, optional in _fields(type(node)):
        try:
            value = getattr(node, name)
        except AttributeError:
            continue
        if value is None and optional:
            continue
        yield name, value


def _dump(node) -> str:
    """``ast.dump(node)``, with the same output."""
    if isinstance(node, ast.AST):
        args = [f"{name}={_dump(value)}" for name, value in _present(node)]
        return f"{type(node).__name__}({', '.join(args)})"
    if isinstance(node, list):
        return f"[{', '.join([_dump(x) for x in node])}]"
    return repr(node)


def _prepare(statement: ast.stmt) -> tuple[int, set[str]]:
    """Strip the docstrings under a top-level statement (in place, as
    ``_Strip``); its depth and the names it binds (as ``_bound_names``)."""
    bound: set[str] = set()
    deepest = 0
    stack: list[tuple[ast.AST, int]] = [(statement, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(node, _DEFS):
            bound.add(node.name)
            node.body = _without_docstring(node.body) or [ast.Pass()]
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Name):
            if isinstance(node.ctx, (ast.Store, ast.Del)):
                bound.add(node.id)
        elif isinstance(node, ast.alias):
            bound.add(node.asname or node.name.split(".")[0])
        elif isinstance(node, ast.ExceptHandler):
            if node.name:
                bound.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        for name, _ in _fields(type(node)):
            value = getattr(node, name, None)
            if isinstance(value, ast.AST):
                stack.append((value, level + 1))
            elif isinstance(value, list):
                stack.extend((item, level + 1) for item in value if isinstance(item, ast.AST))
    return deepest, bound


def _renamed_dump(node, new) -> str:
    """``_Rename`` and then ``ast.dump``, in one pass: a node's own names are
    renamed as it is reached, its fields then in order, as the visitor does."""
    if isinstance(node, ast.Name):
        node.id = new(node.id)
    elif isinstance(node, ast.arg):
        node.arg = new(node.arg)
        node.annotation = None          # type hints are layout, not behaviour
    elif isinstance(node, _DEFS):
        node.name = new(node.name)
        if not isinstance(node, ast.ClassDef):
            node.returns = None
    elif isinstance(node, ast.alias):
        if node.asname:
            node.asname = new(node.asname)
    elif isinstance(node, ast.ExceptHandler):
        if node.name:
            node.name = new(node.name)
    elif isinstance(node, (ast.Global, ast.Nonlocal)):
        node.names = [new(n) for n in node.names]
    args = []
    for name, value in _present(node):
        if isinstance(value, ast.AST):
            text = _renamed_dump(value, new)
        elif isinstance(value, list):
            text = f"[{', '.join([_renamed_dump(x, new) if isinstance(x, ast.AST) else _dump(x) for x in value])}]"
        else:
            text = repr(value)
        args.append(f"{name}={text}")
    return f"{type(node).__name__}({', '.join(args)})"


@lru_cache(maxsize=1)
def _given_names() -> frozenset:
    """(class, name) of the given definitions: a definition of another name is not given."""
    try:
        tree = ast.parse(STUB.read_text())
    except (OSError, SyntaxError):
        return frozenset()
    return frozenset((type(node), node.name) for node in tree.body if isinstance(node, _DEFS))


def _is_given(node: ast.stmt) -> bool:
    if isinstance(node, _DEFS) and (type(node), node.name) not in _given_names():
        return False           # the dump names it: it cannot be a given one
    return _dump(node) in _given()


class _TooDeep(Exception):
    """A tree deeper than FAST_DEPTH: for the slow path."""


def _normalise_fast(tree: ast.Module) -> tuple[str, list[str]] | None:
    """``normalise`` of a parsed tree (changed in place); _TooDeep if it is deeper than FAST_DEPTH."""
    tree.body = _without_docstring(tree.body)
    prepared = [_prepare(node) for node in tree.body]
    if any(depth > FAST_DEPTH for depth, _ in prepared):
        raise _TooDeep
    own = [(node, bound) for node, (_, bound) in zip(tree.body, prepared)
           if not _is_stub(node) and not _is_given(node)]
    if not own:
        return None
    module = ast.Module(body=[node for node, _ in own], type_ignores=[])
    functions = sorted({n.name for n in module.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
                       & KEEP, key=FUNCTIONS.index)
    renamer = _Rename(set().union(*(bound for _, bound in own)) - KEEP)
    return _renamed_dump(module, renamer._new), functions


@lru_cache(maxsize=1)
def _fast_path_works() -> bool:
    """Does the fast path give what the slow one gives, with this Python's
    ``ast`` (whose ``dump`` may change: 3.13 leaves out empty fields)? Tried
    on the stub, the reference and a submission made of both."""
    try:
        texts = [STUB.read_text(), strip_markers(REFERENCE.read_text())]
    except OSError:
        return False
    texts.append(texts[0] + "\n" + texts[1])
    try:
        return all(_dump(ast.parse(text)) == ast.dump(ast.parse(text))
                   and _normalise_fast(ast.parse(text)) == _normalise_tree(ast.parse(text), text)
                   for text in texts)
    except (SyntaxError, RecursionError, _TooDeep):
        return False


def _normalise_tokens(source: str) -> tuple[str, list[str]] | None:
    """For a source that does not parse: its tokens without comments and
    blank lines, names other than keywords, builtins and the contract's
    functions renamed in order of first appearance."""
    names: dict[str, str] = {}
    out: list[str] = []
    functions: list[str] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER):
                continue
            text = tok.string
            if tok.type == tokenize.NAME and not keyword.iskeyword(text):
                if text in KEEP:
                    functions.append(text)
                elif text not in _BUILTINS and not (out and out[-1] == "."):
                    text = names.setdefault(text, f"_{len(names)}")
            out.append(f"{tokenize.tok_name[tok.type]}:{text}")
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    if not out:
        return None
    return "\n".join(out), sorted(set(functions), key=FUNCTIONS.index)


def digest(normalised: str) -> str:
    return hashlib.sha256(normalised.encode("utf-8", "surrogatepass")).hexdigest()


@lru_cache(maxsize=1)
def _reference_digest() -> str | None:
    try:
        found = normalise(strip_markers(REFERENCE.read_text()))
    except OSError:
        return None
    return digest(found[0]) if found else None


def find_groups(sources: dict[str, str]) -> list[dict]:
    """Groups (two or more students) of identical normalised code, largest
    first: ``{"students", "size", "functions", "same_as_reference", "digest"}``."""
    by_digest: dict[str, list[str]] = {}
    covered: dict[str, list[str]] = {}
    seen: dict[str, tuple[str, list[str]] | None] = {}     # the same file twice is normalised once
    for student, source in sources.items():
        found = seen[source] if source in seen else seen.setdefault(source, normalise(source))
        if found is None:
            continue
        key = digest(found[0])
        by_digest.setdefault(key, []).append(student)
        covered[key] = found[1]
    reference = _reference_digest()
    groups = [{"students": sorted(students), "size": len(students), "functions": covered[key],
               "same_as_reference": key == reference, "digest": key[:12]}
              for key, students in by_digest.items() if len(students) > 1]
    return sorted(groups, key=lambda g: (-g["size"], g["students"]))


def identical_groups(submissions: list[Submission]) -> list[dict]:
    """``find_groups`` over the class's submissions (read as the engine reads
    them; one that cannot be read is left out)."""
    sources = {}
    for submission in submissions:
        try:
            sources[submission.student] = submission.read_source()
        except SubmissionError:
            continue
    return find_groups(sources)
