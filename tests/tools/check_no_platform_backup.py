#!/usr/bin/env python3
"""Checks that neither phone's system copies the health data off the device.

Health data stays on the device; the user moves it with the app's own
backup, an explicit action. The platforms copy app data unasked unless told
not to:
- Android 11 and older: `android:allowBackup="false"` stops cloud backup and
  device-to-device transfer alike.
- Android 12 and later: `allowBackup` only stops cloud backup; a transfer to a
  new phone follows `android:dataExtractionRules`, whose `<cloud-backup>` and
  `<device-transfer>` must each exclude every domain and include nothing.
- iOS: iCloud and computer backups hold Application Support unless the folder
  holding the database is marked `isExcludedFromBackup`; they hold
  UserDefaults always, so a launch without the database (a new phone
  restored from a backup) records the welcome as not done.

Usage: check_no_platform_backup.py REPO_ROOT
"""

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ANDROID = "{http://schemas.android.com/apk/res/android}"
# The domains to exclude: credential-protected storage by kind, and the
# device-protected storage whole (`device_root` holds its files, databases
# and preferences).
DOMAINS = {"root", "file", "database", "sharedpref", "external", "device_root"}


def android_problems(app: Path) -> list[str]:
    manifest = ET.parse(app / "src/main/AndroidManifest.xml").getroot()
    application = manifest.find("application")
    if application is None:
        return ["the manifest has no <application>"]
    problems = []
    if application.get(ANDROID + "allowBackup") != "false":
        problems.append('<application> lacks android:allowBackup="false"')
    rules_ref = application.get(ANDROID + "dataExtractionRules")
    if rules_ref is None or not rules_ref.startswith("@xml/"):
        return problems + ["<application> names no @xml data extraction rules"]
    rules_file = app / "src/main/res/xml" / (rules_ref.removeprefix("@xml/") + ".xml")
    if not rules_file.exists():
        return problems + [f"{rules_file} is missing"]
    rules = ET.parse(rules_file).getroot()
    for section in ("cloud-backup", "device-transfer"):
        element = rules.find(section)
        if element is None:
            problems.append(f"<{section}> is missing, so everything is copied")
            continue
        if element.findall("include"):
            problems.append(f"<{section}> includes files")
        excluded = {e.get("domain") for e in element.findall("exclude") if e.get("path") in (".", None)}
        missing = DOMAINS - excluded
        if missing:
            problems.append(f"<{section}> does not exclude {sorted(missing)}")
    return problems


def ios_problems(core: Path) -> list[str]:
    source = (core / "AppCore.swift").read_text()
    opened = re.search(r"static func openDefault\(\).*?\n    }\n", source, re.S)
    if opened is None:
        return ["AppCore.openDefault is missing"]
    body = opened.group(0)
    problems = []
    if "isExcludedFromBackup = true" not in body or "folder.setResourceValues" not in body:
        problems.append("openDefault does not exclude the database's folder from backups")
    # Backups keep UserDefaults: a phone restored from one has the welcome's
    # record but no data, and must be welcomed again.
    if "FirstRunRecord.key" not in body or "fileExists(atPath: path)" not in body:
        problems.append("openDefault does not welcome a phone again that has no database")
    return problems


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    problems = android_problems(root / "android/app") + ios_problems(root / "ios/SecondHeart/Core")
    for problem in problems:
        print(f"platform backup: {problem}", file=sys.stderr)
    if not problems:
        print("platform backup: neither phone copies the data off the device")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
