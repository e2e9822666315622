import Foundation
import UniformTypeIdentifiers

/// The profile and goals as the user types them.
struct ProfileForm: Equatable {
    var heightCm = ""
    var weightKg = ""
    var birthYear = ""
    var sex: Sex = .female
    var stepsGoal = ""
    var activeMinutesGoal = ""
    var calfRaiseSetsGoal = ""
    var pumpedLitresGoal = ""
    var hydrationGoalMl = ""
    /// Breaks from sitting an hour (0–12).
    var breaksPerSittingHour = ""
    var remindersEnabled = true
    var remindAfterMin = ""
    /// Quiet hours, "HH:MM" local.
    var quietFrom = "22:00"
    var quietUntil = "07:00"
}

/// A health question behind the compression gate, and where it is kept in `CompressionCautions`.
struct CautionQuestion: Identifiable {
    let id: String
    let text: String
    let keyPath: WritableKeyPath<CompressionCautions, Bool>
}

/// Settings and first run: profile and goals, reminders and quiet hours,
/// the health questions behind the safety gates, Apple Health, export and
/// backup through the share sheet, restore from a file the user picks
/// (asking before it replaces data), delete all (with confirmation).
@MainActor
final class SettingsModel: CoreModel {
    static let cautionQuestions = [
        CautionQuestion(id: "peripheral_arterial_disease",
                        text: "Has a doctor found poor circulation in your legs (peripheral arterial disease)?",
                        keyPath: \.peripheralArterialDisease),
        CautionQuestion(id: "severe_neuropathy", text: "Do you have severe numbness in your feet (neuropathy)?",
                        keyPath: \.severeNeuropathy),
        CautionQuestion(id: "fragile_skin_or_dermatitis", text: "Is the skin of your legs fragile, weeping or inflamed?",
                        keyPath: \.fragileSkinOrDermatitis),
        CautionQuestion(id: "decompensated_heart_failure",
                        text: "Are you being treated for heart failure that is not under control?",
                        keyPath: \.decompensatedHeartFailure),
    ]

    @Published var form = ProfileForm()
    /// The ankle–brachial index as typed ("0.95"), empty when none is stored;
    /// saved on its own (`saveAnkleBrachialIndex`), as an answer is.
    @Published var ankleBrachialIndex = ""
    @Published private(set) var profile: Profile?
    /// The core's compression gate for the answers in `profile`.
    @Published private(set) var advice: CompressionAdvice?
    /// The file an export wrote, for the share sheet.
    @Published private(set) var exported: URL?
    @Published var exportFormat: ExportFormat = .json
    /// An export is being written: one at a time (a second would overwrite the first's folder).
    @Published private(set) var exporting = false
    @Published var confirmingDelete = false
    /// The backup written, for the share sheet.
    @Published private(set) var backedUp: URL?
    /// A backup is being written: one at a time.
    @Published private(set) var backingUp = false
    /// The file importer is open, to pick `pickKind`.
    @Published var picking = false
    /// What the file importer picks: a backup to restore, or steps to import.
    @Published private(set) var pickKind = FileKind.backup
    /// A backup picked is being copied or restored, or the user is asked about it.
    @Published private(set) var restoring = false
    /// A file of steps picked is being copied or imported.
    @Published private(set) var importing = false
    /// The backup picked would replace data on this phone: the user is asked
    /// first. A question dismissed without an answer keeps the data.
    @Published var confirmingRestore = false {
        didSet {
            // On the next turn: SwiftUI may clear the binding before it runs
            // the button's action, and "Replace" must find the backup still
            // waiting (it takes it, and this then keeps nothing back).
            if oldValue && !confirmingRestore {
                Task { @MainActor [weak self] in
                    guard let self, !self.confirmingRestore else { return }
                    self.keepCurrentData()
                }
            }
        }
    }
    /// The copy of the backup picked, kept while the user is asked.
    private var pendingRestore: URL?
    let reminders: ReminderNotifications
    let health: HealthWriter
    /// Whether what the screen says is of the data section's actions (export,
    /// backup, restore, import, delete): said there, at the bottom of the
    /// form, not under Save at its top, out of sight.
    @Published private(set) var aboutData = false
    /// The user blocked the app's notifications: no reminder can show.
    @Published private(set) var notificationsBlocked = false
    /// The user turned writing to Apple Health on (Settings then offers to stop).
    @Published private(set) var writingToHealth = false
    /// Tells the screens that keep their own lists (Devices' paired sensors,
    /// which Walk reads; Flight; History) that the data changed: steps
    /// imported, or (`replaced` true) everything deleted or replaced by a
    /// backup, when what the screens last said goes with the old data.
    private let onDataChanged: @MainActor (_ replaced: Bool) -> Void

    init(core: AppCore, reminders: ReminderNotifications, health: HealthWriter, onDataChanged: @escaping @MainActor (_ replaced: Bool) -> Void = { _ in }) {
        self.reminders = reminders
        self.health = health
        self.onDataChanged = onDataChanged
        super.init(core: core, serialActions: true)
        // Copies an app stopped mid-way left (they hold health data).
        Self.removeTemporaryCopies()
        refresh()
        readNotificationAccess()
    }

    /// Reads whether the phone lets reminders show: at launch and whenever
    /// the app comes forward (the user may have changed it in Settings).
    func readNotificationAccess() {
        Task { [reminders] in
            let blocked = await reminders.blocked()
            self.notificationsBlocked = blocked
        }
    }

    func refresh() {
        writingToHealth = health.turnedOn
        perform({ app -> (Profile, CompressionAdvice) in
            try (app.profile().get(), app.profile().compressionAdvice())
        }) { profile, gate in
            self.show(profile, gate)
        }
    }

    /// Shows `p`, and the core's gate for its answers (read with it, so two quick answers never show out of order).
    private func show(_ p: Profile, _ gate: CompressionAdvice) {
        // The index as typed stays until the stored one changes (as on Android).
        if profile == nil || p.cautions.ankleBrachialIndex != profile?.cautions.ankleBrachialIndex {
            ankleBrachialIndex = p.cautions.ankleBrachialIndex.map(Formats.index) ?? ""
        }
        profile = p
        advice = gate
        // In the phone's way of writing numbers, as `save` reads them.
        form = ProfileForm(
            heightCm: Formats.measure(p.heightCm), weightKg: p.weightKg.map(Formats.measure) ?? "",
            birthYear: p.birthYear.map { Formats.measure(Double($0)) } ?? "", sex: p.sex,
            stepsGoal: Formats.measure(Double(p.stepsGoal)), activeMinutesGoal: Formats.measure(Double(p.activeMinutesGoal)),
            calfRaiseSetsGoal: Formats.measure(Double(p.calfRaiseSetsGoal)), pumpedLitresGoal: Formats.measure(p.pumpedLitresGoal),
            hydrationGoalMl: Formats.measure(Double(p.hydrationGoalMl)),
            breaksPerSittingHour: Formats.measure(p.breaksPerSittingHour), remindersEnabled: p.remindersEnabled,
            remindAfterMin: Formats.measure(Double(p.remindAfterMin)), quietFrom: p.quietFrom, quietUntil: p.quietUntil)
    }

    /// "Compression socks: fine for you." or why to ask a doctor first: the
    /// core's contraindication gate, the one every suggestion of stockings
    /// goes through (as on Android).
    var compressionGate: Gate {
        guard let advice else { return .unanswered }
        switch advice {
        case .suitable:
            return .open("Compression socks: fine for you. The app may suggest them for long flights and desk days.")
        case let .seeDoctorFirst(reasons: reasons):
            return .closed("Compression socks: ask your doctor first (\(reasons.joined(separator: "; "))). The app will not suggest them.")
        }
    }

    /// Saves the profile, goals and reminder settings as typed, in the
    /// phone's way of writing numbers (the goals, year and minutes whole);
    /// the core checks the ranges. An optional field emptied (weight, year of
    /// birth) is taken away; any other left empty is not changed (height
    /// and the steps goal may not be), nor a measurement left as shown: the
    /// form shows it to a tenth, and saving that back would change it. What
    /// does not read as a number is refused, by name.
    func save(then done: @escaping () -> Void = {}) {
        aboutData = false
        let f = form
        var refused: [String] = []
        func measure(_ text: String, _ field: String, shown: Double?, required: Bool = false) -> Double? {
            let typed = text.trimmingCharacters(in: .whitespaces)
            if (typed.isEmpty && !required) || typed == shown.map(Formats.measure) { return nil }
            guard let value = Formats.parseMeasure(typed) else {
                refused.append(field)
                return nil
            }
            return value
        }
        func whole<N: FixedWidthInteger>(_ text: String, _ field: String, required: Bool = false) -> N? {
            let typed = text.trimmingCharacters(in: .whitespaces)
            if typed.isEmpty && !required { return nil }
            guard let value = Formats.parseWhole(typed).flatMap({ N(exactly: $0) }) else {
                refused.append(field)
                return nil
            }
            return value
        }
        let changes = ProfileChanges(
            heightCm: measure(f.heightCm, "height", shown: profile?.heightCm, required: true),
            weightKg: measure(f.weightKg, "weight", shown: profile?.weightKg), sex: f.sex,
            birthYear: whole(f.birthYear, "year of birth"),
            stepsGoal: whole(f.stepsGoal, "steps a day", required: true),
            activeMinutesGoal: whole(f.activeMinutesGoal, "active minutes"),
            calfRaiseSetsGoal: whole(f.calfRaiseSetsGoal, "calf-raise sets"),
            pumpedLitresGoal: measure(f.pumpedLitresGoal, "litres pumped", shown: profile?.pumpedLitresGoal),
            hydrationGoalMl: whole(f.hydrationGoalMl, "water"),
            breaksPerSittingHour: measure(f.breaksPerSittingHour, "breaks an hour", shown: profile?.breaksPerSittingHour),
            remindersEnabled: f.remindersEnabled,
            remindAfterMin: whole(f.remindAfterMin, "minutes of sitting"), quietFrom: f.quietFrom, quietUntil: f.quietUntil,
            // An optional field emptied takes its figure away (left empty, it stays empty).
            clearWeight: f.weightKg.trimmingCharacters(in: .whitespaces).isEmpty && profile?.weightKg != nil,
            clearBirthYear: f.birthYear.trimmingCharacters(in: .whitespaces).isEmpty && profile?.birthYear != nil)
        guard refused.isEmpty else {
            message = "Check \(refused.joined(separator: ", ")): enter numbers, whole ones but for height, weight, litres and breaks."
            return
        }
        perform({ app -> (Profile, CompressionAdvice) in
            try (app.profile().update(changes: changes), app.profile().compressionAdvice())
        }) { profile, gate in
            self.show(profile, gate)
            self.message = "Saved"
            if profile.remindersEnabled { self.reminders.requestPermission() }
            self.reminders.reschedule()
            done()
        }
    }

    /// Answers one of the health questions behind the compression gate:
    /// the stored answers are read in the same action, after those asked
    /// before it, so a quick second answer cannot put back the first
    /// one's old value (the screen's copy may not show it yet).
    func answer(_ question: CautionQuestion, _ yes: Bool) {
        aboutData = false
        let keyPath = question.keyPath
        perform({ app -> (Profile, CompressionAdvice) in
            var changed = try app.profile().get().cautions
            changed[keyPath: keyPath] = yes
            return try (app.profile().update(changes: ProfileChanges(cautions: changed)), app.profile().compressionAdvice())
        }) { profile, gate in
            // The answers only: the form keeps what the user has typed and
            // not saved yet (the questions come before Start and Save).
            self.profile = profile
            self.advice = gate
        }
    }

    /// Turns writing to Apple Health on (the system asks first), and says
    /// whether Health allowed it: its sheet's answer says only that it asked.
    func enableHealth() {
        aboutData = false
        health.enable { [weak self] allowed in
            Task { @MainActor in
                self?.writingToHealth = allowed
                self?.message = allowed
                    ? "Apple Health: your steps, walks, sets and water are written there, the last \(HealthWriter.catchUpDays) days first."
                    : "Apple Health did not allow writing: in the Health app (Sharing, Apps), let Second Heart write steps, workouts and water, then tap again."
            }
        }
    }

    /// Stops writing to Apple Health; what was written stays there.
    func disableHealth() {
        aboutData = false
        health.disable()
        writingToHealth = false
        message = "Apple Health: nothing more is written there. What was written stays; the Health app can delete it."
    }

    /// Saves the ankle–brachial index a doctor measured, as typed ("0.95");
    /// emptied, it is taken away. The other health answers stay as stored
    /// (read in the same action, after any answer asked before it); the
    /// core checks the range (0.1–2.0), and an index below 0.8 closes the
    /// compression gate (as on Android).
    func saveAnkleBrachialIndex() {
        aboutData = false
        let typed = ankleBrachialIndex.trimmingCharacters(in: .whitespaces)
        let index = typed.isEmpty ? nil : Formats.parseMeasure(typed)
        if !typed.isEmpty && index == nil {
            message = "Check the ankle–brachial index: enter a number like 0.95, or leave it empty."
            return
        }
        perform({ app -> (Profile, CompressionAdvice) in
            var changed = try app.profile().get().cautions
            changed.ankleBrachialIndex = index
            return try (app.profile().update(changes: ProfileChanges(cautions: changed)), app.profile().compressionAdvice())
        }) { profile, gate in
            // The index and answers only: the form keeps what is typed and not saved yet.
            self.profile = profile
            self.advice = gate
            self.ankleBrachialIndex = profile.cautions.ankleBrachialIndex.map(Formats.index) ?? ""
            self.message = index == nil ? "Ankle–brachial index taken away" : "Saved"
        }
    }

    /// Exports the user's last 30 days in `exportFormat` to a file for the
    /// share sheet, named as the core suggests for what it holds
    /// (`second-heart-days-2026-11-01-to-2026-11-30.csv`).
    func export() {
        guard !busyWithFile else { return }
        aboutData = true
        exporting = true
        exported = nil
        let format = exportFormat
        writeForSharing(in: "export", write: { app, path in
            let summary = try app.data().exportToFile(format: format, first: nil, last: nil, path: path)
            return (summary, summary.fileName)
        }, failed: { error in
            self.exporting = false
            self.message = userMessage(error)
        }) { summary, url in
            self.exporting = false
            self.exported = url
            self.message = "Exported \(Formats.plural(summary.days, "day")) (\(ByteCountFormatter.string(fromByteCount: Int64(summary.bytes), countStyle: .file)))"
        }
    }

    /// Has the core write a file into a fresh temporary folder (`write`
    /// gets its path and returns what it wrote with the name to give it),
    /// then renames it so for the share sheet.
    private func writeForSharing<T>(
        in folderName: String,
        write: @escaping @Sendable (SecondHeart, String) throws -> (T, String),
        failed: @escaping (Error) -> Void,
        then done: @escaping (T, URL) -> Void
    ) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(folderName, isDirectory: true)
        let written = folder.appendingPathComponent("\(folderName).tmp")
        perform({ app -> (T, URL) in
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            do {
                let (result, name) = try write(app, written.path)
                let named = folder.appendingPathComponent(name)
                try FileManager.default.moveItem(at: written, to: named)
                return (result, named)
            } catch {
                // Nothing half-written stays behind (the core's `.partial` included).
                try? FileManager.default.removeItem(at: folder)
                throw error
            }
        }, failed: failed) { done($0.0, $0.1) }
    }

    /// The temporary folders of exports, backups, restores and imports.
    private static let temporaryFolders = ["export", "backup", "restore", "import"].map {
        FileManager.default.temporaryDirectory.appendingPathComponent($0, isDirectory: true)
    }

    /// Removes every copy of the user's data in the app's temporary folder:
    /// after delete all and a restore, and at launch.
    private static func removeTemporaryCopies() {
        for folder in temporaryFolders { try? FileManager.default.removeItem(at: folder) }
    }

    /// Backs up everything (the whole database, to restore on this phone or
    /// another) to a file for the share sheet, named by the core with
    /// today's date (`second-heart-backup-2026-12-03.sqlite3`).
    func backup() {
        guard !busyWithFile else { return }
        aboutData = true
        backingUp = true
        backedUp = nil
        writeForSharing(in: "backup", write: { app, path in
            let report = try app.data().backupToFile(path: path)
            return (report, report.fileName)
        }, failed: { error in
            self.backingUp = false
            self.message = userMessage(error)
        }) { report, url in
            self.backingUp = false
            self.backedUp = url
            self.message = "Backed up everything (\(ByteCountFormatter.string(fromByteCount: Int64(report.bytes), countStyle: .file))): share it to keep it"
        }
    }

    /// Restores the backup the user picked (`picked`, from the file
    /// importer), copied into the app's temporary folder first. Over data,
    /// the user is asked first (`confirmingRestore`); a file that is not a
    /// Second Heart backup is refused in words and changes nothing.
    func restore(from picked: URL) {
        guard !busyWithFile else { return }
        restoring = true
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("restore", isDirectory: true)
        let copy = folder.appendingPathComponent("restore.db")
        perform({ app -> Bool in
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // A file outside the app's container is lent for the copy only.
            let lent = picked.startAccessingSecurityScopedResource()
            defer { if lent { picked.stopAccessingSecurityScopedResource() } }
            try FileManager.default.copyItem(at: picked, to: copy)
            do {
                _ = try app.data().restoreFromFile(path: copy.path, confirmed: false)
            } catch SecondHeartError.ConfirmationNeeded {
                return false
            }
            try? FileManager.default.removeItem(at: folder)
            return true
        }, failed: { error in
            try? FileManager.default.removeItem(at: folder)
            self.restoring = false
            self.healthAfterRestore = false
            self.message = userMessage(error)
        }) { restored in
            if restored {
                self.restored(replaced: false)
            } else {
                self.pendingRestore = copy
                self.confirmingRestore = true
            }
        }
    }

    /// Opens the file importer for a file of `kind` (not while a file action
    /// runs); with `thenWriteHealth` (the welcome's Apple Health switch), a
    /// backup restored turns the writes to Apple Health on, as Start would.
    func pick(_ kind: FileKind, thenWriteHealth: Bool = false) {
        guard !busyWithFile else { return }
        aboutData = true
        pickKind = kind
        healthAfterRestore = kind == .backup && thenWriteHealth
        picking = true
    }

    /// Whether the backup being picked and restored turns the Apple Health writes on once restored.
    private var healthAfterRestore = false

    /// The file importer's answer: the file picked is restored or imported, as `pickKind` says.
    func picked(_ result: Result<URL, Error>) {
        switch result {
        case .success(let url):
            switch pickKind {
            case .backup: restore(from: url)
            case .steps: importSteps(from: url)
            }
        case .failure(let error):
            message = userMessage(error)
        }
    }

    /// An export, backup, restore or import runs: one at a time, as the
    /// phone shows one share sheet or file importer at a time.
    var busyWithFile: Bool { exporting || backingUp || restoring || importing }

    /// Imports the daily step totals of the CSV file the user picked
    /// (`picked`, from the file importer: our own days export, or a
    /// pedometer app's `date,steps`), copied into the app's temporary folder
    /// first and kept as from the name they know it by. The core merges them
    /// without counting a step twice, and refuses a file it cannot read, or
    /// one with a day after today, whole.
    func importSteps(from picked: URL) {
        guard !busyWithFile else { return }
        importing = true
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("import", isDirectory: true)
        let copy = folder.appendingPathComponent("steps.csv")
        let name = picked.lastPathComponent
        perform({ app -> ImportReport in
            defer { try? FileManager.default.removeItem(at: folder) }
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // A file outside the app's container is lent for the copy only.
            let lent = picked.startAccessingSecurityScopedResource()
            defer { if lent { picked.stopAccessingSecurityScopedResource() } }
            try FileManager.default.copyItem(at: picked, to: copy)
            return try app.data().importStepsFile(path: copy.path, sourceName: name)
        }, failed: { error in
            self.importing = false
            self.message = userMessage(error)
        }) { report in
            self.importing = false
            let days = Formats.plural(report.days, "day")
            if report.added + report.replaced == 0 {
                self.message = "Nothing new in \(name): its \(days) were here already"
            } else {
                self.onDataChanged(false)
                self.message = "Imported \(days) of steps from \(name)"
            }
        }
    }

    /// Replaces the data on this phone with the backup picked, as confirmed.
    func confirmRestore() {
        guard let copy = pendingRestore else { return }
        // Taken before the question closes, so closing it keeps nothing back.
        pendingRestore = nil
        confirmingRestore = false
        perform({ app -> RestoreReport in
            defer { try? FileManager.default.removeItem(at: copy) }
            return try app.data().restoreFromFile(path: copy.path, confirmed: true)
        }, failed: { error in
            self.restoring = false
            self.healthAfterRestore = false
            self.message = userMessage(error)
        }) { report in
            self.restored(replaced: report.replacedData)
        }
    }

    /// Keeps the data on this phone: the backup picked is not restored.
    func keepCurrentData() {
        guard let copy = pendingRestore else { return }
        pendingRestore = nil
        confirmingRestore = false
        try? FileManager.default.removeItem(at: copy)
        restoring = false
        healthAfterRestore = false
        message = "Kept the data on this phone: nothing was restored"
    }

    /// After a restore: its profile came with it, so a new phone restored
    /// from the welcome is set up (the welcome gives way to Today, as
    /// Android's `restored`), and every screen and the reminders follow the
    /// restored data.
    private func restored(replaced: Bool) {
        message = replaced ? "Restored the backup: it replaced what this phone held" : "Restored the backup"
        UserDefaults.standard.set(true, forKey: FirstRunRecord.key)
        restoring = false
        exported = nil
        backedUp = nil
        Self.removeTemporaryCopies()
        reminders.reschedule()
        // The backup's reminder setting came with it: a new phone restored
        // from the welcome asks for alerts as Start does (a phone that was
        // asked before is not asked again).
        // Unread, the restore's own words stay and the next save asks.
        perform({ app in try app.profile().get().remindersEnabled }, failed: { _ in }) { on in
            if on { self.reminders.requestPermission() }
        }
        if healthAfterRestore {
            healthAfterRestore = false
            enableHealth()
        }
        refresh()
        onDataChanged(true)
    }

    /// Deletes everything, as confirmed; with `alsoHealth`, what Second Heart wrote to Apple Health too.
    func deleteAll(alsoHealth: Bool) {
        aboutData = true
        confirmingDelete = false
        // Before the core deletes: the writer, told of the emptied day, would
        // otherwise take out of Health what this launch wrote. The welcome
        // asks again whether to write.
        let wasWriting = health.turnedOn
        health.disable()
        writingToHealth = false
        perform({ app -> String? in
            do {
                try app.data().deleteAll(confirmed: true)
                return nil
            } catch let error as SecondHeartError {
                // Deleted, though a storage too full made no new database yet:
                // said in the core's words, and otherwise as any delete.
                if case .NotStartedAfresh = error { return userMessage(error) }
                throw error
            }
        }, failed: { error in
            // Nothing was deleted (a sync running, a full disk): Apple Health goes on as before.
            if wasWriting { self.health.resume() }
            self.writingToHealth = wasWriting
            self.message = userMessage(error)
        }) { noRoomYet in
            self.message = noRoomYet ?? "All your data was deleted from this device"
            // The profile and the health answers went too: the welcome asks them again.
            UserDefaults.standard.set(false, forKey: FirstRunRecord.key)
            self.exported = nil
            self.backedUp = nil
            Self.removeTemporaryCopies()
            self.reminders.reschedule()
            if alsoHealth { self.health.deleteEverythingWritten() }
            self.refresh()
            self.onDataChanged(true)
        }
    }
}

/// What the file importer picks in Settings and the welcome.
enum FileKind {
    /// A backup to restore (any file: the core refuses, in words, one that is not a backup).
    case backup
    /// Daily step totals to import (a CSV file, or plain text).
    case steps

    /// The types the file importer offers.
    var contentTypes: [UTType] {
        switch self {
        case .backup: return [.data]
        case .steps: return [.commaSeparatedText, .plainText]
        }
    }
}
