#!/usr/bin/env python3
"""Shows that check_swift_calls.py fails when the app drifts from the bindings.

Runs the checker over the app's real sources (they must pass), then over
copies with one realistic mistake each — a wrong argument label, a renamed
method, a missing record field, an unknown enum case, a trait method with
the wrong label — and fails unless every mistake is reported at its line.
Then it mutates, one at a time, every argument label the app passes to the
bindings and prints how many the checker catches (all of them are expected).

Usage: test_check_swift_calls.py GENERATED.swift APP_SOURCE_DIR [-v]
"""
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from check_swift_calls import check, read_api, strip_comments  # noqa: E402

# (file, exact text in it, replacement): each must make the check fail.
MISTAKES = [
    # An enum case matched as a pattern after `case let`, named like a method (PumpModel.sit).
    ("Models/LearnModel.swift", "case let .sit(run: still)", "case let .sit(result: still)"),
    ("Models/TodayModel.swift", "$0.sessions().drink(ml: ml)", "$0.sessions().drink(millilitres: ml)"),
    ("Models/WalkModel.swift", "app.sessions().startWalk()", "app.sessions().beginWalk()"),
    ("Models/WalkModel.swift", "SessionEvent.steps(count: count)", "SessionEvent.steps(n: count)"),
    ("Models/WalkModel.swift", "SessionEvent.abandon", "SessionEvent.giveUp"),
    ("Models/ExercisesModel.swift", "recentLegInjury: answers", "recentInjury: answers"),
    ("Models/ExercisesModel.swift", "startElevation(answers: given, minutes: 15, angleDeg: nil)",
     "startElevation(answers: given, minutes: 15)"),
    ("Models/ExercisesModel.swift", "SessionEvent.pumps(count: 1)", "SessionEvent.pumps(1)"),
    ("Models/TodayModel.swift", "today.summary.pumpedLitres", "today.summary.pumpedLiters"),
    ("Models/FlightModel.swift", "try app.flights().plan(details: details)", "try app.flights().plan(detail: details)"),
    ("Models/FlightModel.swift", "moveEveryMin: form.moveEveryMin,", "moveEveryMinutes: form.moveEveryMin,"),
    ("Models/FlightModel.swift", "try flightRiskFactors(keys: form.risks.sorted())", "try flightRiskFactors(form.risks.sorted())"),
    ("Models/FlightModel.swift", "_ = try app.flights().cancel(departure: departure)", "_ = try app.flights().cancel(at: departure)"),
    ("Models/DevicesModel.swift", "$0.sensors().forget(serial: sensor.serial)", "$0.sensors().forget(id: sensor.serial)"),
    ("Models/DevicesModel.swift", "catch SecondHeartError.SyncCancelled", "catch SecondHeartError.SyncCanceled"),
    ("Models/DevicesModel.swift", "core.app.demoSensor(serial:", "core.app.demoSensor(id:"),
    ("Models/DevicesModel.swift", "DemoActivity.calfRaises(reps: 20, holdS: 1.2)", "DemoActivity.calfRaises(count: 20, holdS: 1.2)"),
    ("Bluetooth/SensorLiveRunner.swift", "func onCadence(reading: CadenceReading)", "func onCadence(cadence: CadenceReading)"),
    ("Models/HistoryModel.swift", "periods(by: Grouping.day, count: count)", "periods(grouping: Grouping.day, count: count)"),
    ("Models/HistoryModel.swift", "Grouping.day", "Grouping.days"),
    ("Models/SettingsModel.swift", "exportToFile(format: format, first: nil, last: nil, path: path)",
     "exportToFile(format: format, path: path)"),
    ("Models/TodayModel.swift", "compressionOn(mmhg: mmhg)", "compressionOn(mmHg: mmhg)"),
    ("Models/DevicesModel.swift", "app.sensors().forSessions()", "app.sensors().forSession()"),
    ("Models/DevicesModel.swift", "sensors().countSessionsFrom(serial: serial)", "sensors().countSessionsFrom(sensor: serial)"),
    ("Models/DevicesModel.swift", "sensor.chosenForSessions ?", "sensor.chosenForSession ?"),
    ("Models/SettingsModel.swift", "app.data().backupToFile(path: path)", "app.data().backupToFile(file: path)"),
    ("Models/SettingsModel.swift", "restoreFromFile(path: copy.path, confirmed: false)", "restoreFromFile(path: copy.path, confirm: false)"),
    ("Models/SettingsModel.swift", "ProfileChanges(cautions: changed)", "ProfileChanges(caution: changed)"),
    ("Platform/ReminderNotifications.swift", "reminders().upcoming(limit: Self.limit)", "reminders().upcoming(count: Self.limit)"),
    ("Platform/ReminderNotifications.swift", "answer = ReminderResponse.snoozed", "answer = ReminderResponse.snooze"),
    ("Platform/HealthWriter.swift", "sessions().walksOn(date: date)", "sessions().walksOn(day: date)"),
    ("Core/AppCore.swift", "SecondHeart.open(path: path, clock: SystemClock())", "SecondHeart.open(file: path, clock: SystemClock())"),
    ("Core/AppCore.swift", "func todayChanged(today: TodayView)", "func todayChanged(view: TodayView)"),
    ("Bluetooth/DemoLink.swift", "func read(characteristic: String)", "func read(uuid: String)"),
    ("Bluetooth/DemoLink.swift", "sensor.setMtu(mtu: 247)", "sensor.setMtu(247)"),
    ("Bluetooth/SensorSyncRunner.swift", "func onProgress(recordsDone: UInt32, recordsTotal: UInt32)",
     "func onProgress(done: UInt32, total: UInt32)"),
    ("Bluetooth/SensorSyncRunner.swift", "core.sensors().pair(link: link, address: address, listener: listener)",
     "core.sensors().pair(address: address, link: link, listener: listener)"),
    ("Screens/FlightScreen.swift", "Seat.middle", "Seat.centre"),
    ("Screens/SettingsScreen.swift", "tag(ExportFormat.csvSessions)", "tag(ExportFormat.csvSession)"),
    ("Screens/DevicesScreen.swift", "Text(\"\\(sensor.model) \\(sensor.serial)\".replacing", "Text(\"\\(sensor.modelName) \\(sensor.serial)\".replacing"),
    ("Models/ExercisesModel.swift", "set.kind == .anklePumps", "set.kind == .anklePump"),
    ("Screens/FlightScreen.swift", "Text(String(item.arrivalLocal.suffix(5)))", "Text(String(item.arrivalTime.suffix(5)))"),
]


def load(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_text() for p in sorted(folder.rglob("*.swift"))}


def label_sweep(api, files: dict) -> tuple:
    """Renames each argument label the app passes to the bindings, one at a time."""
    labels = set()
    for table in list(api.objects.values()) + list(api.traits.values()):
        for declarations in table.values():
            for d in declarations:
                labels |= set(d.labels)
    for declared, _, _ in api.records.values():
        labels |= set(declared)
    for cases in api.enums.values():
        for case_labels in cases.values():
            labels |= set(case_labels or ())
    labels.discard("_")
    caught, missed = 0, []
    for name, text in files.items():
        code = strip_comments(text)
        for match in re.finditer(r"(?<=[(,])\s*(\w+):(?!:)", code):
            label = match.group(1)
            if label not in labels:
                continue
            start = match.start(1)
            mutated = dict(files)
            mutated[name] = text[:start] + label + "Typo" + text[match.end(1):]
            problems, _ = check(api, mutated, only={name})
            if problems:
                caught += 1
            else:
                missed.append(f"{name}:{text.count(chr(10), 0, start) + 1}: {label}")
    return caught, missed


def main() -> int:
    api = read_api(Path(sys.argv[1]).read_text())
    folder = Path(sys.argv[2])
    files = load(folder)
    problems, checked = check(api, files)
    if problems:
        print("the app's own sources do not pass:", *problems, sep="\n  ")
        return 1
    failures = []
    for name, before, after in MISTAKES:
        if before not in files[name]:
            failures.append(f"{name}: the text to break is gone: {before}")
            continue
        mutated = dict(files)
        mutated[name] = files[name].replace(before, after, 1)
        line = files[name][: files[name].index(before)].count("\n") + 1
        problems, _ = check(api, mutated)
        # Reported at the mistake's line, or at the start of the call or declaration it is in.
        if not any(p.startswith(f"{name}:") and 0 <= line - int(p.split(":")[1]) <= 12 for p in problems):
            failures.append(f"{name}:{line}: not reported: {before} -> {after} ({problems or 'no problem at all'})")
    caught, missed = label_sweep(api, files)
    print(f"Swift API check self-test: {len(MISTAKES) - len(failures)} of {len(MISTAKES)} planted mistakes reported; "
          f"{caught} of {caught + len(missed)} renamed argument labels caught")
    if "-v" in sys.argv:
        for miss in missed:
            print(f"  label rename not caught (the call is the app's own or Apple's, or its receiver's type is unknown): {miss}")
    for failure in failures:
        print(f"  FAILED {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
