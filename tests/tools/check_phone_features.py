#!/usr/bin/env python3
"""The phone library carries no test kit (issue 15).

The IMU generator (`activity::synth`) and the simulation test kit
(`sensor::sim::{link, faults, harness}`) live behind second-heart-core's
`synth` feature, for the CLI and the core's own tests. This check fails when
the UniFFI library (`second-heart-ffi`, libsecond_heart) is built with that
feature:

1. `cargo tree -p second-heart-ffi -e normal,build,features --target all`
   (the dependencies the library links, for every target, phones included)
   must not show `second-heart-core feature "synth"`;
2. when a built library is given (`--lib target/debug/libsecond_heart.so`),
   none of its symbols may come from those modules.

Before the feature exists (second-heart-core declares no `synth`), there is
nothing to keep out yet: the check says so and passes.

Nor does the phone library carry desktop Bluetooth: btleplug (and its D-Bus)
comes only with the library's `desktop` feature, which the desktop app and
the tests turn on (so the library given with `--lib` may hold it); the
dependency tree of the library as phones build it must not list btleplug.

Usage: tests/tools/check_phone_features.py [--lib PATH]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FEATURE = "synth"
# Demangled paths of the code behind the feature.
TEST_KIT = re.compile(
    r"second_heart_core::(activity::synth|sensor::sim::(link|faults|harness))::"
)


def feature_exists() -> bool:
    manifest = tomllib.loads((ROOT / "core" / "Cargo.toml").read_text())
    return FEATURE in manifest.get("features", {})


def check_tree() -> list[str]:
    tree = subprocess.run(
        [
            "cargo", "tree", "--offline", "--locked",
            "-p", "second-heart-ffi",
            "-e", "normal,build,features",
            "--target", "all",
            "--prefix", "none",
        ],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    if tree.returncode != 0:
        return [f"cargo tree failed: {tree.stderr.strip()}"]
    lines = tree.stdout.splitlines()
    if not any(line.startswith("second-heart-core v") for line in lines):
        return ["cargo tree does not list second-heart-core: the check cannot tell"]
    problems = []
    if any(line.startswith("btleplug v") for line in lines):
        problems.append(
            "second-heart-ffi links btleplug without its `desktop` feature "
            "(cargo tree -e features -p second-heart-ffi -i btleplug says why)"
        )
    if not feature_exists():
        return problems
    enabled = [line for line in lines if line.startswith(f'second-heart-core feature "{FEATURE}"')]
    if enabled:
        problems.append(
            f"second-heart-ffi builds second-heart-core with feature `{FEATURE}` "
            f"(cargo tree -e features -p second-heart-ffi -i second-heart-core says why)"
        )
    return problems


def check_symbols(lib: Path) -> list[str]:
    if not lib.exists():
        return [f"{lib} does not exist: build it first"]
    nm = shutil.which("nm")
    if nm is None:
        return ["nm is not installed"]
    out = subprocess.run(
        [nm, "--demangle", "--defined-only", str(lib)],
        capture_output=True, text=True, check=False,
    )
    if out.returncode != 0:
        return [f"nm {lib} failed: {out.stderr.strip()}"]
    found = sorted({m.group(0) for m in map(TEST_KIT.search, out.stdout.splitlines()) if m})
    return [f"{lib} contains the test kit: {name}" for name in found]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lib", type=Path, help="a built libsecond_heart to inspect too")
    args = parser.parse_args()
    problems = check_tree()
    gated = feature_exists()
    if not gated:
        print(
            f"SKIP: second-heart-core declares no `{FEATURE}` feature yet, so the "
            "IMU generator is not gated; nothing to keep out of the phone library"
        )
    elif args.lib is not None:
        problems += check_symbols(args.lib)
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    if not problems:
        print("ok: the phone library's dependency tree has no btleplug")
        if gated:
            checked = "dependency features" + (f" and symbols of {args.lib}" if args.lib else "")
            print(f"ok: the phone library is built without `{FEATURE}` ({checked})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
