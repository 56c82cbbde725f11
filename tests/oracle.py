"""The frameworks' own parsers as the tests' oracle (tests/js/oracle.mjs run by node).

"The output means the same" is judged by what renders the site: remark with remark-gfm, remark-frontmatter,
remark-directive and remark-mdx, and @mdx-js/mdx compiling. Requests are sent in batches, one node process per
batch. Tests that need it call :func:`require_oracle`, which skips with the reason when node or the packages
(``npm ci`` in tests/js) are missing.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

JS_DIR = Path(__file__).resolve().parent / "js"
SCRIPT = JS_DIR / "oracle.mjs"
BATCH = 200
PROSE_ATTRIBUTES = ("title", "alt", "label", "description", "text")  # attributes a translation changes

# remark-directive reads `:name` anywhere as a text directive: a site has the plugin only when it uses
# directives, which a named container line shows.
_USES_DIRECTIVES = re.compile(r"^[ \t]*:{3,}[A-Za-z]", re.MULTILINE)


def missing_reason() -> str | None:
    """Why the oracle cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed: the framework-parser (remark/MDX) oracle tests did not run"
    if not (JS_DIR / "node_modules" / "@mdx-js" / "mdx").is_dir():
        return "tests/js has no node_modules (run `npm ci` in tests/js): the remark/MDX oracle tests did not run"
    return None


def require_oracle() -> None:
    reason = missing_reason()
    if reason:
        pytest.skip(reason)


def uses_directives(text: str) -> bool:
    return bool(_USES_DIRECTIVES.search(text))


def _run(requests: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    answers: list[dict[str, Any]] = []
    for start in range(0, len(requests), BATCH):
        batch = list(requests[start : start + BATCH])
        done = subprocess.run(
            ["node", str(SCRIPT)],
            input=json.dumps(batch),
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=JS_DIR,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"oracle.mjs failed: {done.stderr[-2000:]}")
        answers.extend(json.loads(done.stdout))
    return answers


@dataclass(frozen=True)
class Shape:
    """A post's tree as the framework parses it, without text; ``error`` when it does not parse."""

    tree: dict[str, Any] | None
    error: str | None = None


def shapes(
    texts: Iterable[str], *, mdx: bool | Sequence[bool], directives: bool | Sequence[bool] | None = None,
    prose: Sequence[str] = PROSE_ATTRIBUTES,
) -> list[Shape]:
    """The tree shape of each text. ``directives`` None: where the text uses a named ``:::`` container."""
    items = list(texts)
    mdx_flags = [mdx] * len(items) if isinstance(mdx, bool) else list(mdx)
    if directives is None:
        directive_flags = [uses_directives(text) for text in items]
    elif isinstance(directives, bool):
        directive_flags = [directives] * len(items)
    else:
        directive_flags = list(directives)
    requests = [
        {"op": "shape", "text": text, "mdx": m, "directives": d, "prose": list(prose)}
        for text, m, d in zip(items, mdx_flags, directive_flags, strict=True)
    ]
    return [Shape(answer.get("shape"), answer.get("error")) for answer in _run(requests)]


def compile_errors(texts: Iterable[str]) -> list[str | None]:
    """For each MDX text, @mdx-js/mdx's error message, or None when it compiles."""
    return [answer.get("error") for answer in _run([{"op": "compile", "text": text} for text in texts])]


def github_slugs(headings: Sequence[str]) -> list[str]:
    """github-slugger's slugs of ``headings`` in one document (duplicates get -1, -2...)."""
    return list(_run([{"op": "slugs", "headings": list(headings)}])[0]["slugs"])


@dataclass
class Comparison:
    """Pairs (source, output) whose trees differ, and outputs that do not parse or compile."""

    differences: list[str] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return not self.differences


def _is_fragment(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("#")


def _same_page_fragments(key: str, left: Any, right: Any) -> bool:
    """A link's url, or a component's href attribute, that changed from one #fragment to another."""
    if key == "url":
        return _is_fragment(left) and _is_fragment(right)
    if key != "attributes" or not isinstance(left, list) or not isinstance(right, list) or len(left) != len(right):
        return False
    return all(
        a == b or (a[0] == b[0] == "href" and _is_fragment(a[1]) and _is_fragment(b[1]))
        for a, b in zip(left, right, strict=True)
    )


def first_difference(
    source: dict[str, Any], output: dict[str, Any], path: str = "root", *, fragments: bool = True
) -> str | None:
    """Where two shapes first differ (a readable path), or None.

    ``fragments=False`` takes a same-page link whose ``#fragment`` changed as the same (heading anchors follow
    translated headings)."""
    for key in sorted(set(source) | set(output)):
        if key == "children":
            continue
        if not fragments and _same_page_fragments(key, source.get(key), output.get(key)):
            continue
        if source.get(key) != output.get(key):
            return f"{path}.{source.get('type')}: {key} {source.get(key)!r} -> {output.get(key)!r}"[:300]
    left, right = source.get("children", []), output.get("children", [])
    if len(left) != len(right):
        kinds = ([c["type"] for c in left], [c["type"] for c in right])
        return f"{path}.{source.get('type')}: children {kinds[0]} -> {kinds[1]}"[:300]
    for index, (a, b) in enumerate(zip(left, right, strict=True)):
        found = first_difference(a, b, f"{path}.{source.get('type')}[{index}]", fragments=fragments)
        if found:
            return found
    return None


def compare(
    pairs: Sequence[tuple[str, str, str]],
    *,
    mdx: Sequence[bool],
    prose: Sequence[str] = PROSE_ATTRIBUTES,
    compile_mdx: bool = True,
    fragments: bool = True,
) -> Comparison:
    """Compare ``(name, source, output)`` pairs in the framework's tree; MDX outputs must also compile.

    Sources that the framework itself cannot parse are left out (nothing to compare with).
    """
    sources = [source for _, source, _ in pairs]
    directive_flags = [uses_directives(source) for source in sources]
    before = shapes(sources, mdx=mdx, directives=directive_flags, prose=prose)
    after = shapes([output for _, _, output in pairs], mdx=mdx, directives=directive_flags, prose=prose)
    result = Comparison()
    to_compile = [(name, output) for (name, _, output), m, b in zip(pairs, mdx, before, strict=True) if m and b.tree]
    errors = compile_errors([output for _, output in to_compile]) if compile_mdx and to_compile else []
    for name, error in zip([name for name, _ in to_compile], errors, strict=True):
        if error:
            result.differences.append(f"{name}: does not compile as MDX: {error}")
    for (name, _, _), b, a in zip(pairs, before, after, strict=True):
        if b.tree is None:
            continue
        if a.tree is None:
            result.differences.append(f"{name}: does not parse: {a.error}")
            continue
        found = first_difference(b.tree, a.tree, fragments=fragments)
        if found:
            result.differences.append(f"{name}: {found}")
    return result
