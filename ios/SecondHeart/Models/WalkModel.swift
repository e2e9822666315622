import Foundation

/// Walk: start, pause, resume, finish; steps from the phone's step counter
/// while the walk runs; what the calves pumped when it ends; today's walks.
@MainActor
final class WalkModel: CoreModel {
    /// The walk running, as the core last reported it.
    @Published private(set) var progress: SessionProgress?
    /// When `progress` was read, to run the stopwatch between reports.
    @Published private(set) var readAt = Date()
    /// What the last finished walk did, kept for the day it finished on.
    @Published private var outcome = DayMessage()
    /// The walks of the last `recentDays` dates, newest first (a walk logged
    /// on the wrong day is found there to be deleted).
    @Published private(set) var recent: [Walk] = []
    /// Today's date as the core names it, for the recent walks' day names.
    @Published private(set) var today = ""
    nonisolated private static let recentDays = 7
    /// The walk as the sensor counts it, while one is worn.
    @Published private(set) var live: LiveProgress?
    /// What the screen said when the sensor's count could not be saved, until a frame is saved again.
    private var notSaved: String?
    /// Whether the form for a walk done without the app is open.
    @Published var loggingWalk = false
    /// A walk from the form is being stored (a second tap waits).
    @Published private(set) var savingWalk = false
    private let counter = StepCounter()
    private let devices: DevicesModel
    /// Whether the sensor counts this walk's steps (then the phone does not).
    private var bySensor = false
    /// A save of the walk the sensor counts, ended by itself, is queued for this stream (`finishEnded`).
    private var endingQueued = false
    private var token: UUID?
    /// The number of the newest view the core pushed that was shown.
    private var pushedNumber: UInt64 = 0

    init(core: AppCore, devices: DevicesModel) {
        self.devices = devices
        super.init(core: core, serialActions: true)
        // A task each lands in no promised order: a view older than one
        // shown (a pause's, after the resume's) is not shown over it.
        token = core.observe { [weak self] today in
            Task { @MainActor in
                guard let self, today.number > self.pushedNumber else { return }
                self.pushedNumber = today.number
                self.show(today.session, date: today.date)
            }
        }
        refresh()
    }

    deinit {
        if let token { core.stopObserving(token) }
    }

    /// Reads the open session and today's walks.
    func refresh() {
        perform({ app -> (SessionUpdate?, String, [Walk]) in
            let today = try app.today().view().date
            return try (app.sessions().status(), today, Self.recentWalks(app, today: today))
        }) { status, today, walks in
            self.accept(status?.progress)
            self.today = today
            self.recent = walks.reversed()
        }
    }

    private func show(_ session: SessionProgress?, date: String) {
        accept(session)
        // While a walk runs every step counted is a change: the week's walks
        // stay as last read until it ends or the date turns.
        if Self.runningWalk(session) != nil && date == today { return }
        perform({ try Self.recentWalks($0, today: date) }) {
            self.today = date
            self.recent = $0.reversed()
        }
    }

    /// The walks of the last `recentDays` dates up to `today`, oldest first.
    nonisolated private static func recentWalks(_ app: SecondHeart, today: String) throws -> [Walk] {
        try app.sessions().walksBetween(first: Formats.daysBefore(today, recentDays - 1), last: today)
    }

    /// "" for a walk today, "Yesterday · ", else "Wed 2 Dec · ": the day named
    /// before its time, both by the clock where it was walked (as its form and
    /// "Walk logged" said).
    func dayName(_ walk: Walk) -> String {
        let day = Formats.isoDay(walk.start, zone: walk.timeZone)
        if day == today { return "" }
        if day == Formats.daysBefore(today, 1) { return "Yesterday · " }
        return "\(Formats.weekday(day)) \(Formats.dayMonth(day)) · "
    }

    private func accept(_ session: SessionProgress?) {
        let walk = Self.runningWalk(session)
        progress = walk
        readAt = Date()
        if walk?.state == .active && !bySensor { startCounting() } else { counter.stop() }
        if walk == nil && bySensor {
            bySensor = false
            live = nil
            devices.stopCounting(.walk)
        }
    }

    /// `session` if it is a walk running or paused.
    nonisolated private static func runningWalk(_ session: SessionProgress?) -> SessionProgress? {
        session.flatMap { $0.kind == .walk && ($0.state == .active || $0.state == .paused) ? $0 : nil }
    }

    /// Whether a walk is running (or paused).
    var walking: Bool { progress != nil }

    /// The stopwatch at `now`: the core's active time plus the time since it was read.
    func elapsed(at now: Date) -> String {
        guard let progress else { return Formats.stopwatch(0) }
        // Ended by itself, its stopwatch stopped at that end (the core's active time).
        let running = progress.state == .active && !progress.endedByItself ? now.timeIntervalSince(readAt) : 0
        return Formats.stopwatch(progress.activeSeconds + running)
    }

    /// Who counts the steps: before a walk, the paired sensor that will.
    var source: String {
        if bySensor || (progress == nil && !devices.paired.isEmpty) { return "Steps counted by your sensor" }
        if counter.available { return "Steps counted by the phone" }
        // As Android says when Physical activity is refused.
        if counter.refused {
            return "Not counted: allow Motion & Fitness for Second Heart in Settings (Privacy & Security), or log the steps by hand"
        }
        return "This phone does not count steps: a paired sensor's steps arrive when it syncs"
    }

    /// What the last walk did, on the day it finished: "Walk saved: 2,400
    /// steps · Your calves pumped 14.2 L · 108 steps/min".
    var outcomeText: String? { outcome.value }

    /// The walk saved in words, its steps first (as Android's message
    /// says them): "Walk saved: 2,400 steps · Your calves pumped 19.2 L · …";
    /// none without an outcome.
    private static func saved(_ update: SessionUpdate) -> String? {
        update.outcome.map { "Walk saved: \(Formats.plural(update.progress.steps, "step")) · " + describe($0) }
    }

    /// `outcome` in words: "Your calves pumped 14.2 L · 108 steps/min · 2.1 km".
    private static func describe(_ outcome: SessionOutcome) -> String {
        var parts = ["Your calves pumped \(Formats.litres(outcome.pumpedMl / 1000)) L"]
        if let cadence = outcome.cadenceSpm { parts.append("\(Int(cadence.rounded())) steps/min") }
        if let km = outcome.distanceKm { parts.append("\(km.formatted(.number.precision(.fractionLength(1)))) km") }
        return parts.joined(separator: " · ")
    }

    /// Starts a walk, counted by the sensor when one is paired; a second tap
    /// finds the walk the first started, and does nothing more.
    func start() {
        loggingWalk = false
        perform({ app -> SessionUpdate? in
            // One that ended by itself long ago is no first tap: the core saves it first.
            if let walk = try Self.runningWalk(app.sessions().status()?.progress), !walk.endedByItself { return nil }
            return try app.sessions().startWalk()
        }) { update in
            // A second tap found the walk running: shown as it is (a screen
            // still saying Ready shows it now), as on Android.
            guard let update else { return self.refresh() }
            // What was said of the last walk is not of this one (a refused
            // start keeps it on screen).
            self.outcome.value = nil
            self.live = nil
            self.message = nil
            self.notSaved = nil
            self.endingQueued = false
            self.bySensor = self.devices.followSession(
                .walk,
                onProgress: { [weak self] progress in self?.sensorCounted(progress) },
                onEnded: { [weak self] error in self?.sensorStopped(error) },
                onNotCounted: { [weak self] reason in self?.countNotSaved(reason) })
            self.accept(update.progress)
        }
    }

    /// The sensor's steps could not be saved into the walk (the store
    /// failed): the screen says so until a frame is counted again, when what
    /// was counted meanwhile is saved with it.
    private func countNotSaved(_ reason: String) {
        let text = "Your sensor's steps could not be saved just now: \(reason). They are saved with its next reading."
        notSaved = text
        message = text
    }

    /// A frame was counted and saved: the message that it could not be, if still shown, goes.
    private func countSaved() {
        guard let text = notSaved else { return }
        notSaved = nil
        if message == text { message = nil }
    }

    /// A frame's count: the walk as the sensor counts it. A walk whose
    /// Finish was forgotten ends by itself, and a frame then finds it so:
    /// it is saved at that end, as Finish would, and the sensor let go (it
    /// had streamed on, for hours, until the next step).
    private func sensorCounted(_ progress: LiveProgress) {
        countSaved()
        live = progress
        guard !endingQueued else { return }
        perform({ try Self.runningWalk($0.sessions().status()?.progress)?.endedByItself == true }) { ended in
            if ended { self.finishEnded() }
        }
    }

    /// The sensor's stream ended while the walk ran: the phone counts the
    /// rest, and the screen says why.
    private func sensorStopped(_ error: String?) {
        guard bySensor else { return }
        bySensor = false
        live = nil
        if let error { message = "The sensor is not counting this walk: \(error)" }
        accept(progress)
    }

    /// Opens the form for a walk done without the app (the phone left at home).
    func openLogForm() {
        message = nil
        loggingWalk = true
    }

    /// Closes the form: nothing is logged.
    func closeLogForm() {
        message = nil
        loggingWalk = false
    }

    /// Logs a walk done without the app that started at `start`, of
    /// `minutes` and `steps` as typed. The day and time picked are a clock
    /// time, which the core reads where the user was then (a walk from a
    /// trip logged back home is the trip's 08:00, and a time the clocks
    /// skipped is refused). What does not
    /// read as whole numbers, or what the core refuses (a walk in the
    /// future, a cadence no one walks, one overlapping a walk logged or
    /// recorded, or walking a sensor recorded), is said in the form, which
    /// stays open with what was entered.
    func logWalk(start: Date, minutes: String, steps: String) {
        guard !savingWalk else { return }
        // Whole numbers in the user's own digits and grouping ("9,000"); "1.5" is not one.
        guard let minutes = Formats.parseWhole(minutes), let steps = Formats.parseWhole(steps) else {
            message = "Enter its minutes and steps as whole numbers."
            return
        }
        // The core refuses a walk over a day; a count no one could type stays refused, not wrapped.
        let seconds = minutes > Int64.max / 60 ? Int64.max : minutes * 60
        // The picker's day and time in the phone's zone, as ISO dates (a
        // Buddhist or Japanese calendar's year is not the core's).
        let (date, time) = (Formats.isoDay(start), Formats.isoClock(start))
        let calendar = Calendar.autoupdatingCurrent
        message = nil
        savingWalk = true
        perform({ app in
            let sessions = app.sessions()
            let moment = try sessions.momentAt(date: date, time: time)
            return try sessions.logWalk(start: moment.at, timeZone: moment.timeZone, durationSeconds: seconds, steps: steps)
        }, failed: { error in
            self.savingWalk = false
            self.message = userMessage(error)
        }) { walk in
            self.savingWalk = false
            // The day picked (the walk's own day where it was walked).
            let day = calendar.isDateInToday(start) ? ""
                : calendar.isDateInYesterday(start) ? " yesterday"
                : " on \(start.formatted(.dateTime.weekday(.wide).day().month(.wide)))"
            self.message = "Walk logged: \(Formats.minutes((walk.durationSeconds + 30) / 60)) from \(Formats.clock(walk.start, zone: walk.timeZone))\(day), \(Formats.plural(walk.steps, "step"))"
            // Apple Health hears of the walk's own days, not only today's.
            let end = walk.start.addingTimeInterval(TimeInterval(walk.durationSeconds))
            NotificationCenter.default.post(name: HealthWriter.recordsAdded, object: nil, userInfo: [
                HealthWriter.datesKey: [Formats.isoDay(walk.start, zone: walk.timeZone), Formats.isoDay(end, zone: walk.timeZone)],
            ])
            self.loggingWalk = false
            self.refresh()
        }
    }

    /// Deletes `walk`, logged by hand, and its steps (the core refuses a walk
    /// the app followed, and one deleted already: a second swipe).
    func delete(_ walk: Walk) {
        message = nil
        perform({ try $0.sessions().deleteWalk(id: walk.id) }) { deleted in
            self.message = "Walk deleted: \(Formats.minutes((deleted.durationSeconds + 30) / 60)) from \(Formats.clock(deleted.start, zone: deleted.timeZone)), \(Formats.plural(deleted.steps, "step"))"
            let end = deleted.start.addingTimeInterval(TimeInterval(deleted.durationSeconds))
            NotificationCenter.default.post(name: HealthWriter.recordsTakenBack, object: nil, userInfo: [
                HealthWriter.idsKey: Self.healthIds(of: deleted),
                HealthWriter.datesKey: [Formats.isoDay(deleted.start, zone: deleted.timeZone), Formats.isoDay(end, zone: deleted.timeZone)],
            ])
            self.refresh()
        }
    }

    /// The sync identifiers Apple Health may hold `walk` and its steps under:
    /// its workout, and each minute it was spread over (UTC minutes).
    nonisolated private static func healthIds(of walk: Walk) -> [String] {
        let ms = { (at: Double) in Int64((at * 1000).rounded()) }
        let start = walk.start.timeIntervalSince1970
        let end = start + Double(walk.durationSeconds)
        let minutes = stride(from: (start / 60).rounded(.down) * 60, to: end, by: 60).map { "minute:\(ms($0))" }
        return ["walk:\(ms(start))"] + minutes
    }

    /// Pauses the clock (a second tap finds it paused: nothing more to do).
    func pause() { record(.pause, unless: .paused) }

    /// Starts the clock again (a second tap finds it running).
    func resume() { record(.resume, unless: .active) }

    /// Finishes the walk: it counts into the day and HealthKit gets it; a
    /// walk counted by the sensor finishes through its counter, with every
    /// step it counted. A second tap, the walk saved, changes nothing.
    func finish() {
        counter.stop()
        finishNow(counted: bySensor ? devices.stopLive() : nil, onlyEnded: false)
    }

    /// Saves the walk the sensor counts once it has ended by itself, as
    /// Finish would: asked by every frame that finds it so, queued once a
    /// stream, and done only if that walk is still the one open and ended
    /// (a walk started meanwhile runs on).
    private func finishEnded() {
        guard !endingQueued else { return }
        endingQueued = true
        finishNow(counted: devices.stopCounting(.walk), onlyEnded: true)
    }

    /// Finishes the walk open through `counted`, the sensor's counter when
    /// it counted the walk, else with a Finish; with `onlyEnded`, only a
    /// walk that has ended by itself. The outcome says what it pumped.
    private func finishNow(counted: LiveSessionCounter?, onlyEnded: Bool) {
        perform({ app -> (SessionUpdate, Bool)? in
            guard let walk = try Self.runningWalk(app.sessions().status()?.progress),
                  walk.endedByItself || !onlyEnded else { return nil }
            let done = try counted?.finish() ?? app.sessions().record(event: SessionEvent.finish)
            return (done, walk.endedByItself)
        }) { finished in
            guard let finished else { return }
            let (update, endedByItself) = finished
            // Left running past its end, it is saved at that end: the screen says so.
            self.outcome.value = Self.saved(update).map { $0 + (endedByItself ? Self.endedByItself : "") }
            self.accept(nil)
        }
    }

    /// The walk's outcome goes with the message: it may be of a walk no longer there.
    override func dataReplaced() {
        super.dataReplaced()
        outcome.value = nil
    }

    /// Gives the walk up: kept in history, not counted.
    func abandon() {
        counter.stop()
        perform({ app in
            // A second tap finds no walk: nothing more to do.
            if try Self.runningWalk(app.sessions().status()?.progress) != nil {
                _ = try app.sessions().record(event: SessionEvent.abandon)
            }
        }) { _ in self.accept(nil) }
    }

    /// Said of a walk saved at the end it came to by itself, its Finish forgotten.
    private static let endedByItself = ". The walk ended by itself a while after its last step."

    /// Records `event` into the walk, unless it is already `state`.
    private func record(_ event: SessionEvent, unless state: SessionState) {
        perform({ app -> SessionUpdate? in
            if try Self.runningWalk(app.sessions().status()?.progress)?.state == state { return nil }
            return try app.sessions().record(event: event)
        }) { update in
            if let update { self.acceptWritten(update) } else { self.refresh() }
        }
    }

    /// Shows the walk as a pause or steps left it. A walk left running ends
    /// by itself a while after its last step (half an hour; three hours when
    /// it counted none), and whatever comes later finds it saved at that
    /// end: then the screen says what it pumped, and that it ended by itself.
    private func acceptWritten(_ update: SessionUpdate) {
        if update.progress.state == .finished, let saved = Self.saved(update) {
            outcome.value = saved + Self.endedByItself
        }
        accept(update.progress)
    }

    private func startCounting() {
        counter.start { [weak self] count in self?.steps(count) }
    }

    /// Steps the phone counted since its last report. Its counter stops a
    /// moment after Pause or Finish is tapped: steps it reports once the
    /// walk is paused or over are not the walk's, and go without a word.
    private func steps(_ count: UInt32) {
        perform({ app -> SessionUpdate? in
            do {
                return try app.sessions().record(event: SessionEvent.steps(count: count))
            } catch let refused as SecondHeartError {
                guard case .Conflict = refused,
                      try Self.runningWalk(app.sessions().status()?.progress)?.state != .active else { throw refused }
                return nil
            }
        }) { update in
            if let update { self.acceptWritten(update) } else { self.refresh() }
        }
    }
}
