#!/usr/bin/env python3
"""Checks that every control of the iOS app has a label VoiceOver reads.

Parses the SwiftUI sources with tree-sitter's Swift grammar and finds every
Button (and the app's InPlaceButton), Toggle, Slider, Picker, TextField, DatePicker, Stepper, ShareLink,
NavigationLink and Menu. A control is labelled when its title is text
(`Button("Finish")`, `Toggle(risk.text, ...)`), when its label view holds a
`Text` or `Label` with text, or when an `.accessibilityLabel(...)` modifier
follows it. Before the app it checks snippets, labelled and not, so a check
that passed everything could not pass.

Usage: check_swift_accessibility.py APP_SOURCE_DIR
"""
import sys
from pathlib import Path

import tree_sitter_swift
from tree_sitter import Language, Parser

CONTROLS = {"Button", "InPlaceButton", "Toggle", "Slider", "Picker", "TextField", "SecureField", "DatePicker", "Stepper",
            "ShareLink", "NavigationLink", "Menu"}
# (snippet, labelled?)
SAMPLES = [
    (b'let v = Button("Finish") { finish() }', True),
    (b'let v = Toggle(risk.text, isOn: $on)', True),
    (b'let v = Button { go() } label: { Label("Start", systemImage: "play") }', True),
    (b'let v = Slider(value: $x, in: 0...1).accessibilityLabel("Speed")', True),
    (b'let v = Button { go() } label: { Image(systemName: "play") }', False),
    (b'let v = Slider(value: $x, in: 0...1).padding()', False),
    (b'let v = Toggle(isOn: $on) { Image(systemName: "bell") }', False),
    (b'let v = InPlaceButton { go() } label: { Text("Go") }', True),
    (b'let v = InPlaceButton { go() } label: { Image(systemName: "play") }', False),
    (b'struct InPlaceButton<L: View>: View { var body: some View { Button { go() } label: { label } } }', True),
    (b'struct Other: View { var body: some View { Button { go() } label: { label } } }', False),
]


def text_of(source: bytes, node) -> str:
    return source[node.start_byte : node.end_byte].decode(errors="replace")


def call_name(source: bytes, node) -> str:
    first = node.children[0] if node.children else None
    return text_of(source, first) if first is not None and first.type == "simple_identifier" else ""


def walk(node):
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.children)


def titled(source: bytes, call) -> bool:
    """The first argument is the title: a string, or a value that is one (`risk.text`)."""
    suffix = next((c for c in call.children if c.type == "call_suffix"), None)
    arguments = next((c for c in suffix.children if c.type == "value_arguments"), None) if suffix else None
    if arguments is None:
        return False
    first = next((c for c in arguments.children if c.type == "value_argument"), None)
    if first is None or any(c.type == "value_argument_label" for c in first.children):
        return False
    return True


def label_view_has_text(source: bytes, call) -> bool:
    """A label closure (or trailing closure of a titled-less control) that shows text."""
    suffix = next((c for c in call.children if c.type == "call_suffix"), None)
    if suffix is None:
        return False
    lambdas = [c for c in suffix.children if c.type == "lambda_literal"]
    name = call_name(source, call)
    # Button { action } label: { ... }: the first closure is the action.
    candidates = lambdas[1:] if name in {"Button", "InPlaceButton"} else lambdas
    for closure in candidates:
        for node in walk(closure):
            if node.type == "call_expression" and call_name(source, node) in {"Text", "Label"}:
                if titled(source, node):
                    return True
    return False


def modified_with_label(source: bytes, call) -> bool:
    """An `.accessibilityLabel(...)` somewhere in the modifier chain after the control."""
    node = call
    while node.parent is not None and node.parent.type == "navigation_expression":
        navigation = node.parent
        suffix = next((c for c in navigation.children if c.type == "navigation_suffix"), None)
        if suffix is not None and "accessibilityLabel" in text_of(source, suffix):
            return True
        if navigation.parent is None or navigation.parent.type != "call_expression":
            return False
        node = navigation.parent
    return False


def inside_a_control(source: bytes, node) -> bool:
    """Within the declaration of a control this check knows (InPlaceButton's
    own Button shows the label its callers give, and they are checked)."""
    parent = node.parent
    while parent is not None:
        if parent.type == "class_declaration":
            name = next((c for c in parent.children if c.type == "type_identifier"), None)
            if name is not None and text_of(source, name) in CONTROLS:
                return True
        parent = parent.parent
    return False


def unlabelled(parser: Parser, source: bytes) -> list:
    """(line, control) of each control without a label."""
    found = []
    for node in walk(parser.parse(source).root_node):
        if node.type != "call_expression" or call_name(source, node) not in CONTROLS:
            continue
        if inside_a_control(source, node):
            continue
        if titled(source, node) or label_view_has_text(source, node) or modified_with_label(source, node):
            continue
        found.append((node.start_point[0] + 1, call_name(source, node)))
    return sorted(found)


def main() -> int:
    parser = Parser(Language(tree_sitter_swift.language()))
    for snippet, labelled in SAMPLES:
        if (not unlabelled(parser, snippet)) != labelled:
            print(f"the accessibility check misjudges: {snippet.decode()} (labelled: {labelled})")
            return 1
    files = sorted(Path(sys.argv[1]).rglob("*.swift"))
    problems = [(f, line, name) for f in files for line, name in unlabelled(parser, f.read_bytes())]
    for path, line, name in problems:
        print(f"{path}:{line}: {name} has no label for VoiceOver: give it a title or .accessibilityLabel")
    controls = sum(1 for f in files for node in walk(parser.parse(f.read_bytes()).root_node)
                   if node.type == "call_expression" and call_name(f.read_bytes(), node) in CONTROLS)
    if controls == 0:
        print("no controls found: is the app source folder right?")
        return 1
    print(f"Accessibility: {controls} controls, all labelled" if not problems
          else f"Accessibility: {len(problems)} of {controls} controls have no label")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
