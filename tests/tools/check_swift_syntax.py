#!/usr/bin/env python3
"""Parses every Swift file of the iOS app with tree-sitter's Swift grammar
and fails on any syntax error (no Swift compiler runs on Linux CI; this and
check_swift_calls.py stand in for it). It first checks that the parser does
reject broken Swift, so a grammar that accepted everything could not pass.

Usage: check_swift_syntax.py APP_SOURCE_DIR
"""
import sys
from pathlib import Path

import tree_sitter_swift
from tree_sitter import Language, Parser

BROKEN = [
    b"func f() { let x = (1, 2 }",
    b"struct A { var b: Int = }",
    b"final class B { func c() { if d { } }",
]


def errors(parser: Parser, source: bytes) -> list:
    """(line, text) of each syntax error in source."""
    found, stack = [], [parser.parse(source).root_node]
    lines = source.decode(errors="replace").splitlines()
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            row = node.start_point[0]
            found.append((row + 1, lines[row].strip() if row < len(lines) else ""))
        elif node.has_error:
            stack.extend(node.children)
    return sorted(found)


def main() -> int:
    parser = Parser(Language(tree_sitter_swift.language()))
    for source in BROKEN:
        if not errors(parser, source):
            print(f"the Swift parser accepted broken code: {source.decode()}")
            return 1
    files = sorted(Path(sys.argv[1]).rglob("*.swift"))
    problems = [(f, line, text) for f in files for line, text in errors(parser, f.read_bytes())]
    for path, line, text in problems:
        print(f"{path}:{line}: syntax error near: {text}")
    if not files:
        print("no Swift files found: is the app source folder right?")
        return 1
    print(f"Swift syntax: {len(files)} files parse" if not problems else f"Swift syntax: {len(problems)} errors")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
