import Foundation

/// A sync running, as Devices draws it.
struct SyncProgress: Equatable {
    /// The sensor: its serial, or its name while pairing.
    let label: String
    /// 0…1 once the sensor has said how many records it holds.
    let fraction: Double?
    /// "1,204 of 5,760 records".
    let text: String
}

/// One of the ways walks and sets may count, in Devices' "Count walks and
/// sets from" choice (Android's `ChoiceUi` there).
struct CountFromChoice: Identifiable, Equatable {
    /// The paired sensor's serial; nil for the rule: the sensor synced last.
    let serial: String?
    /// "Whichever synced last", or the sensor's model and serial.
    let label: String
    /// Whether walks and sets count this way now.
    let selected: Bool

    /// The serial, or "" for the rule (Android's `COUNT_FROM_SYNCED_LAST`).
    var id: String { serial ?? "" }
}

/// What a live stream tells the screen, in the order it told it.
private enum LiveStreamEvent: Sendable {
    /// A frame, with the running session's progress when it was counted.
    case frame(LiveFrame, LiveProgress?)
    /// A running-speed-and-cadence reading.
    case cadence(CadenceReading)
    /// A frame whose count could not be saved.
    case notCounted(SecondHeartError)
}

/// Devices: scan (CoreBluetooth), pair, sync with progress and cancel,
/// forget. The sync runs on the library's runtime; cancelling the Swift task
/// cancels its `TaskHandle`. Lives as long as the app, so a sync goes on
/// when the user leaves the screen, and iOS's state restoration can hand a
/// sensor back to it.
@MainActor
final class DevicesModel: CoreModel {
    @Published private(set) var scanning = false
    @Published private(set) var found: [FoundSensor] = []
    @Published private(set) var paired: [PairedSensor] = []
    /// The paired sensor walks and sets count from (the core's choice).
    @Published private(set) var countingSensor: PairedSensor?
    @Published private(set) var sync: SyncProgress?
    /// The sensor the last sync or pairing found reset (its records and
    /// clock started again): offered to keep its history and sync it afresh.
    @Published private(set) var resetSensor: ResetSensor?
    @Published var confirmingForget: PairedSensor?
    private let central: BluetoothCentral
    /// The taps on a "count from" choice so far.
    private let countFromTaps = LatestTap()
    private var scanTask: Task<Void, Never>?
    private var syncTask: Task<Void, Never>?
    /// Live data running: what the sensor says now ("Calf 42 mmHg · ankle 31 mmHg · standing").
    @Published private(set) var live: String?
    /// The sensor streaming live data.
    @Published private(set) var liveSerial: String?
    private var liveTask: Task<Void, Never>?
    private var liveID = UUID()
    /// The stream whose frames and ending reach the screen: none once
    /// `stopLive()` has returned (its last frame stays until it lets go).
    private var showing: UUID?
    /// The session the screen asked to follow, until its stream starts;
    /// a stop meanwhile takes it back, and the stream does not start.
    private var following: (id: UUID, kind: SessionKind)?
    /// The running session's counter the live data counts with, if any.
    private var sessionCounter: LiveSessionCounter? { didSet { countingSession = sessionCounter != nil } }
    /// The stream's counter could not save its last frame (told once until one is counted).
    private var countFailing = false
    /// Whether a walk or a set counts from the live stream: Devices neither
    /// stops it nor starts another over it.
    @Published private(set) var countingSession = false
    /// The simulated sensor, on the core's clock.
    private lazy var demo: DemoSensor? = try? core.app.demoSensor(serial: "SH-DEMO-0001", hours: 8)

    /// Whether scans also offer the simulated sensor (always in the simulator, which has no Bluetooth).
    var offersDemo: Bool {
        #if targetEnvironment(simulator)
        return true
        #else
        return UserDefaults.standard.bool(forKey: "demoSensor")
        #endif
    }

    init(core: AppCore, central: BluetoothCentral) {
        self.central = central
        super.init(core: core)
        central.onRestore { [weak self] addresses in
            Task { @MainActor in self?.resume(addresses) }
        }
        refresh()
    }

    /// Reloads the paired sensors and what each has stored (its histories
    /// set aside after a reset included); the task ends once they show.
    @discardableResult
    func refresh() -> Task<Void, Never> {
        perform({ app -> ([PairedSensor], PairedSensor?) in
            (try app.sensors().paired(), try app.sensors().forSessions())
        }) { paired, counting in
            self.paired = paired
            self.countingSensor = counting
        }
    }

    /// "Synced 12 new records from SH-1", and what the sensor had lost or no
    /// longer held: records lost on a full sensor, or held damaged and
    /// skipped, are missing for good; records fetched and cleared before
    /// (forgotten and paired again) are not.
    static func synced(_ report: SyncReport) -> String {
        var text = "Synced \(Formats.plural(report.recordsStored, "new record")) from \(report.serial)"
        if report.gapRecords > 0 {
            text += "; \(Formats.plural(report.gapRecords, "record")) \(report.gapRecords == 1 ? "was" : "were") lost on the full sensor before this sync"
        }
        if report.recordsDamaged > 0 {
            text += "; \(Formats.plural(report.recordsDamaged, "damaged record")) on the sensor \(report.recordsDamaged == 1 ? "was" : "were") skipped"
        }
        if report.recordsNotHeld > 0 {
            text += "; \(Formats.plural(report.recordsNotHeld, "earlier record")) \(report.recordsNotHeld == 1 ? "was" : "were") no longer on it, fetched and cleared before"
        }
        return text
    }

    /// "Synced 12 min ago · 5,760 records · no gaps".
    func detail(_ sensor: PairedSensor) -> String {
        var parts = [sensor.lastSync.map { "Synced \(Formats.ago($0))" } ?? "Not synced yet"]
        parts.append(Formats.plural(sensor.records, "record"))
        let gaps = sensor.gapRecords
        parts.append(gaps == 0 ? "no gaps" : "\(Formats.plural(gaps, "record")) missing")
        if let battery = sensor.batteryPercent {
            parts.append("battery\u{00A0}\(battery)\u{00A0}%")
        }
        // With more than one paired, say which one walks and sets count from.
        if paired.count > 1 && sensor.serial == countingSensor?.serial {
            parts.append(sensor.chosenForSessions ? "counts your walks and sets, as you chose" : "counts your walks and sets")
        }
        return parts.joined(separator: " · ")
    }

    /// With more than one paired, which sensor walks and sets count from,
    /// as one choice: the one synced last ("Whichever synced last"), or
    /// each paired sensor, the one in force selected (as Android's
    /// Devices); empty with one sensor or none.
    var countFrom: [CountFromChoice] {
        guard paired.count > 1 else { return [] }
        let chosen = paired.first { $0.chosenForSessions }?.serial
        return [CountFromChoice(serial: nil, label: "Whichever synced last", selected: chosen == nil)]
            + paired.map { CountFromChoice(serial: $0.serial, label: "\($0.model) \($0.serial)", selected: $0.serial == chosen) }
    }

    /// Walks and sets count from `serial` from now on, or from the sensor
    /// synced last when nil. Two quick taps on different choices run side by
    /// side on the core's threads: the later tap's choice is the one that
    /// stays (as on Android), an earlier tap's write that comes second is
    /// dropped.
    func countSessions(from serial: String?) {
        let taps = countFromTaps
        let tap = taps.tap()
        perform({ app in try taps.ifLatest(tap) { try app.sensors().countSessionsFrom(serial: serial) } }) { wrote in
            // Written, and no later tap since: what it says is the choice in force.
            guard wrote, taps.isLatest(tap) else { return }
            self.message = serial.map { "Walks and sets now count from \($0)" } ?? "Walks and sets now count from the sensor synced last"
            self.refresh()
        }
    }

    /// Sensors found that are not paired yet.
    var unpaired: [FoundSensor] {
        found.filter { sensor in !paired.contains { $0.address == sensor.id } }
    }

    /// Looks for sensors for 8 s; `cancelScan` ends it early.
    func scan() {
        guard !scanning else { return }
        scanning = true
        message = nil
        scanTask = Task {
            var result: [FoundSensor] = []
            do {
                result = try await central.scan()
            } catch {
                message = userMessage(error)
            }
            if offersDemo {
                result.append(FoundSensor(id: DemoLink.address, name: "Demo sock sensor", detail: "Simulated · 8 hours recorded"))
            }
            found = result
            scanning = false
            if result.isEmpty && message == nil { message = "No sensor found: wake it (take it off its charger) and scan again." }
        }
    }

    /// Ends the scan with what was found so far.
    func cancelScan() { scanTask?.cancel() }

    /// Pairs `sensor`: reads its serial, sets its clock, fetches what it stored.
    func pair(_ sensor: FoundSensor) {
        start(label: sensor.name, address: sensor.id, serial: nil)
    }

    /// Syncs the paired `sensor` with progress; `cancelSync` stops it.
    func sync(_ sensor: PairedSensor) {
        start(label: sensor.serial, address: sensor.address, serial: sensor.serial)
    }

    /// Re-attaches a sync to each sensor iOS restored after relaunching the app.
    func resume(_ addresses: [String]) {
        perform({ try $0.sensors().paired() }) { paired in
            for address in addresses {
                if let sensor = paired.first(where: { $0.address == address }) { self.sync(sensor) }
            }
        }
    }

    /// Cancels the running sync; what was stored stays and the next sync resumes.
    func cancelSync() { syncTask?.cancel() }

    /// The reset sensor's history is kept (it counts as before, and goes
    /// when the sensor is forgotten), and it syncs afresh from its first
    /// record, now (paired again where it was found, when a pairing found it:
    /// a reset may give it a new address).
    func keepHistoryAndResync(_ reset: ResetSensor) {
        guard syncTask == nil else { return }
        perform({ try $0.sensors().acceptReset(serial: reset.serial) }) {
            self.resetSensor = nil
            self.start(label: reset.label, address: reset.address, serial: reset.pairing ? nil : reset.serial)
        }
    }

    private func start(label: String, address: String, serial: String?) {
        guard syncTask == nil else { return }
        message = nil
        resetSensor = nil
        sync = SyncProgress(label: label, fraction: nil, text: "Connecting…")
        let app = core.app
        let id = UUID()
        syncID = id
        syncTask = Task {
            do {
                let link = try await self.poweredLink(address)
                let report = try await SensorSyncRunner.run(core: app, link: link, address: address, serial: serial) { done, total in
                    Task { @MainActor [weak self] in
                        // A task each lands in no promised order: progress landing after the
                        // sync ended would bring its card back, with nothing left to cancel.
                        guard let self, self.syncID == id else { return }
                        self.sync = SyncProgress(
                            label: label, fraction: total > 0 ? Double(done) / Double(total) : nil,
                            text: "\(Formats.integer(done)) of \(Formats.integer(total)) records")
                    }
                }
                message = Self.synced(report)
            } catch SecondHeartError.SyncCancelled {
                message = Self.syncCancelled
            } catch is CancellationError {
                // Cancelled while Bluetooth was still coming on.
                message = Self.syncCancelled
            } catch SecondHeartError.SensorReset(serial: let resetSerial, detail: let detail) {
                message = sentence(detail)
                resetSensor = ResetSensor(serial: resetSerial, label: label, address: address, pairing: serial == nil)
            } catch {
                message = userMessage(error)
            }
            sync = nil
            syncTask = nil
            syncID = nil
            refresh()
        }
    }

    /// A sensor a sync or pairing found reset, and how to reach it again.
    struct ResetSensor {
        /// Its serial number.
        let serial: String
        /// What the sync's card called it.
        let label: String
        /// Where it was synced or found.
        let address: String
        /// Whether a pairing found it (it is paired again there).
        let pairing: Bool
    }

    /// The sync running, so its late progress is told from a newer one's.
    private var syncID: UUID?

    private static let syncCancelled = "Sync cancelled: the records so far are kept, the next sync resumes"

    /// The link to `address` once Bluetooth is on: CoreBluetooth ignores a
    /// connect while it is off or still starting, and the sync would try
    /// for minutes before giving up with no word of Bluetooth (off, or not
    /// allowed, is said at once instead).
    private func poweredLink(_ address: String) async throws -> BleLink {
        if address != DemoLink.address { try await central.poweredOn() }
        return try link(address)
    }

    private func link(_ address: String) throws -> BleLink {
        if address == DemoLink.address {
            guard let demo else { throw BleLinkError.Failed(reason: "the demo sensor could not start") }
            return DemoLink(sensor: demo)
        }
        return try central.link(address: address)
    }

    /// Streams live data from `sensor` until `stopLive`; with `counter`, its
    /// frames count into the running session and `onProgress` gets each
    /// progress on the main actor, and `onNotCounted` the reason the count
    /// could not be saved, once until a frame is counted again (a frame the
    /// counter refused is dropped without a word).
    func startLive(
        _ sensor: PairedSensor, counter: LiveSessionCounter? = nil,
        onProgress: ((LiveProgress) -> Void)? = nil, onEnded: ((String?) -> Void)? = nil,
        onNotCounted: ((String) -> Void)? = nil
    ) {
        stopLive()
        // A session's stream tells its own screen why it ended; Devices' own, Devices.
        let ended: (String?) -> Void = onEnded ?? { [weak self] error in if let error { self?.message = sentence(error) } }
        let app = core.app
        let id = UUID()
        liveID = id
        showing = id
        sessionCounter = counter
        liveSerial = sensor.serial
        countFailing = false
        live = "Connecting…"
        liveTask = Task {
            // One queue to the main actor: a frame's progress, a count not
            // saved and a cadence are shown in the order the stream told
            // them (a task each would promise no order), and the ending
            // after them all.
            let (events, delivered) = AsyncStream.makeStream(of: LiveStreamEvent.self)
            let shown = Task { @MainActor [weak self] in
                for await event in events {
                    self?.show(event, of: id, onProgress: onProgress, onNotCounted: onNotCounted)
                }
            }
            let drained: () async -> Void = {
                delivered.finish()
                await shown.value
            }
            do {
                let link = try await self.poweredLink(sensor.address)
                let summary = try await SensorLiveRunner.run(
                    core: app, serial: sensor.serial, link: link, settings: LiveSettings(), counter: counter,
                    onFrame: { frame, progress in delivered.yield(.frame(frame, progress)) },
                    onCadence: { reading in delivered.yield(.cadence(reading)) },
                    onNotCounted: { error in delivered.yield(.notCounted(error)) })
                await drained()
                if showing == id {
                    if let onEnded {
                        onEnded(nil)
                    } else {
                        message = "Live data ended: \(Formats.plural(summary.frames, "frame")) received, \(summary.framesLost) lost"
                    }
                }
            } catch SecondHeartError.SyncCancelled {
                // Stopped before the stream began: nothing to say.
                await drained()
            } catch is CancellationError {
                // Stopped while Bluetooth was still coming on: nothing to say either.
                await drained()
            } catch {
                await drained()
                if showing == id { ended(userReason(error)) }
            }
            if liveID == id {
                live = nil
                liveSerial = nil
                liveTask = nil
                // Ended by itself: the session's screen took over (its onEnded), so nothing counts from here.
                sessionCounter = nil
            }
        }
    }

    /// Shows one event of the live stream `id`, unless the screen has moved
    /// on from it (stopped, or another stream started).
    private func show(
        _ event: LiveStreamEvent, of id: UUID,
        onProgress: ((LiveProgress) -> Void)?, onNotCounted: ((String) -> Void)?
    ) {
        guard showing == id else { return }
        switch event {
        case let .frame(frame, progress):
            live = DevicesModel.describe(frame, progress)
            if let progress {
                countFailing = false
                onProgress?(progress)
            }
        case let .cadence(reading):
            live = "Cadence \(reading.cadenceSpm) steps/min"
        case let .notCounted(error):
            // A frame the counter refused is dropped, its count with it: only
            // a count that could not be saved (and will be, later) is told,
            // once until a frame is counted again.
            if case .InvalidInput = error { return }
            guard !countFailing else { return }
            countFailing = true
            onNotCounted?(userReason(error))
        }
    }

    /// Stops live data: the sensor is told to stop and the link dropped.
    /// Returns the session counter it counted with, if any: its `finish()`
    /// finishes the session with all it counted (a raise stopped at the top
    /// of is kept).
    @discardableResult
    func stopLive() -> LiveSessionCounter? {
        // No frame, cadence or ending of this stream is shown from here on,
        // even one already on its way to the main actor.
        showing = nil
        following = nil
        liveTask?.cancel()
        defer { sessionCounter = nil }
        return sessionCounter
    }

    /// Stops a session's stream if it counts a session of `kind`: a screen
    /// letting go of its own session's stream leaves another's running (a
    /// set started since the walk ended counts on). Returns the counter it
    /// counted with, as `stopLive()` does; nil when it counted no `kind`.
    @discardableResult
    func stopCounting(_ kind: SessionKind) -> LiveSessionCounter? {
        guard let counter = sessionCounter else {
            // Still asking for its counter (a walk given up just after Start):
            // the answer then starts no stream for a session that is over.
            if following?.kind == kind { following = nil }
            return nil
        }
        guard counter.progress().kind == kind else { return nil }
        return stopLive()
    }

    /// Stops live data that is only watched on Devices (not a session's
    /// count): it is for watching, so it stops when the screen goes away.
    func stopWatching() {
        // A session's stream, or one about to start, counts: not for watching.
        if sessionCounter == nil && following == nil { stopLive() }
    }

    /// Counts the running session (`kind`) from the live frames of the
    /// sensor the core picks for sessions (the one the user chose, else
    /// the paired one synced last);
    /// false when no sensor is paired. The demo sensor's wearer
    /// then does the exercise, so the demo shows it counted.
    @discardableResult
    func followSession(
        _ kind: SessionKind, onProgress: @escaping (LiveProgress) -> Void, onEnded: @escaping (String?) -> Void,
        onNotCounted: @escaping (String) -> Void
    ) -> Bool {
        guard countingSensor != nil else { return false }
        let id = UUID()
        following = (id, kind)
        // Asked again with the counter: a sync since the last refresh may have moved the choice.
        perform({ app -> (LiveSessionCounter, PairedSensor?) in
            (try app.sessions().liveCounter(), try app.sensors().forSessions())
        }, failed: { error in
            // Stopped meanwhile: the session is over, nothing to tell it.
            guard self.following?.id == id else { return }
            self.following = nil
            onEnded(userReason(error))
        }) { counter, sensor in
            // Stopped before the counter came (Finish tapped at once): the
            // session is over, and a stream for it would hold the sensor.
            guard self.following?.id == id else { return }
            self.following = nil
            guard let sensor else {
                onEnded("no sensor is paired any more")
                return
            }
            if sensor.address == DemoLink.address { self.demoPerforms(kind) }
            self.startLive(
                sensor, counter: counter, onProgress: onProgress, onEnded: onEnded, onNotCounted: onNotCounted)
        }
        return true
    }

    private func demoPerforms(_ kind: SessionKind) {
        guard let demo else { return }
        let activity: DemoActivity
        switch kind {
        case .calfRaises: activity = DemoActivity.calfRaises(reps: 20, holdS: 1.2)
        case .anklePumps: activity = DemoActivity.anklePumps(reps: 30, ratePerMin: 30)
        case .walk: activity = DemoActivity.walking(minutes: 10, cadenceSpm: 105)
        case .legElevation: return
        }
        _ = try? demo.perform(activity: activity)
    }

    /// "Calf 42 mmHg · ankle 31 mmHg · standing", or the session's steps and cadence.
    nonisolated static func describe(_ frame: LiveFrame, _ progress: LiveProgress?) -> String {
        var parts: [String] = []
        if let progress, progress.kind == .walk {
            parts.append("\(Formats.integer(progress.steps)) steps")
            if let cadence = progress.cadenceSpm { parts.append("\(Int(cadence.rounded())) steps/min") }
        }
        if let sample = frame.samples.last {
            parts.append("Calf \(sample.calfMmhg) mmHg")
            parts.append("ankle \(sample.ankleMmhg) mmHg")
            parts.append(posture(sample.posture))
        }
        return parts.joined(separator: " · ")
    }

    private nonisolated static func posture(_ posture: Posture) -> String {
        switch posture {
        case .unknown: return "posture unknown"
        case .lying: return "lying"
        case .sitting: return "sitting"
        case .standing: return "standing"
        case .legsRaised: return "legs raised"
        case .walking: return "walking"
        }
    }

    /// Forgets `sensor` and deletes its records (after the screen asked).
    func forget(_ sensor: PairedSensor) {
        confirmingForget = nil
        perform({ try $0.sensors().forget(serial: sensor.serial) }) { removed in
            self.message = "Forgot \(sensor.serial) and deleted \(Formats.plural(removed, "record"))"
            self.refresh()
        }
    }
}

/// Taps whose writes may run side by side, of which only the last is the
/// user's: a write runs while its tap is still the last one, the check and
/// the write under one lock. Counting a tap takes only the counter's own
/// lock, so a tap on the main thread never waits for a write.
final class LatestTap: @unchecked Sendable {
    private let counter = NSLock()
    private let writing = NSLock()
    private var taps = 0

    /// A new tap: its number.
    func tap() -> Int {
        counter.lock()
        defer { counter.unlock() }
        taps += 1
        return taps
    }

    /// Whether `tap` is still the last tap.
    func isLatest(_ tap: Int) -> Bool {
        counter.lock()
        defer { counter.unlock() }
        return tap == taps
    }

    /// Runs `write` if `tap` is still the last tap; whether it ran.
    func ifLatest(_ tap: Int, _ write: () throws -> Void) throws -> Bool {
        writing.lock()
        defer { writing.unlock() }
        guard isLatest(tap) else { return false }
        try write()
        return true
    }
}
