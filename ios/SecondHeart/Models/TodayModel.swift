import Foundation

/// Today: the goal rings, the sitting stretch, the next break, the sensor,
/// and a flight's next step, straight from the core's `TodayView`. The core
/// pushes a new view after every change, so nothing polls.
@MainActor
final class TodayModel: CoreModel {
    @Published private(set) var today: TodayView?
    private var token: UUID?

    override init(core: AppCore) {
        super.init(core: core)
        token = core.observe { [weak self] today in
            Task { @MainActor in self?.today = today }
        }
        refresh()
    }

    deinit {
        if let token { core.stopObserving(token) }
    }

    /// Reloads Today (pull to refresh, the app coming to the foreground: the
    /// day may have turned); the task ends once it shows.
    @discardableResult
    func refresh() -> Task<Void, Never> {
        perform({ try $0.today().view() }) { self.today = $0 }
    }

    /// The four rings Today draws (drinks have their own line).
    var rings: [Ring] { today?.rings.filter { $0.kind != .hydration } ?? [] }

    /// "Your calves pumped 182 L today".
    var headline: String {
        guard let today else { return "" }
        return "Your calves pumped \(Formats.litres(today.summary.pumpedLitres)) L today"
    }

    /// "Sitting for 48 min", or the day's sitting when standing now.
    var sitting: String {
        guard let sitting = today?.sitting else { return "" }
        if let stretch = sitting.currentStretchMin { return "Sitting for \(Formats.minutes(stretch))" }
        return "Sat \(Formats.minutes(sitting.totalMin)) today · \(Formats.plural(sitting.breaks, "break"))"
    }

    /// "Next break 11:30 · Time for a break".
    var nextBreak: String? {
        today?.nextBreak.map { "Next break \(Formats.clock($0.dueAt)) · \($0.title)" }
    }

    /// The sensor line: "Sock sensor SH-0001" and "Synced 12 min ago".
    var sensor: (title: String, detail: String) {
        guard let sensor = today?.sensors.first else { return ("No sensor paired", "Pair one in Devices") }
        let synced = sensor.lastSync.map { "Synced \(Formats.ago($0))" } ?? "Not synced yet"
        return ("\(sensor.model) \(sensor.serial)", "\(synced) · \(Formats.plural(sensor.records, "record"))")
    }

    /// "Next on your flight at 14:30: ankle pumps".
    var flight: String? {
        today?.flightNext.map { "Next on your flight at \(String($0.departureLocal.suffix(5))): \($0.text)" }
    }

    /// "Drinks 1,250 of 2,000 mL".
    var drinks: String? {
        guard let ring = today?.rings.first(where: { $0.kind == .hydration }) else { return nil }
        return "Drinks \(Formats.integer(Int64(ring.value))) of \(Formats.integer(Int64(ring.goal))) mL"
    }

    /// Logs a drink of `ml`.
    func drink(ml: UInt32) {
        perform({ try $0.sessions().drink(ml: ml) }) { self.message = "Logged \(ml) mL" }
    }
}
