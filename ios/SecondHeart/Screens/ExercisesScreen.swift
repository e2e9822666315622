import SwiftUI

/// Exercises: a calf-raise set with a rep counter and a hold cue, ankle
/// pumps, and the leg-elevation timer behind its safety questions.
struct ExercisesScreen: View {
    @EnvironmentObject private var model: ExercisesModel

    var body: some View {
        List {
            if let set = model.set {
                let reps = model.live?.reps ?? set.reps
                Section(set.kind == .calfRaises ? "Calf raises" : "Ankle pumps") {
                    Text("\(reps) of \(model.target(set))")
                        .font(.system(size: 72, weight: .bold)).monospacedDigit()
                        .accessibilityLabel("\(reps) of \(model.target(set)) reps")
                    ProgressView(value: Double(reps), total: Double(max(model.target(set), 1)))
                        .accessibilityLabel("Set progress")
                    Text(model.liveCue ?? model.cue(set)).font(.title3)
                    if model.countedBySensor {
                        Text("Counted by your sensor").font(.footnote).foregroundStyle(.secondary)
                    }
                    if let hold = set.meanHoldS {
                        Text("Average hold \(hold.formatted(.number.precision(.fractionLength(1)))) s")
                            .foregroundStyle(.secondary)
                    }
                    // Counted by the sensor, a tapped rep would count twice: no tapping then.
                    if !model.countedBySensor {
                        if set.kind == .calfRaises {
                            HoldPad(title: "Press while up on your toes", target: 1) { model.rep(holdS: $0) }
                                .accessibilityLabel("Count one calf raise")
                        } else {
                            InPlaceButton { model.rep() } label: {
                                Text("Count a pump").frame(maxWidth: .infinity, minHeight: 64)
                            }
                            .buttonStyle(.borderedProminent)
                            .accessibilityLabel("Count one ankle pump")
                        }
                    }
                    InPlaceButton("Finish set") { model.finishSet() }.accessibilityLabel("Finish the set")
                }
            } else {
                Section("A set") {
                    if let finished = model.finished {
                        Text("Set done: \(Formats.plural(finished.reps, "rep"))").font(.headline)
                    }
                    InPlaceButton("Start 20 calf raises") { model.startCalfRaises() }
                        .accessibilityLabel("Start a set of 20 calf raises with a one second hold")
                        .frame(minHeight: 44)
                    InPlaceButton("Start ankle pumps") { model.startAnklePumps() }
                        .accessibilityLabel("Start a set of ankle pumps")
                        .frame(minHeight: 44)

                }
            }
            // Under the set it is about ("The sensor stopped counting…"), not below Legs up.
            MessageRow(message: model.message)
            if !model.done.isEmpty {
                Section("Done today") {
                    ForEach(model.done, id: \.self) { Text($0) }
                }
            }
            Section("Legs up") {
                if model.elevation != nil {
                    TimelineView(.periodic(from: .now, by: 1)) { context in
                        Text(model.remaining(at: context.date) ?? "")
                            .font(.system(size: 56, weight: .bold)).monospacedDigit()
                            .accessibilityLabel("Time left \(model.remaining(at: context.date) ?? "")")
                    }
                    if case .open(let note) = model.gate { Text(note) }
                    InPlaceButton("Stop") { model.stopElevation() }.accessibilityLabel("Stop leg elevation")
                    // The questions go as it starts: the list shortens and this last row may come under the finger.
                    InPlaceButton("It hurts: stop", role: .destructive) { model.stopElevation(hurts: true) }
                        .accessibilityLabel("It hurts, stop leg elevation")
                } else {
                    Text("Before you raise your legs, a few questions.").foregroundStyle(.secondary)
                    ForEach(model.questions, id: \.key) { question in
                        YesNoQuestion(text: question.text, answer: model.answers[question.key]) {
                            model.answer(question.key, $0)
                        }
                    }
                    if case .closed(let reason) = model.gate {
                        Label(reason, systemImage: "hand.raised.fill").foregroundStyle(.red)
                    }
                    InPlaceButton("Start 15 minutes legs up") { model.startElevation() }
                        .accessibilityLabel("Start 15 minutes of leg elevation")
                        .frame(minHeight: 44)
                }
            }
        }
        .navigationTitle("Exercises")
    }
}
