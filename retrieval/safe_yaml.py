"""The one YAML reader for config files and front matter, bounded before use.

`yaml.safe_load` executes nothing, but it will still build whatever a file describes:
an alias bomb ("billion laughs", under 1 KB) expands to gigabytes as soon as anything
walks the result, 5,000 nested brackets overflow the recursion limit, and values such
as `date: 2021-02-30` or `!!float abc` raise ValueError from inside the constructor.
`parse` refuses all of these with a YAMLError that carries the line, so callers report
"FILE:LINE: ..." as for any other syntax error:

- input size: at most MAX_CHARS characters;
- nesting: at most MAX_DEPTH levels of mappings and lists;
- aliases: the document, with every alias expanded, has at most MAX_NODES nodes
  (a recursive alias is refused outright);
- timestamps stay the strings they were written as (dates are parsed by dates.py,
  which knows what to do with an impossible one); a value a tag cannot build
  (`!!float abc`, `!!int x`) is an error at its line, never a ValueError.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError, SafeConstructor

MAX_CHARS = 256 * 1024
MAX_DEPTH = 64
MAX_NODES = 20_000
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class BoundedLoader(yaml.SafeLoader):
    """SafeLoader that counts nesting depth and builds timestamps as plain strings."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise ComposerError(None, None, f"nested deeper than {MAX_DEPTH} levels", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node, deep=False):  # noqa: ANN001
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as exc:
            # ConstructorError is none of these, so only the innermost failing node reports
            raise ConstructorError(None, None, f"cannot read {node.value!r} as {node.tag.rsplit(':', 1)[-1]} "
                                   f"({exc})", node.start_mark) from None


# Timestamps are not resolved implicitly, and an explicit !!timestamp is just its text.
BoundedLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
BoundedLoader.add_constructor(_TIMESTAMP, SafeConstructor.construct_yaml_str)


def parse(text: str) -> tuple[Any, yaml.Node | None]:
    """(the data, the root node) of one YAML document; raises yaml.YAMLError."""
    if len(text) > MAX_CHARS:
        raise yaml.YAMLError(f"the YAML is {len(text):,} characters long; at most {MAX_CHARS:,} are read")
    loader = BoundedLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _check_expanded_size(node)
        return loader.construct_document(node), node
    finally:
        loader.dispose()


def _check_expanded_size(root: yaml.Node) -> None:
    """Count the nodes of the document as if every alias were copied out; refuse cycles."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise ComposerError(None, None, "an alias refers to the node that contains it", node.start_mark)
        total = 1
        if isinstance(node, (yaml.SequenceNode, yaml.MappingNode)):
            open_nodes.add(key)
            children = node.value if isinstance(node, yaml.SequenceNode) else [n for pair in node.value for n in pair]
            for child in children:
                total += size(child)
                if total > MAX_NODES:
                    raise ComposerError(None, None, f"aliases expand to more than {MAX_NODES:,} values",
                                        child.start_mark)
            open_nodes.discard(key)
        sizes[key] = total
        return total

    size(root)


def error_line(exc: yaml.YAMLError) -> int | None:
    """The 0-based line a YAML error points at, if it points anywhere."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line if mark is not None else None


def problem(exc: yaml.YAMLError) -> str:
    return getattr(exc, "problem", None) or str(exc)
