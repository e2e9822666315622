import Foundation

/// The range History shows.
enum HistoryRange: String, CaseIterable, Identifiable {
    case day = "Day", week = "Week", month = "Month"
    var id: String { rawValue }
}

/// One chart of History: a measure over hours or days, against its goal.
struct HistoryChart: Identifiable {
    let title: String
    /// "6,240 steps a day on average".
    let summary: String
    let bars: [Bar]
    let goal: Double?
    let kind: RingKind?
    /// A line under the chart: "Includes 8,700 steps imported from a file
    /// (the lighter part of a bar)".
    var note: String? = nil
    var id: String { title }
}

/// History: today by the hour, the last 7 days, the last 30 days — steps,
/// active minutes, litres pumped and sitting — as the Compose app's
/// `HistoryModel` draws them. Its reads are done in the order asked, and
/// one that fails says why.
@MainActor
final class HistoryModel: CoreModel {
    @Published var range: HistoryRange = .week { didSet { refresh() } }
    @Published private(set) var period = ""
    @Published private(set) var charts: [HistoryChart] = []

    init(core: AppCore) {
        super.init(core: core, serialActions: true)
        refresh()
    }

    /// Reloads the range shown; the task ends once it shows.
    @discardableResult
    func refresh() -> Task<Void, Never> {
        // A slower read for a range since left must not draw over the range shown.
        let asked = range
        switch asked {
        case .day:
            return perform({ app -> (String, [HourTotals]) in
                let date = try app.today().view().date
                return (date, try app.history().dayByHour(date: date))
            }, failed: { self.failed(reading: asked, $0) }) { date, hours in
                if self.range == asked { self.showDay(date, hours) }
            }
        case .week, .month:
            let count: UInt32 = asked == .week ? 7 : 30
            return perform({ app -> ([Period], DailyAverages, Profile) in
                try (app.history().periods(by: Grouping.day, count: count), app.history().dailyAverages(count: count),
                     app.profile().get())
            }, failed: { self.failed(reading: asked, $0) }) { periods, average, profile in
                if self.range == asked { self.showDays(periods.sorted { $0.first < $1.first }, average, profile) }
            }
        }
    }

    /// The read of `asked` failed with `error`: the screen says why, with
    /// nothing of another range under it.
    private func failed(reading asked: HistoryRange, _ error: Error) {
        guard range == asked else { return }
        period = ""
        charts = []
        message = userMessage(error)
    }

    private func showDay(_ date: String, _ hours: [HourTotals]) {
        message = nil
        let steps = hours.map { Double($0.steps) }
        let pumps = hours.map { Double($0.contractions) }
        let sitting = hours.map { Double($0.sittingMinutes) }
        func bars(_ values: [Double]) -> [Bar] {
            zip(hours, values).enumerated().map { index, pair in
                let hour = Int(pair.0.localHour)
                return Bar(id: index, label: hour % 6 == 0 ? String(format: "%02d", hour) : "", value: pair.1)
            }
        }
        period = Formats.longDate(date)
        charts = [
            HistoryChart(title: "Steps by the hour", summary: "\(Formats.integer(Int64(steps.reduce(0, +)))) steps today",
                         bars: bars(steps), goal: nil, kind: .steps),
            HistoryChart(title: "Calf contractions by the hour",
                         summary: "\(Formats.integer(Int64(pumps.reduce(0, +)))) calf contractions",
                         bars: bars(pumps), goal: nil, kind: .pumpedLitres),
            HistoryChart(title: "Sitting by the hour", summary: "\(Formats.minutes(Int64(sitting.reduce(0, +)))) seated and still",
                         bars: bars(sitting), goal: 60, kind: nil),
        ]
    }

    /// "7,954 a day on average over 6 days": the core's average with the days
    /// it is over (today under way counts only when no earlier day recorded
    /// the figure; a day of imported steps holds no minutes), as on Android.
    private func onAverage(_ figure: String, _ days: UInt32) -> String {
        days == 0 ? "Nothing recorded yet" : "\(figure) a day on average over \(Formats.plural(days, "day"))"
    }

    /// The days' charts; `average` is the core's average day (each figure
    /// over the days it was recorded on, as on Android).
    private func showDays(_ periods: [Period], _ average: DailyAverages, _ profile: Profile) {
        message = nil
        let week = range == .week
        func bars(_ value: (Period) -> Double, imported: (Period) -> Double = { _ in 0 }) -> [Bar] {
            periods.enumerated().map { index, p in
                Bar(id: index, label: week ? Formats.weekday(p.first) : String(p.first.suffix(2)), value: value(p),
                    imported: imported(p))
            }
        }
        let importedTotal = periods.reduce(UInt64(0)) { $0 + $1.importedSteps }
        period = periods.first.map { first in
            "\(Formats.dayMonth(first.first)) – \(Formats.dayMonth(periods.last?.first ?? first.first))"
        } ?? ""
        charts = [
            HistoryChart(title: "Steps", summary: onAverage(Formats.integer(Int64(average.steps.rounded())), average.days),
                         bars: bars({ Double($0.steps) }, imported: { Double($0.importedSteps) }),
                         goal: Double(profile.stepsGoal), kind: .steps,
                         note: importedTotal > 0
                             ? "Includes \(Formats.integer(Int64(importedTotal))) steps imported from a file (the lighter part of a bar)"
                             : nil),
            HistoryChart(title: "Active minutes",
                         summary: onAverage("\(Formats.integer(Int64(average.activeMinutes.rounded()))) min", average.minuteDays),
                         bars: bars { Double($0.activeMinutes) }, goal: Double(profile.activeMinutesGoal), kind: .activeMinutes),
            HistoryChart(title: "Litres pumped", summary: onAverage("\(Formats.litres(average.pumpedLitres)) L", average.days),
                         bars: bars { $0.pumpedLitres }, goal: profile.pumpedLitresGoal, kind: .pumpedLitres),
            HistoryChart(title: "Hours sitting",
                         summary: onAverage(Formats.minutes(Int64(average.sittingMinutes.rounded())), average.minuteDays),
                         bars: bars { Double($0.sittingMinutes) / 60 }, goal: nil, kind: nil),
        ]
    }
}
