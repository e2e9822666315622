import SwiftUI

/// The home screen: today's totals and a form to log a walk.
struct TodayView: View {
    @EnvironmentObject private var model: TodayModel
    @State private var minutes = ""
    @State private var steps = ""

    var body: some View {
        Form {
            if let error = model.fatalError {
                Text(error).foregroundStyle(.red)
            }
            if let summary = model.summary {
                Section("Today") {
                    Text("\(summary.steps.formatted()) steps").font(.largeTitle)
                    Text("\(summary.activeSeconds / 60) min walking · \(summary.walks) walks")
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
