#!/usr/bin/env python3
"""Checks the iOS app's calls into the generated Swift bindings.

No Swift compiler runs on Linux CI, so this stands in for the type checker on
the one thing that drifts: every call the app makes to a function of the
bindings (a method, a top-level function, or a record's initializer) must
name one the bindings declare, with the same argument labels in the same
order (an initializer's defaulted arguments may be left out).

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


TOP_LEVEL = re.compile(r"^public func\s+`?(\w+)`?\s*\(", re.M)
RECORD = re.compile(r"^public struct (\w+)\b[^{]*\{", re.M)
COMMENT = re.compile(r"/\*.*?\*/", re.S)


def declarations(generated: str) -> dict:
    api = {}
    for match in DECLARATION.finditer(generated):
        name = match.group(1)
        if name.startswith(("uniffi", "ffi")) or name in {"lift", "lower", "read", "write"}:
            continue
        api.setdefault(name, set()).add(labels(balanced(generated, match.end() - 1)))
    return api


def initializers(generated: str) -> dict:
    """Record name -> (labels in order, labels that have a default)."""
    text = COMMENT.sub("", generated)
    found = {}
    for match in RECORD.finditer(text):
        name = match.group(1)
        if name.startswith("FfiConverter"):
            continue
        start = text.find("public init(", match.end())
        end = text.find("\n}", match.end())
        if start == -1 or start > end:
            continue
        arguments = balanced(text, start + len("public init"))
        parts = [p for p in arguments.split(",") if ":" in p]
        declared = tuple(re.match(r"\s*`?(\w+)`?\s*:", p).group(1) for p in parts)
        defaulted = {re.match(r"\s*`?(\w+)`?\s*:", p).group(1) for p in parts if "=" in p}
        found[name] = (declared, defaulted)
    return found


def fits(used: tuple, declared: tuple, defaulted: set) -> bool:
    """Whether the labels used are the declared ones in order, leaving out only defaulted ones."""
    it = iter(declared)
    for label in used:
        for candidate in it:
            if candidate == label:
                break
            if candidate not in defaulted:
                return False
        else:
            return False
    return all(label in defaulted for label in it)


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
    top_level = {m.group(1) for m in TOP_LEVEL.finditer(generated)}
    records = initializers(generated)
    problems, checked = [], 0
    for source in sources:
        text = COMMENT.sub("", source.read_text())
        for match in re.finditer(r"(?<![.\w])`?(\w+)`?\s*\(", text):
            name = match.group(1)
            if name in records:
                used = labels(balanced(text, match.end() - 1))
                declared, defaulted = records[name]
                checked += 1
                if not fits(used, declared, defaulted):
                    line = text.count("\n", 0, match.start()) + 1
                    problems.append(f"{source}:{line}: {name}({', '.join(l + ':' for l in used)}) does not match "
                                    f"{name}({', '.join(l + ':' for l in declared)})")
            elif name in top_level and name in api:
                used = labels(balanced(text, match.end() - 1))
                checked += 1
                if used not in api[name]:
                    line = text.count("\n", 0, match.start()) + 1
                    problems.append(f"{source}:{line}: {name}({', '.join(l + ':' for l in used)}) is not declared so")
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
