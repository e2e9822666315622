import SwiftUI

/// History: day, week and month charts of steps, minutes, litres pumped, sitting.
struct HistoryScreen: View {
    @EnvironmentObject private var model: HistoryModel

    var body: some View {
        List {
            Section {
                Picker("Range", selection: $model.range) {
                    ForEach(HistoryRange.allCases) { Text($0.rawValue).tag($0) }
                }
                .pickerStyle(.segmented)
                .accessibilityLabel("Show a day, a week or a month")
                Text(model.period).font(.subheadline).foregroundStyle(.secondary)
            }
            ForEach(model.charts) { chart in
                Section {
                    BarChartCard(title: chart.title, summary: chart.summary, bars: chart.bars,
                                 goal: chart.goal, color: chart.kind?.color ?? .gray, note: chart.note)
                }
            }
            MessageRow(message: model.message)
        }
        .navigationTitle("History")
        .refreshable { await model.refresh().value }
        // A walk, a set or a sync since it was last shown changes the days.
        .onAppear { model.refresh() }
    }
}
