import Foundation

/// Today: the goal rings, the sitting stretch, the next break, the sensor,
/// and a flight's next step, straight from the core's `TodayView`; water and
/// compression socks are logged from it. The core pushes a new view after
/// every change, and numbers its views as it computes them: a view older
/// than the one shown (a read overtaken by a push, two writers' pushes) is
/// not shown over it. The screen reads it again each minute it is shown
/// (the sitting stretch grows with no write).
@MainActor
final class TodayModel: CoreModel {
    @Published private(set) var today: TodayView?
    /// What the last failed read of Today said, taken back once a read succeeds.
    private var readFailed: String?
    private var token: UUID?
    /// Shows the views the core pushes, one after another.
    private var pushed: Task<Void, Never>?

    /// The garment bands offered when socks go on, from the core.
    let garments: [GarmentClass]
    /// The band picked for the next time socks go on: the one the core suggests until the user picks.
    @Published var socksMmhg: UInt32
    /// What the health answers in Settings say against socks, if anything.
    @Published private(set) var socksCaution: String?

    init(core: AppCore) {
        let offered = garmentClasses()
        garments = offered
        socksMmhg = (offered.first(where: { $0.suggested }) ?? offered.first)?.mmhg ?? 18
        super.init(core: core)
        // One queue to the main actor: a task each would promise no order.
        let (views, delivered) = AsyncStream.makeStream(of: TodayView.self)
        token = core.observe { today in delivered.yield(today) }
        pushed = Task { @MainActor [weak self] in
            for await today in views {
                guard let self else { return }
                self.readSucceeded()
                self.show(today)
                // The health answers may have changed in Settings.
                self.loadCaution()
            }
        }
        refresh()
    }

    deinit {
        if let token { core.stopObserving(token) }
        pushed?.cancel()
    }

    /// Reloads Today (pull to refresh, the app coming to the foreground: the
    /// day may have turned); the task ends once it shows.
    @discardableResult
    func refresh() -> Task<Void, Never> {
        perform({ app -> (TodayView, CompressionAdvice) in
            (try app.today().view(), try app.profile().compressionAdvice())
        }, failed: { error in
            self.readFailed = userMessage(error)
            self.message = self.readFailed
        }) { today, advice in
            self.readSucceeded()
            self.show(today)
            self.showCaution(advice)
        }
    }

    /// A read that failed a moment ago no longer holds: its words go (what
    /// an action said stays).
    private func readSucceeded() {
        if let failed = readFailed, message == failed { message = nil }
        readFailed = nil
    }

    /// Shows `view` unless a newer one (by the core's number) is shown.
    private func show(_ view: TodayView) {
        if let shown = today, shown.number >= view.number { return }
        today = view
    }

    /// Reads the core's compression gate again for the socks' caution.
    private func loadCaution() {
        perform({ try $0.profile().compressionAdvice() }) { self.showCaution($0) }
    }

    private func showCaution(_ advice: CompressionAdvice) {
        if case let .seeDoctorFirst(reasons: reasons) = advice {
            socksCaution = "Your health answers say to ask a doctor first: \(reasons.joined(separator: "; "))."
        } else {
            socksCaution = nil
        }
    }

    /// The four rings Today draws (drinks have their own line).
    var rings: [Ring] { today?.rings.filter { $0.kind != .hydration } ?? [] }

    /// "Your calves pumped 182 L today"; before a tenth of a litre (which
    /// would read "0.0"), an invitation, as on Android.
    var headline: String {
        guard let today else { return "" }
        let pumped = today.summary.pumpedLitres
        return pumped >= 0.05 ? "Your calves pumped \(Formats.litres(pumped)) L today" : "A short walk starts your calf pump"
    }

    /// How far the stretch is toward the break due (as long as the core's
    /// first reminder waits for it), and whether it is past it; none when
    /// not sitting now or with reminders off (as Android's bar).
    var breakDue: (fraction: Double, overdue: Bool)? {
        guard let sitting = today?.sitting, let stretch = sitting.currentStretchMin,
              let after = sitting.breakAfterMin, after > 0 else { return nil }
        return (min(Double(stretch) / Double(after), 1), stretch >= after)
    }

    /// "Sitting for 48 min", or the day's sitting when standing now; none
    /// on a day without sitting (as on Android: no "Sat 0 min today").
    var sitting: String? {
        guard let sitting = today?.sitting else { return nil }
        if let stretch = sitting.currentStretchMin { return "Sitting for \(Formats.minutes(stretch))" }
        guard sitting.totalMin > 0 else { return nil }
        return "Sat \(Formats.minutes(sitting.totalMin)) today · \(Formats.plural(sitting.breaks, "break"))"
    }

    /// "Next break 11:30 · Time for a break" ("07:45 tomorrow" once moved
    /// past the night); none while a walk or set is active (its next break
    /// is the one for a Finish forgotten).
    var nextBreak: String? {
        guard let today, today.session?.state != .active else { return nil }
        return today.nextBreak.map {
            let day = Formats.onDay(Formats.isoDay($0.dueAt), today: today.date)
            return "Next break \(Formats.clock($0.dueAt))\(day) · \($0.title)"
        }
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
        // A second tap within a second is the same tap (a drink logged cannot be taken back).
        let now = ProcessInfo.processInfo.systemUptime
        if let last = lastDrink, now - last < 1 { return }
        lastDrink = now
        perform({ try $0.sessions().drink(ml: ml) }) { self.message = "Logged \(ml) mL" }
    }

    /// When a drink was last tapped (seconds of uptime), to take a double tap for one.
    private var lastDrink: TimeInterval?

    /// "On since 08:10 · 15–20 mmHg", "On since 08:10 yesterday · 15–20 mmHg",
    /// "Worn 3 h 20 min today" or "Not worn today".
    var socks: String {
        guard let today else { return "" }
        if let wear = today.compression {
            let since = today.compressionSinceEarlierDay.map { Formats.onDay($0, today: today.date) } ?? ""
            return "On since \(Formats.clock(wear.on))\(since) · \(garmentLabel(wear.mmhg))"
        }
        let worn = today.summary.compressionMinutes
        return worn > 0 ? "Worn \(Formats.minutes(worn)) today" : "Not worn today"
    }

    /// When the socks worn now went on, if that was on an earlier day (left
    /// on overnight, or their "off" forgotten): the card asks when they came off.
    var socksLeftOnSince: Date? {
        guard let today, today.compressionSinceEarlierDay != nil else { return nil }
        return today.compression?.on
    }

    /// The socks came off at `at`, told afterwards: the instant the date
    /// picker shows. A time before they went on or later than now is
    /// refused with the core's reason; a second tap that finds them off
    /// shows Today as it is.
    func socksOff(at: Date) {
        let date = Formats.isoDay(at)
        let today = self.today?.date ?? date
        perform({ try $0.sessions().compressionOffAt(at: at) }, failed: { [weak self] error in
            self?.showUnlessConflict(error)
        }) { wear in
            let minutes = Int((wear.off ?? at).timeIntervalSince(wear.on) / 60)
            self.message = "Socks off at \(Formats.clock(at))\(Formats.onDay(date, today: today)), after \(Formats.minutes(minutes))"
            self.refresh()
        }
    }

    /// `error` as the message, unless the socks were already as asked
    /// (`Conflict`): then Today is read again.
    private func showUnlessConflict(_ error: Error) {
        if let refused = error as? SecondHeartError, case .Conflict = refused {
            refresh()
        } else {
            message = userMessage(error)
        }
    }

    /// Whether socks are on now.
    var wearingSocks: Bool { today?.compression != nil }

    /// The socks went on now, of the band picked. A second tap that finds
    /// them on already (a double tap) shows Today as it is, not an error.
    func socksOn() {
        let mmhg = socksMmhg
        perform({ try $0.sessions().compressionOn(mmhg: mmhg) }, failed: { [weak self] error in
            self?.showUnlessConflict(error)
        }) { started in
            switch started.advice {
            case .suitable:
                self.message = "Socks on: \(self.garmentLabel(mmhg))"
            case let .seeDoctorFirst(reasons: reasons):
                self.message = "Socks on. Please check with your doctor that they suit you: \(reasons.joined(separator: "; "))"
            }
        }
    }

    /// The socks came off now; a second tap that finds them off already
    /// shows Today as it is.
    func socksOff() {
        perform({ try $0.sessions().compressionOff() }, failed: { [weak self] error in
            self?.showUnlessConflict(error)
        }) { wear in
            // Put on by a clock that ran ahead: removed, never worn as far as the phone can tell.
            if wear.off == wear.on {
                self.message = "Socks removed: they went on at \(Formats.clock(wear.on)), later than the phone's clock says it is now"
            } else {
                let minutes = Int((wear.off ?? Date()).timeIntervalSince(wear.on) / 60)
                self.message = "Socks off after \(Formats.minutes(minutes))"
            }
        }
    }

    /// "15–20 mmHg" for a band offered, else the class as recorded ("22 mmHg").
    private func garmentLabel(_ mmhg: UInt32) -> String {
        garments.first { $0.mmhg == mmhg }?.label ?? "\(mmhg) mmHg"
    }
}
