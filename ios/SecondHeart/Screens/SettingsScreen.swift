import SwiftUI
import UIKit
import UniformTypeIdentifiers

/// Profile and goals: the fields Settings and the first run share.
struct ProfileFields: View {
    @EnvironmentObject private var model: SettingsModel

    var body: some View {
        Section("You") {
            LabeledField("Height (cm)", text: $model.form.heightCm, keyboard: .decimalPad)
            LabeledField("Weight (kg, optional)", text: $model.form.weightKg, keyboard: .decimalPad)
            LabeledField("Year of birth (optional)", text: $model.form.birthYear, keyboard: .numberPad)
            Picker("Sex", selection: $model.form.sex) {
                Text("Female").tag(Sex.female)
                Text("Male").tag(Sex.male)
            }
            .accessibilityLabel("Sex, for the pump model's leg size")
        }
        Section("Goals") {
            LabeledField("Steps a day", text: $model.form.stepsGoal, keyboard: .numberPad)
            LabeledField("Active minutes a day", text: $model.form.activeMinutesGoal, keyboard: .numberPad)
            LabeledField("Calf-raise sets a day", text: $model.form.calfRaiseSetsGoal, keyboard: .numberPad)
            LabeledField("Litres pumped a day", text: $model.form.pumpedLitresGoal, keyboard: .decimalPad)
            LabeledField("Water a day (mL)", text: $model.form.hydrationGoalMl, keyboard: .numberPad)
            LabeledField("Breaks an hour of sitting", text: $model.form.breaksPerSittingHour, keyboard: .decimalPad)
        }
    }
}

/// Reminders and quiet hours.
struct ReminderFields: View {
    @EnvironmentObject private var model: SettingsModel
    @Environment(\.openURL) private var openURL

    var body: some View {
        Section("Break reminders") {
            Toggle("Remind me to move", isOn: $model.form.remindersEnabled)
                .accessibilityLabel("Remind me to move after sitting")
            if model.form.remindersEnabled && model.notificationsBlocked {
                Text("Notifications are off for Second Heart, so no reminder can show. Turn them on in the phone's Settings.")
                    .font(.footnote).foregroundStyle(.red)
                Button("Turn on notifications") {
                    if let page = URL(string: UIApplication.openNotificationSettingsURLString) { openURL(page) }
                }
                .accessibilityLabel("Open the phone's notification settings for Second Heart")
            }
            LabeledField("After sitting (min)", text: $model.form.remindAfterMin, keyboard: .numberPad)
            TimeField(title: "Quiet from", text: $model.form.quietFrom)
            TimeField(title: "Quiet until", text: $model.form.quietUntil)
        }
    }
}

/// The health questions behind the compression gate, and what the gate says.
struct HealthQuestions: View {
    @EnvironmentObject private var model: SettingsModel
    /// The ankle–brachial index a doctor measured, with its own Save: in
    /// Settings, not in the welcome, whose Start saves the profile alone
    /// (an index typed there and never saved left the gate open unsaid).
    var showsIndex = true

    var body: some View {
        Section("Health questions") {
            ForEach(SettingsModel.cautionQuestions) { question in
                YesNoQuestion(text: question.text, answer: model.profile?.cautions[keyPath: question.keyPath]) {
                    model.answer(question, $0)
                }
            }
            if showsIndex {
                LabeledField("Ankle–brachial index", text: $model.ankleBrachialIndex, keyboard: .decimalPad)
                Button("Save index") { model.saveAnkleBrachialIndex() }
                    .accessibilityLabel("Save the ankle–brachial index a doctor measured")
                Text("If a doctor measured it; leave it empty to take it away.")
                    .font(.footnote).foregroundStyle(.secondary)
            }
            switch model.compressionGate {
            case .open(let note): Label(note, systemImage: "checkmark.circle").foregroundStyle(brand)
            case .closed(let reason): Label(reason, systemImage: "hand.raised.fill").foregroundStyle(.red)
            case .unanswered: EmptyView()
            }
        }
    }
}

struct SettingsScreen: View {
    @EnvironmentObject private var model: SettingsModel

    var body: some View {
        Form {
            ProfileFields()
            ReminderFields()
            Section {
                Button("Save") { model.save() }.accessibilityLabel("Save your profile, goals and reminders")
                if !model.aboutData { MessageRow(message: model.message) }
            }
            HealthQuestions()
            Section("Apple Health") {
                if model.writingToHealth {
                    Button("Stop writing to Apple Health") { model.disableHealth() }
                        .accessibilityLabel("Stop writing steps, walks, sets and water to Apple Health")
                } else {
                    Button("Write to Apple Health") { model.enableHealth() }
                        .accessibilityLabel("Write steps, walks, sets and water to Apple Health")
                }
                Text("Steps by the minute, walks and sets as workouts, and water. Nothing is read back.")
                    .font(.footnote).foregroundStyle(.secondary)
            }
            Section("Your data") {
                Picker("Format", selection: $model.exportFormat) {
                    Text("JSON").tag(ExportFormat.json)
                    Text("FHIR").tag(ExportFormat.fhir)
                    Text("CSV: days").tag(ExportFormat.csvDays)
                    Text("CSV: minutes").tag(ExportFormat.csvMinutes)
                    Text("CSV: sessions").tag(ExportFormat.csvSessions)
                    Text("CSV: walks").tag(ExportFormat.csvWalks)
                }
                .accessibilityLabel("Export format")
                Button(model.exporting ? "Exporting…" : "Export") { model.export() }
                    .disabled(model.busyWithFile)
                    .accessibilityLabel("Export your data")
                if let file = model.exported {
                    ShareLink(item: file) { Label("Share \(file.lastPathComponent)", systemImage: "square.and.arrow.up") }
                        .accessibilityLabel("Share the exported file")
                }
                Text("A backup keeps everything, to restore on this phone or a new one. Restoring replaces what is here.")
                    .font(.footnote).foregroundStyle(.secondary)
                Button(model.backingUp ? "Backing up…" : "Back up everything") { model.backup() }
                    .disabled(model.busyWithFile)
                    .accessibilityLabel("Back up all your data")
                if let file = model.backedUp {
                    ShareLink(item: file) { Label("Share \(file.lastPathComponent)", systemImage: "square.and.arrow.up") }
                        .accessibilityLabel("Share the backup file")
                }
                Button(model.restoring ? "Restoring…" : "Restore a backup") { model.pick(.backup) }
                    .disabled(model.busyWithFile)
                    .accessibilityLabel("Restore your data from a backup file")
                Text("Steps another app counted: import its daily totals from a CSV file (date and steps). A day counts them only above what was recorded here.")
                    .font(.footnote).foregroundStyle(.secondary)
                Button(model.importing ? "Importing…" : "Import steps from a file") { model.pick(.steps) }
                    .disabled(model.busyWithFile)
                    .accessibilityLabel("Import daily steps from a CSV file")
                Button("Delete all data", role: .destructive) { model.confirmingDelete = true }
                    .accessibilityLabel("Delete all your data")
                if model.aboutData { MessageRow(message: model.message) }
            }
        }
        .navigationTitle("Settings")
        .modifier(FileDialogs())
        .confirmationDialog("Delete all data?", isPresented: $model.confirmingDelete, titleVisibility: .visible) {
            Button("Delete everything, and what it wrote to Apple Health", role: .destructive) { model.deleteAll(alsoHealth: true) }
            Button("Delete everything on this phone only", role: .destructive) { model.deleteAll(alsoHealth: false) }
            Button("Keep my data", role: .cancel) {}
        } message: {
            Text("Walks, sets, flights, sensor records and your profile are erased from this device.")
        }
    }
}

/// The file importer and the question before a backup replaces the data:
/// Settings' and the welcome's, over the one `SettingsModel`, so both
/// restore a backup the same way.
struct FileDialogs: ViewModifier {
    @EnvironmentObject private var model: SettingsModel

    func body(content: Content) -> some View {
        content
            // One importer for both: a backup (any file: the core refuses, in
            // words, one that is not a backup) or a file of steps.
            .fileImporter(isPresented: $model.picking, allowedContentTypes: model.pickKind.contentTypes) { result in
                model.picked(result)
            }
            .confirmationDialog("Replace your data with the backup?", isPresented: $model.confirmingRestore, titleVisibility: .visible) {
                Button("Replace with the backup", role: .destructive) { model.confirmRestore() }
                Button("Keep my data", role: .cancel) { model.keepCurrentData() }
            } message: {
                Text("What this phone holds now (walks, sets, flights, sensor records and your profile) is replaced by the backup's. This cannot be undone.")
            }
    }
}

/// A text field with its label beside it (and as its VoiceOver label).
struct LabeledField: View {
    let title: String
    @Binding var text: String
    let keyboard: UIKeyboardType

    init(_ title: String, text: Binding<String>, keyboard: UIKeyboardType) {
        self.title = title
        _text = text
        self.keyboard = keyboard
    }

    var body: some View {
        HStack {
            Text(title)
            Spacer()
            TextField(title, text: $text)
                .keyboardType(keyboard)
                .multilineTextAlignment(.trailing)
                .frame(maxWidth: 120)
                .accessibilityLabel(title)
        }
        .frame(minHeight: 44)
    }
}

/// An "HH:MM" setting edited with the system's time wheel.
struct TimeField: View {
    let title: String
    @Binding var text: String

    private var date: Binding<Date> {
        Binding(
            get: {
                let parts = text.split(separator: ":").compactMap { Int($0) }
                return Calendar.autoupdatingCurrent.date(from: DateComponents(hour: parts.first ?? 0, minute: parts.count > 1 ? parts[1] : 0)) ?? Date()
            },
            set: { date in
                let c = Calendar.autoupdatingCurrent.dateComponents([.hour, .minute], from: date)
                text = String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
            })
    }

    var body: some View {
        DatePicker(title, selection: date, displayedComponents: .hourAndMinute)
            .accessibilityLabel(title)
    }
}
