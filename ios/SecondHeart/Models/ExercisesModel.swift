import Foundation

/// Where the leg-elevation gate stands.
enum Gate: Equatable {
    /// Some questions are unanswered.
    case unanswered
    /// Go ahead; the note says how.
    case open(String)
    /// Stop: the reason says why and what to do instead.
    case closed(String)
}

/// Exercises: a calf-raise set (20 reps, 1 s hold) or ankle pumps with a rep
/// counter and a hold cue; leg elevation behind its safety questions.
@MainActor
final class ExercisesModel: CoreModel {
    /// The set or elevation running, as the core last reported it.
    @Published private(set) var progress: SessionProgress?
    @Published private(set) var readAt = Date()
    /// The set just finished, shown until the next starts, on the day it
    /// was done only (the next morning it is not today's news).
    private(set) var finished: SessionProgress? {
        get { finishedToday.value }
        set { finishedToday.value = newValue }
    }
    @Published private var finishedToday = ForToday<SessionProgress>()
    /// The questions asked before leg elevation, from the core.
    let questions: [SafetyQuestion] = elevationQuestions()
    @Published private(set) var answers: [String: Bool] = [:]
    @Published private(set) var gate: Gate = .unanswered
    /// Today's finished sets: "Calf raises · 20 reps · 09:12".
    @Published private(set) var done: [String] = []
    /// The set as the sensor counts it, while one is worn.
    @Published private(set) var live: LiveProgress?
    /// The running set is counted by the sensor: the screen offers no
    /// tapping (a tapped rep would count a raise the sensor counts too),
    /// until the sensor stops counting.
    @Published private(set) var countedBySensor = false
    /// What the screen said when the sensor's count could not be saved, until a frame is saved again.
    private var notSaved: String?
    /// A save of the set the sensor counts, ended by itself, is queued for this stream (`finishEndedSet`).
    private var endingQueued = false
    private let devices: DevicesModel
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
                self.show(today)
            }
        }
        refresh()
    }

    deinit {
        if let token { core.stopObserving(token) }
    }

    /// Reads the session running and today's sets (the app back in sight: the day may have turned).
    func refresh() {
        perform({ try $0.today().view() }) { self.show($0) }
    }

    private func show(_ today: TodayView) {
        accept(today.session)
        let date = today.date
        perform({ try $0.sessions().setsOn(date: date) }) { sets in
            // "Calf raises · 20 reps · 09:12", newest first.
            self.done = sets.reversed().map { set in
                let name = set.kind == .calfRaises ? "Calf raises" : "Ankle pumps"
                let source = set.fromSensor ? " · by your sensor" : ""
                return "\(name) · \(Formats.plural(set.reps, "rep")) · \(Formats.clock(set.started))\(source)"
            }
        }
    }

    private func accept(_ session: SessionProgress?) {
        progress = session.flatMap { $0.kind != .walk && ($0.state == .active || $0.state == .paused) ? $0 : nil }
        readAt = Date()
        // No set running, none is counted: the next one starts with tapping offered.
        if set == nil { countedBySensor = false }
    }

    /// The set running, if one is.
    var set: SessionProgress? {
        progress.flatMap { $0.kind == .calfRaises || $0.kind == .anklePumps ? $0 : nil }
    }

    /// Leg elevation running, if it is.
    var elevation: SessionProgress? { progress.flatMap { $0.kind == .legElevation ? $0 : nil } }

    /// The countdown of leg elevation at `now`: "14:32".
    func remaining(at now: Date) -> String? {
        guard let elevation, let left = elevation.remainingS else { return nil }
        // Ended by itself, its clock stopped at that end (the core's time left).
        let running = elevation.state == .active && !elevation.endedByItself ? now.timeIntervalSince(readAt) : 0
        return Formats.countdown(left - running)
    }

    /// The cue under the counter: the core's feedback, or how to do the next rep.
    func cue(_ set: SessionProgress) -> String {
        set.feedback.first ?? (set.kind == .calfRaises
            ? "Up on your toes, hold 1 s, down slowly" : "Point your toes, then pull them up")
    }

    /// The set's target: 20 calf raises, 30 ankle pumps unless the core says otherwise.
    func target(_ set: SessionProgress) -> UInt32 {
        set.targetReps ?? (set.kind == .calfRaises ? 20 : 30)
    }

    /// The finished set's card goes with the message: it was of data no
    /// longer there (a backup restored, everything deleted).
    override func dataReplaced() {
        super.dataReplaced()
        finished = nil
        answers = [:]
        gate = .unanswered
    }

    /// The session open now if it is of `kind` (running or paused): a
    /// second tap finds the one its first started, and does nothing more.
    nonisolated private static func open(_ app: SecondHeart, _ kind: SessionKind) throws -> SessionProgress? {
        let open = try app.sessions().status()?.progress
        return open.flatMap { $0.kind == kind && ($0.state == .active || $0.state == .paused) ? $0 : nil }
    }

    func startCalfRaises() { start(.calfRaises) }

    func startAnklePumps() { start(.anklePumps) }

    private func start(_ kind: SessionKind) {
        perform({ app -> SessionUpdate? in
            if let open = try Self.open(app, kind), !open.endedByItself { return nil }
            return try app.sessions().startSet(kind: kind, targets: SetTargets())
        }) { update in
            // A second tap leaves the set its first started, and who counts it, as they are.
            guard let update else { return }
            self.finished = nil
            self.live = nil
            // What was said of the last set is not of this one.
            self.message = nil
            self.notSaved = nil
            self.endingQueued = false
            self.accept(update.progress)
            self.countedBySensor = self.devices.followSession(
                kind, onProgress: { [weak self] progress in self?.sensorCounted(progress) },
                onEnded: { [weak self] error in
                    self?.live = nil
                    self?.countedBySensor = false
                    if let error { self?.message = "The sensor stopped counting: \(error). Tap each rep instead." }
                },
                onNotCounted: { [weak self] reason in self?.countNotSaved(reason) })
        }
    }

    /// The sensor's reps could not be saved into the set (the store
    /// failed): the screen says so until a frame is counted again, when what
    /// was counted meanwhile is saved with it.
    private func countNotSaved(_ reason: String) {
        let text = "Your sensor's reps could not be saved just now: \(reason). They are saved with its next reading."
        notSaved = text
        message = text
    }

    /// A frame's count: the set as the sensor counts it, unless the set
    /// ended by itself meanwhile (half an hour after its last rep, a late
    /// rep finding it saved): then the sensor stops counting and the
    /// screen says the set was saved (Today's sets list it). A set whose
    /// Finish was forgotten, still open once it ended by itself, is saved
    /// at that end, and the sensor let go.
    private func sensorCounted(_ progress: LiveProgress) {
        if let text = notSaved {
            notSaved = nil
            if message == text { message = nil }
        }
        live = progress
        perform({ try $0.sessions().status()?.progress }) { open in
            guard self.live != nil else { return }
            // Another session open is a new one, started after this set was saved at its end.
            guard let open, open.state == .active || open.state == .paused, open.kind == progress.kind else {
                self.devices.stopLive()
                self.live = nil
                self.countedBySensor = false
                // A set the sensor counted no rep of was given up, not saved.
                self.message = progress.reps == 0 ? Self.neverDone : Self.savedEnded
                self.accept(open)
                return
            }
            // Its Finish forgotten, it ended by itself: saved at that end, and the sensor let go.
            if open.endedByItself { self.finishEndedSet(open.kind) }
        }
    }

    /// The cue from the sensor, as on Android: "Up onto your toes",
    /// "Hold… 0.4 s to go" then "Held: down slowly", "Down slowly", and at
    /// rest how to start, "Rest, then the next one", or "All 20 done: finish
    /// the set" once the target is reached.
    var liveCue: String? {
        guard let live else { return nil }
        switch live.cue {
        case .rising: return "Up onto your toes"
        case .hold(let elapsedS, let targetS):
            guard elapsedS < targetS else { return "Held: down slowly" }
            return "Hold… \(Self.tenthsLeft(targetS - elapsedS).formatted(.number.precision(.fractionLength(1)))) s to go"
        case .lower: return "Down slowly"
        case .rest:
            let calf = live.kind == .calfRaises
            if live.setComplete { return "All \(live.targetReps ?? (calf ? 20 : 30)) done: finish the set" }
            if live.reps == 0 { return calf ? "Up on your toes, hold 1 s, down slowly" : "Point your toes, then pull them up" }
            return "Rest, then the next one"
        }
    }

    /// `seconds` rounded up to a tenth, so a hold's last moment reads
    /// "0.1 s to go", not "0.0".
    private static func tenthsLeft(_ seconds: Double) -> Double {
        max((seconds * 10 - 1e-9).rounded(.up), 1) / 10
    }

    /// One rep tapped; `holdS` is how long the top was held when measured.
    /// Not while the sensor counts the set: it counts that rep already.
    func rep(holdS: Double? = nil) {
        guard let set, !countedBySensor else { return }
        let event = set.kind == .anklePumps ? SessionEvent.pumps(count: 1) : SessionEvent.rep(holdS: holdS)
        perform({ try $0.sessions().record(event: event) }) { update in
            if update.progress.state == .finished {
                // Left half an hour since its last rep, the set had ended
                // by itself: saved then, this rep left out.
                self.devices.stopLive()
                self.live = nil
                self.countedBySensor = false
                self.finished = update.progress
                self.message = Self.savedEnded
            } else if update.progress.state == .abandoned {
                // Left three hours without a rep, the set had ended by
                // itself, never done: nothing saved.
                self.devices.stopLive()
                self.live = nil
                self.countedBySensor = false
                self.message = Self.neverDone
            }
            self.accept(update.progress)
        }
    }

    /// Finishes the set: it counts into the day (unless no rep was counted:
    /// then nothing is saved), through the sensor's
    /// counter when one counted it (which keeps a raise stopped at the top of).
    /// Only a set: a walk or legs-up started since runs on; a second tap, the
    /// set saved, keeps its card.
    func finishSet() {
        finishSetNow(counted: devices.stopLive(), onlyEnded: false)
    }

    /// Saves the set of `kind` the sensor counts once it has ended by
    /// itself, as Finish set would, and says so: asked by every frame that
    /// finds it so, queued once a stream, and done only if that set is
    /// still the one open and ended (a set started meanwhile runs on).
    private func finishEndedSet(_ kind: SessionKind) {
        guard !endingQueued else { return }
        endingQueued = true
        finishSetNow(counted: devices.stopCounting(kind), onlyEnded: true)
    }

    /// Finishes the set open through `counted`, the sensor's counter when
    /// it counted the set, else with a Finish; with `onlyEnded`, only a set
    /// that has ended by itself, and the screen says it did.
    private func finishSetNow(counted: LiveSessionCounter?, onlyEnded: Bool) {
        live = nil
        countedBySensor = false
        perform({ app -> SessionUpdate? in
            guard let open = try app.sessions().status()?.progress,
                  open.kind == .calfRaises || open.kind == .anklePumps,
                  open.state == .active || open.state == .paused,
                  open.endedByItself || !onlyEnded else { return nil }
            return try counted?.finish() ?? app.sessions().record(event: SessionEvent.finish)
        }) { update in
            guard let update else { return }
            if update.progress.state == .abandoned {
                self.message = Self.noRep
            } else {
                self.finished = update.progress
                if onlyEnded { self.message = Self.savedEnded }
            }
            self.accept(nil)
        }
    }

    /// A set that ended by itself without a rep: given up.
    static let neverDone = "That set had ended by itself without a rep, so nothing was saved. Start a new one."

    /// A set finished without a rep counted: given up, not saved.
    static let noRep = "No rep was counted in that set, so nothing was saved. Start a new one."

    /// A set the sensor counted, saved at the end it came to by itself, its Finish forgotten.
    static let savedEnded = "Set saved. It ended by itself a while after its last rep."

    /// Answers a safety question.
    func answer(_ key: String, _ yes: Bool) {
        answers[key] = yes
        gate = .unanswered
    }

    /// Starts 15 minutes of leg elevation; the core checks the answers and may
    /// refuse. The answers hold for this start only; a refusal keeps them.
    func startElevation() {
        guard questions.allSatisfy({ answers[$0.key] != nil }) else {
            gate = .closed("Answer every question first.")
            return
        }
        let given = ElevationAnswers(
            recentLegInjury: answers["recent_leg_injury"] == true,
            legPainNow: answers["leg_pain_now"] == true,
            feelingFaintOrUnwell: answers["feeling_faint_or_unwell"] == true,
            breathlessLyingFlat: answers["breathless_lying_flat"] == true)
        perform({ app -> SessionUpdate? in
            // A second tap finds legs-up running: the first tap's word stands.
            if let open = try Self.open(app, .legElevation), !open.endedByItself { return nil }
            return try app.sessions().startElevation(answers: given, minutes: 15, angleDeg: nil)
        }, failed: { error in
            self.gate = .closed(userMessage(error))
        }) { update in
            guard let update else { return }
            // Asked before each start: the next one asks again.
            self.answers = [:]
            self.gate = .open("Lie back and rest your legs on cushions above your heart. Stop if anything hurts.")
            self.accept(update.progress)
        }
    }

    /// Ends leg elevation early; `hurts` says it was because of pain.
    func stopElevation(hurts: Bool = false) {
        perform({ app in
            // A second tap finds it stopped: nothing more to do.
            if try Self.open(app, .legElevation) != nil {
                _ = try app.sessions().record(event: hurts ? SessionEvent.pain : SessionEvent.finish)
            }
        }) { _ in
            self.gate = .unanswered
            self.accept(nil)
        }
    }
}
