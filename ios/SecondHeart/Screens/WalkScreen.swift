import SwiftUI

/// Walk: start, pause, finish; the stopwatch and steps; what the calves pumped.
struct WalkScreen: View {
    @EnvironmentObject private var model: WalkModel

    var body: some View {
        List {
            if let walk = model.progress {
                Section {
                    TimelineView(.periodic(from: .now, by: 1)) { context in
                        Text(model.elapsed(at: context.date))
                            .font(.system(size: 64, weight: .bold)).monospacedDigit()
                            .accessibilityLabel("Walking time \(model.elapsed(at: context.date))")
                    }
                    Text("\(Formats.integer(model.live?.steps ?? walk.steps)) steps").font(.title3)
                    if let cadence = model.live?.cadenceSpm {
                        Text("\(Int(cadence.rounded())) steps/min").foregroundStyle(.secondary)
                    } else if model.live == nil && walk.activeSeconds >= 30 {
                        // The phone's count: steps over the walk's active time so far (as on Android;
                        // a sensor's cadence falls away when the walker stops, and is not replaced by the average).
                        Text("\(Int((Double(walk.steps) / (walk.activeSeconds / 60)).rounded())) steps/min")
                            .foregroundStyle(.secondary)
                    }
                    Text(model.source).font(.footnote).foregroundStyle(.secondary)
                    // Left running, it has ended by itself: the core's words, before any tap.
                    if walk.endedByItself, let word = walk.feedback.first {
                        Text(word).font(.callout).foregroundStyle(.secondary)
                    }
                }
                Section {
                    if walk.state == .paused {
                        InPlaceButton("Resume") { model.resume() }.accessibilityLabel("Resume the walk")
                    } else {
                        InPlaceButton("Pause") { model.pause() }.accessibilityLabel("Pause the walk")
                    }
                    Button("Finish") { model.finish() }.accessibilityLabel("Finish the walk")
                    Button("Give up this walk", role: .destructive) { model.abandon() }
                        .accessibilityLabel("Give up this walk; it is kept but not counted")
                }
            } else {
                Section {
                    Button { model.start() } label: {
                        Label("Start a walk", systemImage: "figure.walk").frame(maxWidth: .infinity, minHeight: 48)
                    }
                    .buttonStyle(.borderedProminent)
                    .accessibilityLabel("Start a walk")
                    Button { model.openLogForm() } label: {
                        Label("Log a walk done without the app", systemImage: "plus").frame(maxWidth: .infinity, minHeight: 48)
                    }
                    .buttonStyle(.bordered)
                    if let outcome = model.outcomeText { Text(outcome).font(.headline) }
                }
            }
            // While the log sheet is open it shows (and reads out) the message itself.
            if !model.loggingWalk { MessageRow(message: model.message) }
            if !model.recent.isEmpty {
                Section("Recent walks") {
                    ForEach(model.recent, id: \.id) { walk in
                        VStack(alignment: .leading) {
                            Text("\(model.dayName(walk))\(Formats.clock(walk.start, zone: walk.timeZone)) · \(Formats.minutes((walk.durationSeconds + 30) / 60))")
                            // Logged by hand and recorded by the sensor too: the day counts the sensor's steps.
                            Text(walk.recordedBySensor
                                 ? "\(Formats.integer(walk.steps)) steps logged · the day counts your sensor's instead"
                                 : "\(Formats.integer(walk.steps)) steps · \(Int(walk.cadenceStepsPerMin.rounded())) steps/min")
                                .foregroundStyle(.secondary)
                        }
                        .accessibilityElement(children: .combine)
                        // Only a walk logged by hand: one the app followed is its session's record.
                        .swipeActions {
                            if walk.byHand {
                                Button(role: .destructive) { model.delete(walk) } label: { Label("Delete", systemImage: "trash") }
                            }
                        }
                    }
                }
            }
        }
        .navigationTitle("Walk")
        // Cancel (which clears the form's words) or Log closes it: a swipe down would leave a refusal on the Walk screen.
        .sheet(isPresented: $model.loggingWalk) { LogWalkSheet().environmentObject(model).interactiveDismissDisabled() }
    }
}

/// The form for a walk done without the app (the phone left at home): when
/// it started, how long it lasted, its steps.
private struct LogWalkSheet: View {
    @EnvironmentObject private var model: WalkModel
    /// As if it started half an hour ago and lasted 30 minutes, until the user says otherwise.
    @State private var start = Date().addingTimeInterval(-30 * 60)
    @State private var minutes = "30"
    @State private var steps = ""

    var body: some View {
        NavigationStack {
            Form {
                Section {
                    DatePicker("Started", selection: $start, in: ...Date(), displayedComponents: [.date, .hourAndMinute])
                    TextField("Minutes", text: $minutes)
                        .keyboardType(.numberPad)
                        .accessibilityLabel("How many minutes it lasted")
                    TextField("Steps", text: $steps)
                        .keyboardType(.numberPad)
                        .accessibilityLabel("Steps")
                } footer: {
                    Text("It counts toward its day like a walk the app tracked.")
                }
                MessageRow(message: model.message)
            }
            .navigationTitle("Your walk")
            .navigationBarTitleDisplayMode(.inline)
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button("Cancel") { model.closeLogForm() }
                }
                ToolbarItem(placement: .confirmationAction) {
                    Button("Log walk") { model.logWalk(start: start, minutes: minutes, steps: steps) }
                        .disabled(steps.isEmpty || model.savingWalk)
                }
            }
        }
    }
}
