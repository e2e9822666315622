import SwiftUI

/// The first run: what the app does, the profile and goals, the health
/// questions, then permission for reminders and Apple Health.
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
                MessageRow(message: model.message)
            }
        }
        .navigationTitle("Welcome")
    }
}
