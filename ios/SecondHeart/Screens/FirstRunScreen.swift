import SwiftUI

/// The first run: what the app does, the profile and goals, the health
/// questions, then permission for reminders and Apple Health; or a backup
/// restored instead (as Android's welcome).
struct FirstRunScreen: View {
    @EnvironmentObject private var model: SettingsModel
    private let onDone: () -> Void
    @State private var writeHealth = false

    /// `onDone` is called once the profile is saved.
    init(onDone: @escaping () -> Void) {
        self.onDone = onDone
    }

    var body: some View {
        Form {
            Section {
                Text("Your calves are your second heart: each step pumps blood back up from your legs. Second Heart helps you keep that pump working, at your desk, on a walk and on long flights. Your data stays on this phone.")
            }
            ProfileFields()
            ReminderFields()
            HealthQuestions(showsIndex: false)
            Section("Apple Health") {
                Toggle("Write steps, walks, sets and water to Apple Health", isOn: $writeHealth)
                    .accessibilityLabel("Write steps, walks, sets and water to Apple Health")
            }
            Section {
                Button {
                    model.save {
                        if writeHealth { model.enableHealth() }
                        onDone()
                    }
                } label: {
                    Text("Start").frame(maxWidth: .infinity, minHeight: 44)
                }
                .buttonStyle(.borderedProminent)
                .accessibilityLabel("Save and start using Second Heart")
                // A new phone, or one whose damaged data was cleared: the
                // backup brings the profile and everything else, and sets
                // the app up as Start does.
                Button {
                    model.pick(.backup, thenWriteHealth: writeHealth)
                } label: {
                    Text(model.restoring ? "Restoring…" : "Restore a backup instead").frame(maxWidth: .infinity, minHeight: 44)
                }
                .buttonStyle(.bordered)
                .disabled(model.busyWithFile)
                // What Start or a restore said (a figure refused, a backup refused).
                MessageRow(message: model.message)
            }
        }
        .navigationTitle("Welcome")
        .modifier(FileDialogs())
    }
}
