#!/usr/bin/env python3
"""Checks the iOS app's Swift against the generated Swift bindings.

No Swift compiler runs on Linux CI, so this stands in for the type checker on
what drifts when the Rust API changes. From the generated file it reads the
API the app may use: the objects (`SecondHeart`, `Sessions`, ...) and their
methods, the app's traits (`BleLink`, `Clock`, listeners), the records with
their fields and initializers, the enums with their cases, and the top-level
functions. In the app's sources it then checks:

- calls on a receiver whose type it knows (a chain from a service accessor,
  `x.sessions().record(event:)`; a variable, parameter or property declared
  with a bindings type; a constructor's result): the method exists on that
  type, with the same argument labels in order;
- members read from a value of a known record type, along chains
  (`today.summary.pumpedLitres`): every field exists;
- record initializers and object constructors (`FlightDetails(...)`,
  `DemoSensor(serial:hours:)`, `SecondHeart.open(path:clock:)`): labels in
  order, leaving out only defaulted ones;
- enum cases written with their type (`SessionEvent.rep(holdS: nil)`,
  `Seat.aisle`, `catch SecondHeartError.SyncCancelled`), payload cases
  written short (`.steps(count: 1)`), cases compared with a field of known
  type (`progress.kind == .walk`) and the cases of a `switch` over a value of
  known type: the case exists, with its labels;
- other calls by method name, when the app declares no function of that name:
  the labels are those of one declaration of that name;
- the app's implementations of the traits: every method of the trait is
  declared with the trait's argument labels.

Usage: check_swift_calls.py GENERATED.swift APP_SOURCE_DIR
"""
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

def strip_comments(text: str) -> str:
    """The text with its comments blanked (same length, same lines); string
    literals are kept, so code interpolated in them ("\\(walk.steps)") is checked."""
    out, index, length = [], 0, len(text)
    while index < length:
        two = text[index : index + 2]
        if two == "//":
            end = text.find("\n", index)
            end = length if end == -1 else end
            out.append(" " * (end - index))
            index = end
        elif two == "/*":
            end = text.find("*/", index + 2)
            end = length if end == -1 else end + 2
            out.append(re.sub(r"[^\n]", " ", text[index:end]))
            index = end
        elif text[index] == '"':
            end = index + 1
            while end < length and text[end] not in '"\n':
                end += 2 if text[end] == "\\" else 1
            out.append(text[index : end + 1])
            index = end + 1
        else:
            out.append(text[index])
            index += 1
    return "".join(out)


def balanced(text: str, open_at: int) -> str:
    """The text between the bracket at open_at and its partner."""
    depth = 0
    for index in range(open_at, len(text)):
        if text[index] in "([{":
            depth += 1
        elif text[index] in ")]}":
            depth -= 1
            if depth == 0:
                return text[open_at + 1 : index]
    raise ValueError(f"unbalanced bracket at {open_at}")


def split_top(arguments: str) -> list:
    """Arguments split at the commas outside brackets."""
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
    return parts


def call_labels(arguments: str) -> tuple:
    """The argument labels of a call, in order ("_" for an unlabelled one)."""
    found = []
    for part in split_top(arguments):
        match = re.match(r"\s*`?(\w+)`?\s*:(?!:)", part)
        found.append(match.group(1) if match else "_")
    return tuple(found)


def parameter_labels(parameters: str) -> tuple:
    """The external labels of a declaration's parameters: `characteristic uuid: String` is `characteristic`."""
    found = []
    for part in split_top(parameters):
        match = re.match(r"\s*(?:`?(\w+)`?\s+)?`?(\w+)`?\s*:", part)
        if match:
            found.append(match.group(1) or match.group(2))
    return tuple(found)


def base_type(type_text: str) -> str:
    """`SessionProgress?` -> `SessionProgress`; arrays and dictionaries have no base type here."""
    type_text = type_text.strip().rstrip("?!").strip()
    return type_text if re.fullmatch(r"\w+", type_text) else ""


@dataclass
class Method:
    labels: tuple
    returns: str


@dataclass
class Api:
    """What the bindings declare."""
    objects: dict = field(default_factory=dict)  # name -> {method: [Method]}
    traits: dict = field(default_factory=dict)  # name -> {method: [Method]}
    constructors: dict = field(default_factory=dict)  # object -> [labels]
    statics: dict = field(default_factory=dict)  # object -> {name: [Method]}
    records: dict = field(default_factory=dict)  # name -> (labels, defaulted, {field: type})
    elements: dict = field(default_factory=dict)  # record -> {array field: element type}
    enums: dict = field(default_factory=dict)  # name -> {case: labels or None}
    functions: dict = field(default_factory=dict)  # name -> [Method]

    def methods_named(self, name: str) -> list:
        found = []
        for table in list(self.objects.values()) + list(self.traits.values()):
            found += table.get(name, [])
        return found

    def members(self, type_name: str) -> dict:
        """Method name -> declarations, for an object, trait or the error enum."""
        return self.objects.get(type_name) or self.traits.get(type_name) or {}


# Members Swift gives every value, Optional or collection: a chain that
# reaches one leaves the bindings' types.
SWIFT_MEMBERS = {
    "self", "hashValue", "map", "flatMap", "compactMap", "filter", "first", "last", "isEmpty", "count",
    "sorted", "contains", "forEach", "reduce", "enumerated", "reversed", "joined", "prefix", "suffix",
    "description", "debugDescription", "hash", "dropFirst", "dropLast", "allSatisfy", "min", "max",
}

FUNC = re.compile(r"\bfunc\s+`?(\w+)`?\s*(?:<[^>]*>)?\s*\(")


def functions_in(body: str) -> dict:
    """Method name -> declarations in a protocol or type body."""
    table = {}
    for match in FUNC.finditer(body):
        open_at = match.end() - 1
        parameters = balanced(body, open_at)
        after = body[open_at + len(parameters) + 2 :].split("\n", 1)[0]
        returns = re.search(r"->\s*([\w?\[\]: ]+?)\s*(?:\{|$)", after)
        table.setdefault(match.group(1), []).append(
            Method(parameter_labels(parameters), base_type(returns.group(1)) if returns else ""))
    return table


def read_api(generated: str) -> Api:
    text = strip_comments(generated)
    api = Api()
    for match in re.finditer(r"^public protocol (\w+): AnyObject[^{]*\{", text, re.M):
        body = balanced(text, match.end() - 1)
        name = match.group(1)
        if name.endswith("Protocol"):
            api.objects[name[: -len("Protocol")]] = functions_in(body)
        else:
            api.traits[name] = functions_in(body)
    for match in re.finditer(r"^open class (\w+): (\w+)Protocol\b[^{]*\{", text, re.M):
        body = balanced(text, match.end() - 1)
        name = match.group(1)
        for init in re.finditer(r"public convenience init\(", body):
            api.constructors.setdefault(name, []).append(parameter_labels(balanced(body, init.end() - 1)))
        statics = {}
        for static in re.finditer(r"public static func `?(\w+)`?\s*\(", body):
            parameters = balanced(body, static.end() - 1)
            after = body[static.end() + len(parameters) + 1 :].split("\n", 1)[0]
            returns = re.search(r"->\s*(\w+)", after)
            statics.setdefault(static.group(1), []).append(
                Method(parameter_labels(parameters), returns.group(1) if returns else ""))
        statics = {k: v for k, v in statics.items() if k not in {"lift", "lower", "read", "write"}}
        if statics:
            api.statics[name] = statics
    for match in re.finditer(r"^public struct (\w+): Equatable[^{]*\{", text, re.M):
        body = balanced(text, match.end() - 1)
        fields = {f.group(1): base_type(f.group(2)) for f in re.finditer(r"public (?:var|let) (\w+): ([^\n=]+)", body)}
        init = re.search(r"public init\(", body)
        parameters = split_top(balanced(body, init.end() - 1)) if init else []
        labels = tuple(re.match(r"\s*`?(\w+)`?", p).group(1) for p in parameters if ":" in p)
        defaulted = {re.match(r"\s*`?(\w+)`?", p).group(1) for p in parameters if "=" in p}
        api.records[match.group(1)] = (labels, defaulted, fields)
        api.elements[match.group(1)] = {
            f.group(1): f.group(2) for f in re.finditer(r"public (?:var|let) (\w+): \[(\w+)\]", body)}
    for match in re.finditer(r"^public\s+enum (\w+)\b[^{]*\{", text, re.M):
        name = match.group(1)
        if name.startswith("Uniffi"):
            continue
        body = balanced(text, match.end() - 1)
        cases = {}
        for case in re.finditer(r"^[ \t]*case[ \t]+`?(\w+)`?[ \t]*(\()?", body, re.M):
            cases[case.group(1)] = parameter_labels(balanced(body, case.end() - 1)) if case.group(2) else None
        api.enums[name] = cases
        methods = functions_in(body)
        if methods:
            api.objects[name] = methods
    for match in re.finditer(r"^public func `?(\w+)`?\s*\(", text, re.M):
        name = match.group(1)
        if name.startswith(("uniffi", "FfiConverter")):
            continue
        parameters = balanced(text, match.end() - 1)
        after = text[match.end() + len(parameters) + 1 :].split("\n", 1)[0]
        returns = re.search(r"->\s*([\w?\[\]]+)", after)
        api.functions.setdefault(name, []).append(
            Method(parameter_labels(parameters), base_type(returns.group(1)) if returns else ""))
    return api


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


# Words that may come before an enum case's dot (`case let .walk(...)`,
# `return .json`), never a receiver of a call.
SWIFT_KEYWORDS = {"let", "var", "case", "return", "throw", "try", "await", "in", "else", "where", "is", "as"}


def in_pattern(text: str, at: int) -> bool:
    """Whether the case at `at` is a pattern (`case .hold(let elapsed, let target):`), not a value."""
    return bool(re.search(r"\bcase\s+(?:let\s+|var\s+)?\.?\s*$", text[:at]))


def matches_payload(used: tuple, declared: tuple, pattern: bool) -> bool:
    """A value names every label; a pattern may bind by position (`let x`), naming a label only where it is."""
    if not pattern:
        return used == declared
    return len(used) == len(declared) and all(u in ("_", d) for u, d in zip(used, declared))


def spelled(name: str, labels) -> str:
    return f"{name}({''.join(label + ':' for label in labels)})"


class Source:
    """One app file, with the bindings of its names and the scope of each.

    A name is bound by a declaration with a type (`let plan: FlightPlan`,
    `_ walk: Walk`), a copy or a constructor (`let sensor = DemoSensor(...)`),
    a loop over a collection of known element type, or otherwise with an
    unknown type ("?"): `if let walk = model.progress`, a closure's `{ walk in`.
    Each binding holds from where it is made to the end of the block around
    it (a function's parameters: its body; a property: its type's body). A
    use is checked only when every binding of its name in scope there has a
    bindings type.
    """

    def __init__(self, path: Path, text: str, api: Api, elements: dict):
        """`elements`: the element types of the collections the whole app declares (`paired: [PairedSensor]`)."""
        self.path = path
        self.text = strip_comments(text)
        self.api = api
        self.followed = set()  # (offset, member) of chain steps already checked
        self.declared = {m.group(1) for m in FUNC.finditer(self.text)}
        self.declared |= {m.group(1) for m in re.finditer(r"^\s*case\s+(\w+)", self.text, re.M)}
        self.declared |= {m.group(1) for m in re.finditer(r"\bcase\s+(?:\w+\s*,\s*)*(\w+)\s*(?:,|$)", self.text, re.M)}
        self.blocks = self.brace_blocks()
        self.bindings = {}  # name -> [(scope start, scope end, type)]
        text = self.text
        for match in re.finditer(r"\b(\w+)\s*:\s*([A-Z]\w*)\??(?=\s*[,)={\n]|\s*$)", text, re.M):
            self.bind(match.group(1), match.start(1), match.group(2))
        for match in re.finditer(r"\b(?:let|var)\s+(\w+)\b(?!\s*:)([ \t]*=[ \t]*([^\n]*))?", text):
            name, assigned, rhs = match.group(1), match.group(2), (match.group(3) or "").strip()
            if not assigned:
                if not re.match(r"\s*(?:[,{]|else\b)", text[match.end():]):  # `if let x {` keeps x's type
                    self.bind(name, match.start(1), "?")
                continue
            copied = re.fullmatch(r"(?:self\.)?(\w+)", rhs)
            created = re.match(r"(?:try[?!]?\s+)?(\w+)\s*[.(]", rhs)
            if copied:
                for kind in self.types_at(copied.group(1), match.start()) or {"?"}:
                    self.bind(name, match.start(1), kind)
            elif created and (created.group(1) in api.constructors or created.group(1) in api.statics
                              or created.group(1) in api.records):
                self.bind(name, match.start(1), created.group(1))
            else:
                self.bind(name, match.start(1), "?")
        resolved_at = set()
        loops = [(m.group(1), m.group(2), m.start(1)) for m in re.finditer(r"\bfor\s+(\w+)\s+in\s+([\w.?]+)", text)]
        loops += [(m.group(2), m.group(1), m.start(2))
                  for m in re.finditer(r"\bForEach\(\s*([\w.?]+)[^{}]*?\{\s*(\w+)\s+in\b", text)]
        for name, collection, at in loops:
            parts = [p for p in re.split(r"\??\.", collection) if p]
            found = set(elements.get(parts[-1], set()))
            if len(parts) >= 2:
                for owner in self.types_at(parts[-2], at):
                    element = api.elements.get(owner, {}).get(parts[-1])
                    if element:
                        found.add(element)
            for kind in found or {"?"}:
                self.bind(name, at, kind, inside=True)
            resolved_at.add(at)
        for match in re.finditer(r"\{\s*(?:\[[^\]]*\]\s*)?\(?((?:\w+\s*,\s*)*\w+)\)?\s+in\b", text):
            if match.start(1) not in resolved_at:
                for name in re.finditer(r"\w+", match.group(1)):
                    self.bind(name.group(0), match.start(1) + name.start(), "?", inside=True)

    def brace_blocks(self) -> list:
        """(open, close) offsets of every {...} block."""
        blocks, stack = [], []
        for index, char in enumerate(self.text):
            if char == "{":
                stack.append(index)
            elif char == "}" and stack:
                blocks.append((stack.pop(), index))
        return blocks

    def scope(self, at: int, inside: bool = False) -> tuple:
        """Where a binding made at `at` holds: to the end of the block around
        it; for a function's parameter, its body; `inside`: the block that
        starts just before (a closure's parameters)."""
        if inside:
            opened = [b for b in self.blocks if b[0] < at < b[1]]
            if opened:
                return max(opened)
        head = re.search(r"\bfunc\s+\w+\s*\([^()]*$", self.text[max(0, at - 300) : at])
        if head:
            body = self.text.find("{", at)
            block = next((b for b in self.blocks if b[0] == body), None)
            if block:
                return block
        around = [b for b in self.blocks if b[0] < at < b[1]]
        return max(around) if around else (0, len(self.text))

    def bind(self, name: str, at: int, kind: str, inside: bool = False):
        start, end = self.scope(at, inside)
        self.bindings.setdefault(name, []).append((start, end, kind))

    def types_at(self, name: str, at: int) -> set:
        """The types of every binding of `name` whose scope holds `at`."""
        return {kind for start, end, kind in self.bindings.get(name, []) if start <= at <= end}

    def line(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1


class Checker:
    def __init__(self, api: Api, sources: list):
        self.api = api
        self.sources = sources
        self.problems = []
        self.checked = 0
        # Functions and enum cases the app declares itself are its own (or
        # Apple's same-named calls): the name-only checks leave them out.
        self.app_functions = set()
        for source in sources:
            self.app_functions |= source.declared

    def report(self, source: Source, offset: int, what: str):
        problem = f"{source.path}:{source.line(offset)}: {what}"
        if problem not in self.problems:
            self.problems.append(problem)

    def run(self, only=None) -> list:
        for source in self.sources:
            if only is not None and str(source.path) not in only:
                continue
            self.check_chains(source)
            self.check_switches(source)
            self.check_constructors(source)
            self.check_enums(source)
            self.check_by_name(source)
            self.check_traits(source)
        return self.problems

    # Typed receivers -----------------------------------------------------

    def receiver_types(self, source: Source, name: str, at: int) -> set:
        """The bindings types of `name` at `at`, when every binding of it in scope has one."""
        if name in self.api.objects or name in self.api.statics:
            return set()
        types = source.types_at(name, at)
        known = set(self.api.objects) | set(self.api.traits) | set(self.api.records) | set(self.api.enums)
        return types if types and types <= known else set()

    def check_chains(self, source: Source):
        """Follows `name.member.member(...)...` from a receiver of known type,
        and every chain that goes through a service accessor (`.sessions()`)."""
        text = source.text
        for start in re.finditer(r"(?<![.\w$])(\w+)(?=\s*[?!]?\s*\.)", text):
            types = self.receiver_types(source, start.group(1), start.start())
            if types:
                self.follow(source, types, start.end())
        accessors = [name for name, d in self.api.objects.get("SecondHeart", {}).items() if d[0].labels == ()]
        for start in re.finditer(r"\.\s*(?:%s)\s*\(\s*\)" % "|".join(map(re.escape, accessors)), text):
            self.follow(source, {"SecondHeart"}, start.start())

    def follow(self, source: Source, types: set, position: int):
        text = source.text
        while True:
            step = re.match(r"\s*[?!]?\s*\.\s*`?(\w+)`?", text[position:])
            if not step:
                return
            member = step.group(1)
            after = position + step.end()
            calls = re.match(r"\s*\(", text[after:])
            if (after, member) in source.followed:
                return  # checked from an earlier start of the same chain
            source.followed.add((after, member))
            next_types = set()
            if calls:
                open_at = after + calls.end() - 1
                used = call_labels(balanced(text, open_at))
                declarations = [d for t in types for d in self.api.members(t).get(member, [])]
                if not declarations:
                    if any(t in self.api.objects or t in self.api.traits for t in types) and not any(
                        t in self.api.records or t in self.api.enums for t in types
                    ):
                        self.checked += 1
                        self.report(source, after, f"{'/'.join(sorted(types))} has no method {member}")
                    return
                self.checked += 1
                matching = [d for d in declarations if d.labels == used]
                if not matching:
                    expected = " or ".join(spelled(member, d.labels) for d in declarations)
                    self.report(source, after, f"{spelled(member, used)} does not match {expected}")
                    return
                next_types = {d.returns for d in matching if d.returns}
                position = open_at + len(balanced(text, open_at)) + 2
            else:
                records = [t for t in types if t in self.api.records]
                if not records:
                    return
                fields = [self.api.records[t][2] for t in records]
                if not any(member in f for f in fields):
                    if member in SWIFT_MEMBERS:
                        return  # an Optional's or the standard library's (`progress.map`)
                    self.checked += 1
                    self.report(source, after, f"{'/'.join(sorted(records))} has no field {member}")
                    return
                self.checked += 1
                next_types = {f[member] for f in fields if member in f and f[member]}
                position = after
                self.check_comparison(source, {t for t in next_types if t in self.api.enums}, position)
            types = {t for t in next_types if t in self.api.records or t in self.api.objects or t in self.api.traits}
            if not types:
                return

    def check_comparison(self, source: Source, enums: set, position: int):
        """`progress.kind == .walk`: the case compared with is one of the field's enum."""
        compared = re.match(r"\s*[!=]=\s*\.`?(\w+)`?", source.text[position:])
        if not enums or not compared:
            return
        case = compared.group(1)
        self.checked += 1
        if not any(case in self.api.enums[e] for e in enums):
            self.report(source, position, f"{'/'.join(sorted(enums))} has no case {case}")

    def resolve(self, source: Source, expression: str, at: int) -> set:
        """The bindings types of `name.field.field` at `at`, when known."""
        parts = [p.strip() for p in re.split(r"\??\.", expression)]
        types = self.receiver_types(source, parts[0], at)
        for part in parts[1:]:
            fields = [self.api.records[t][2] for t in types if t in self.api.records]
            types = {f[part] for f in fields if f.get(part)}
        return types

    def check_switches(self, source: Source):
        """`switch format { case .json: ... }` over a value of a bindings enum: every case exists."""
        text = source.text
        for match in re.finditer(r"\bswitch\s+(\w+(?:\s*\??\.\s*\w+)*)\s*\{", text):
            enums = {t for t in self.resolve(source, match.group(1), match.start(1)) if t in self.api.enums}
            if not enums:
                continue
            body_at = match.end()
            body = balanced(text, body_at - 1)
            depth = 0
            for index, char in enumerate(body):
                depth += char in "([{"
                depth -= char in ")]}"
                if depth or not body.startswith("case", index):
                    continue
                head = re.match(r"case\s+([^:]*):", body[index:])
                for case in re.findall(r"(?<![\w)])\.`?(\w+)`?", head.group(1) if head else ""):
                    self.checked += 1
                    if not any(case in self.api.enums[e] for e in enums):
                        self.report(source, body_at + index, f"{'/'.join(sorted(enums))} has no case {case}")

    # Initializers, enums, names -------------------------------------------

    def check_constructors(self, source: Source):
        text = source.text
        for match in re.finditer(r"(?<![.\w])`?(\w+)`?\s*(?:\.\s*`?(\w+)`?\s*)?\(", text):
            name, static = match.group(1), match.group(2)
            used = call_labels(balanced(text, match.end() - 1))
            if static is None and name in self.api.records:
                declared, defaulted, _ = self.api.records[name]
                self.checked += 1
                if not fits(used, declared, defaulted):
                    self.report(source, match.start(), f"{spelled(name, used)} does not match {spelled(name, declared)}")
            elif static is None and name in self.api.constructors:
                self.checked += 1
                if used not in self.api.constructors[name]:
                    expected = " or ".join(spelled(name, d) for d in self.api.constructors[name])
                    self.report(source, match.start(), f"{spelled(name, used)} does not match {expected}")
            elif static is not None and name in self.api.statics:
                declarations = self.api.statics[name].get(static, [])
                self.checked += 1
                if used not in [d.labels for d in declarations]:
                    expected = " or ".join(spelled(f"{name}.{static}", d.labels) for d in declarations) or "nothing"
                    self.report(source, match.start(), f"{spelled(f'{name}.{static}', used)} does not match {expected}")
            elif static is None and name in self.api.functions and name not in self.app_functions:
                self.checked += 1
                if used not in [d.labels for d in self.api.functions[name]]:
                    expected = " or ".join(spelled(name, d.labels) for d in self.api.functions[name])
                    self.report(source, match.start(), f"{spelled(name, used)} does not match {expected}")

    def check_enums(self, source: Source):
        text = source.text
        for match in re.finditer(r"(?<![.\w])(\w+)\s*\.\s*`?(\w+)`?(\s*\()?", text):
            enum, case = match.group(1), match.group(2)
            if enum not in self.api.enums or case in self.api.members(enum):
                continue
            cases = self.api.enums[enum]
            self.checked += 1
            if case not in cases:
                self.report(source, match.start(), f"{enum} has no case {case}")
                continue
            self.check_payload(source, match, f"{enum}.{case}", cases[case])
        payload_cases = {}
        for name, cases in self.api.enums.items():
            for case, labels in cases.items():
                if labels:
                    payload_cases.setdefault(case, []).append(labels)
        for match in re.finditer(r"(?<![\w)\]?!])\s*\.`?(\w+)`?(\s*\()", text):
            case = match.group(1)
            if case not in payload_cases or case in self.app_functions:
                continue
            used = call_labels(balanced(text, match.end() - 1))
            self.checked += 1
            if not any(matches_payload(used, labels, in_pattern(text, match.start(1))) for labels in payload_cases[case]):
                expected = " or ".join(spelled(f".{case}", labels) for labels in payload_cases[case])
                self.report(source, match.start(1), f"{spelled('.' + case, used)} does not match {expected}")

    def check_payload(self, source: Source, match, name: str, labels):
        if not match.group(3):
            return
        used = call_labels(balanced(source.text, match.end() - 1))
        if labels is None or not matches_payload(used, labels, in_pattern(source.text, match.start())):
            self.report(source, match.start(), f"{spelled(name, used)} does not match {spelled(name, labels or ())}")

    def check_by_name(self, source: Source):
        """Calls on receivers of unknown type, by method name (what the first check cannot see)."""
        text = source.text
        for match in re.finditer(r"\.\s*`?(\w+)`?\s*\(", text):
            name = match.group(1)
            declarations = self.api.methods_named(name)
            if not declarations or name in self.app_functions:
                continue
            before = re.search(r"(\w*)\s*$", text[: match.start()])
            receiver = before.group(1) if before else ""
            # `case let .walk(run: walk)`, `return .sit(...)`: a keyword, not a receiver.
            if receiver in SWIFT_KEYWORDS:
                receiver = ""
            if receiver in self.api.enums or (not receiver and text[: match.start()].rstrip()[-1:] not in ")]?!"):
                continue  # an enum case (`DemoActivity.anklePumps(...)`, `.steps(count:)`): check_enums' business
            used = call_labels(balanced(text, match.end() - 1))
            self.checked += 1
            if used not in [d.labels for d in declarations]:
                expected = " or ".join(sorted({spelled(name, d.labels) for d in declarations}))
                self.report(source, match.start(1), f"{spelled(name, used)} does not match {expected}")

    def check_traits(self, source: Source):
        """The app's classes that implement a trait declare all of its methods, with its labels."""
        text = source.text
        for match in re.finditer(r"\b(?:final\s+)?class\s+(\w+)\s*:\s*([^{]+)\{", text):
            conformances = {c.strip() for c in match.group(2).split(",")}
            traits = [t for t in conformances if t in self.api.traits]
            if not traits:
                continue
            body_at = match.end()
            body = balanced(text, body_at - 1)
            declared = functions_in(body)
            for trait in traits:
                for method, declarations in self.api.traits[trait].items():
                    self.checked += 1
                    have = [d.labels for d in declared.get(method, [])]
                    if not any(d.labels in have for d in declarations):
                        expected = spelled(method, declarations[0].labels)
                        # At the method declared with other labels, else at the class.
                        wrong = re.search(r"\bfunc\s+%s\s*\(" % re.escape(method), body)
                        at = body_at + wrong.start() if wrong else match.start()
                        self.report(source, at, f"{match.group(1)} implements {trait} but not {expected}")


_PARSED = {}


def collections(files: dict) -> dict:
    """Collection name -> element types, over all the app's files."""
    found = {}
    for text in files.values():
        for match in re.finditer(r"\b(\w+)\s*:\s*\[([A-Z]\w*)\]", strip_comments(text)):
            found.setdefault(match.group(1), set()).add(match.group(2))
    return found


def parsed(api: Api, path: str, text: str, elements: dict) -> Source:
    """The file read once per API and text (the self-test checks many copies)."""
    key = (id(api), path, text, repr(sorted((k, sorted(v)) for k, v in elements.items())))
    if key not in _PARSED:
        _PARSED[key] = Source(Path(path), text, api, elements)
    source = _PARSED[key]
    source.followed = set()
    return source


def check(api: Api, files: dict, only=None) -> tuple:
    """Problems found and uses checked, for sources given as {path: text}
    (all of them, or the paths in `only`, with the names the others declare)."""
    elements = collections(files)
    sources = [parsed(api, path, text, elements) for path, text in sorted(files.items())]
    checker = Checker(api, sources)
    return checker.run(only), checker.checked


def main() -> int:
    generated = Path(sys.argv[1]).read_text()
    files = {str(p): p.read_text() for p in sorted(Path(sys.argv[2]).rglob("*.swift"))}
    problems, checked = check(read_api(generated), files)
    for problem in problems:
        print(problem)
    if checked == 0:
        print("no calls into the bindings were found: is the app source folder right?")
        return 1
    print(f"Swift API check: {checked} uses of the bindings match their declarations" if not problems
          else f"Swift API check: {len(problems)} of {checked} uses do not match the bindings")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
