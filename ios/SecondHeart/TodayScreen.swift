import SwiftUI

/// The home screen: today's rings from the core and a form to log a walk.
struct TodayScreen: View {
    @EnvironmentObject private var model: TodayModel
    @State private var minutes = ""
    @State private var steps = ""

    var body: some View {
        Form {
            if let error = model.fatalError {
                Text(error).foregroundStyle(.red)
            }
            if let today = model.today {
                Section("Today") {
                    Text("\(today.summary.steps.formatted()) steps").font(.largeTitle)
                    Text("\(today.summary.activeMinutes) active min · \(today.summary.pumpedLitres.formatted(.number.precision(.fractionLength(1)))) L pumped")
                }
            }
            Section("Log a walk you just finished") {
                TextField("Minutes", text: $minutes).keyboardType(.numberPad)
                TextField("Steps", text: $steps).keyboardType(.numberPad)
                if let error = model.formError {
                    Text(error).foregroundStyle(.red)
                }
                Button("Log walk") { model.logFinishedWalk(minutes: minutes, steps: steps) }
            }
        }
        .refreshable { model.refresh() }
    }
}
