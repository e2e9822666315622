#!/usr/bin/env python3
"""Checks the iOS app's calls into the generated Swift bindings.

No Swift compiler runs on Linux CI, so this stands in for the type checker on
the one thing that drifts: every call the app makes to a function of the
bindings must name a function the bindings declare, with the same argument
labels in the same order.

Usage: check_swift_calls.py GENERATED.swift APP_SOURCE_DIR
"""
import re
import sys
from pathlib import Path

DECLARATION = re.compile(r"\bfunc\s+`?(\w+)`?\s*\(")


def balanced(text: str, open_at: int) -> str:
    """The text between the parenthesis at open_at and its partner."""
    depth = 0
    for index in range(open_at, len(text)):
        if text[index] in "([":
            depth += 1
        elif text[index] in ")]":
            depth -= 1
            if depth == 0:
                return text[open_at + 1 : index]
    raise ValueError(f"unbalanced parenthesis at {open_at}")


def labels(arguments: str) -> tuple:
    """The argument labels of a call or declaration, in order."""
    parts, depth, current = [], 0, ""
    for char in arguments:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    if current.strip():
        parts.append(current)
    found = []
    for part in parts:
        match = re.match(r"\s*`?(\w+)`?\s*:", part)
        found.append(match.group(1) if match else "_")
    return tuple(found)


def declarations(generated: str) -> dict:
    api = {}
    for match in DECLARATION.finditer(generated):
        name = match.group(1)
        if name.startswith(("uniffi", "ffi")) or name in {"lift", "lower", "read", "write"}:
            continue
        api.setdefault(name, set()).add(labels(balanced(generated, match.end() - 1)))
    return api


def main() -> int:
    generated = Path(sys.argv[1]).read_text()
    api = declarations(generated)
    sources = sorted(Path(sys.argv[2]).rglob("*.swift"))
    # Functions the app declares itself (its implementations of the foreign
    # traits, such as BleLink) are not calls into Rust: leave them out, and
    # with them same-named platform calls (CBCentralManager.connect).
    for source in sources:
        for match in DECLARATION.finditer(source.read_text()):
            api.pop(match.group(1), None)
    problems, checked = [], 0
    for source in sources:
        text = source.read_text()
        for match in re.finditer(r"\.`?(\w+)`?\s*\(", text):
            name = match.group(1)
            if name not in api:
                continue
            used = labels(balanced(text, match.end() - 1))
            checked += 1
            if used not in api[name]:
                line = text.count("\n", 0, match.start()) + 1
                expected = " or ".join(f"{name}({', '.join(l + ':' for l in d)})" for d in api[name])
                problems.append(f"{source}:{line}: {name}({', '.join(l + ':' for l in used)}) does not match {expected}")
    for problem in problems:
        print(problem)
    if checked == 0:
        print("no calls into the bindings were found: is the app source folder right?")
        return 1
    print(f"Swift API check: {checked} calls into the bindings match their declarations" if not problems
          else f"Swift API check: {len(problems)} of {checked} calls do not match the bindings")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
