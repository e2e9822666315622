import Foundation
import HealthKit

/// Writes to Apple Health as docs/health-platforms.md maps it, only after
/// the user turned it on: steps by the minute (`.stepCount`), finished walks
/// as walking workouts, calf-raise and ankle-pump sets as workouts with their
/// reps, and drinks (`.dietaryWater`). Every sample carries
/// `HKMetadataKeySyncIdentifier` ("minute:<UTC epoch ms>", "walk:<start ms>",
/// "set:<kind>:<start ms>", "drink:<ms>"), so writing the same one again
/// replaces it instead of doubling it; the sync version is the time of the
/// write in milliseconds, above every version written before, so a later
/// write wins (Health keeps a sample whose version only equals the new one's:
/// two writes in one second had kept the first minute's count).
/// Nothing is read back. Runs after every change the core commits (today's
/// date), off the main thread, one write at a time; after a sensor's sync,
/// at the first change after a launch, and when writing is turned on, the
/// last `catchUpDays` dates too, since a sync after days away fills them.
final class HealthWriter: @unchecked Sendable {
    private let core: AppCore
    private let store = HKHealthStore()
    private let serial = DispatchQueue(label: "app.secondheart.health")
    /// What was written since launch: sync identifier → value, to skip unchanged minutes.
    private var written: [String: Double] = [:]
    private var writing = false
    /// Dates to write once the write under way ends.
    private var pending: Set<String> = []
    /// The sync version of the last write (kept on `serial`).
    private var lastVersion: Int64 = 0
    /// Each paired sensor's last sync as last seen, to notice a sync
    /// (nil before the first change this launch).
    private var lastSyncs: [String: Date]?
    /// How many dates back a sync or turning writing on writes.
    static let catchUpDays = 7
    private static let enabledKey = "healthWrites"
    /// The workout metadata key for a set's repetitions (HealthKit has none of its own).
    static let repsKey = "app.secondheart.repetitions"
    /// Posted by a screen that took records back (a walk deleted, perhaps
    /// from an earlier day), with the sync identifiers they may have been
    /// written under (`idsKey`, `[String]`) and the dates they were on
    /// (`datesKey`, `[String]`): each is deleted from Health unless the core
    /// still holds it, and those dates and the recent ones are written again.
    static let recordsTakenBack = Notification.Name("app.secondheart.recordsTakenBack")
    static let idsKey = "ids"
    static let datesKey = "dates"
    /// Posted by a screen that added records to days other than today (a
    /// walk logged by hand for an earlier day), with their dates
    /// (`datesKey`): those dates are written too, however far back.
    static let recordsAdded = Notification.Name("app.secondheart.recordsAdded")
    /// Sync identifiers a screen said may be gone, checked when their date is
    /// next written (kept on `serial`).
    private var mayBeGone: Set<String> = []
    private var takenBack: NSObjectProtocol?
    private var added: NSObjectProtocol?

    private static func milliseconds(_ at: Date) -> Int64 {
        Int64((at.timeIntervalSince1970 * 1000).rounded())
    }

    private var shareTypes: Set<HKSampleType> {
        [HKQuantityType(.stepCount), HKQuantityType(.dietaryWater), HKObjectType.workoutType()]
    }

    init(core: AppCore) {
        self.core = core
        core.observe { [weak self] today in self?.observed(today) }
        takenBack = NotificationCenter.default.addObserver(forName: Self.recordsTakenBack, object: nil, queue: nil) { [weak self] note in
            guard let self, let ids = note.userInfo?[Self.idsKey] as? [String] else { return }
            let dates = note.userInfo?[Self.datesKey] as? [String] ?? []
            self.serial.async { self.mayBeGone.formUnion(ids) }
            self.changed(dates: Array(Set(Self.lastDates(Self.catchUpDays) + dates)))
        }
        added = NotificationCenter.default.addObserver(forName: Self.recordsAdded, object: nil, queue: nil) { [weak self] note in
            guard let self, let dates = note.userInfo?[Self.datesKey] as? [String] else { return }
            self.changed(dates: dates)
        }
    }

    /// Whether the user turned the writes on, Health is on this device, and
    /// Health still lets the app write something (the user may take it
    /// back in the Health app's Sharing settings).
    var enabled: Bool {
        HKHealthStore.isHealthDataAvailable() && UserDefaults.standard.bool(forKey: Self.enabledKey) && allowed
    }

    /// Whether the user turned the writes on (Health may since have taken
    /// its permission back: see `enabled`).
    var turnedOn: Bool {
        UserDefaults.standard.bool(forKey: Self.enabledKey)
    }

    /// Stops writing: nothing more goes to Health, and what this launch
    /// wrote is forgotten, so nothing is deleted from Health for being gone
    /// from the app ("delete everything on this phone only" keeps Health's
    /// copy). What was written stays in Health. A write under way stops at
    /// its next date, or before it deletes anything.
    func disable() {
        UserDefaults.standard.set(false, forKey: Self.enabledKey)
        serial.async {
            self.written = [:]
            self.pending = []
            self.mayBeGone = []
        }
    }

    /// Turns writing back on after `disable`, without asking Health again:
    /// the delete it was turned off for did not happen.
    func resume() {
        UserDefaults.standard.set(true, forKey: Self.enabledKey)
    }

    /// Whether Health lets the app write any of what it writes.
    private var allowed: Bool {
        shareTypes.contains(where: allows)
    }

    /// Whether Health lets the app write `type`: each is written only if
    /// allowed, so water refused still lets steps and workouts through.
    private func allows(_ type: HKSampleType) -> Bool {
        store.authorizationStatus(for: type) == .sharingAuthorized
    }

    /// Asks for permission to write; once given, writes the last
    /// `catchUpDays` dates. `answer` hears, on any thread, whether writing
    /// is on (false: Health is not on this device, or the user did not
    /// allow it: the system sheet's answer says only that it was asked).
    func enable(answer: @escaping @Sendable (Bool) -> Void) {
        guard HKHealthStore.isHealthDataAvailable() else { return answer(false) }
        store.requestAuthorization(toShare: shareTypes, read: []) { [weak self] _, _ in
            guard let self, self.allowed else { return answer(false) }
            UserDefaults.standard.set(true, forKey: Self.enabledKey)
            self.changed(dates: Self.lastDates(Self.catchUpDays))
            answer(true)
        }
    }

    /// A change the core committed: today's date, and the last dates too
    /// when a sensor's sync ended since the last change.
    private func observed(_ today: TodayView) {
        let date = today.date
        let syncs = Dictionary(today.sensors.compactMap { s in s.lastSync.map { (s.serial, $0) } },
                               uniquingKeysWith: { first, _ in first })
        serial.async {
            // A sensor synced (or paired) since the last change brought
            // records of the days before too; the first change after a
            // launch (perhaps one to sync in the background) writes them too.
            let synced = self.lastSyncs.map { seen in syncs.contains { sensor, at in seen[sensor] != at } } ?? true
            self.lastSyncs = syncs
            self.changed(dates: synced ? Self.lastDates(Self.catchUpDays) : [date])
        }
    }

    /// The last `count` dates, today's last, as the core names them.
    private static func lastDates(_ count: Int) -> [String] {
        (0..<count).reversed().compactMap { back in
            Calendar.autoupdatingCurrent.date(byAdding: .day, value: -back, to: Date()).map { Formats.isoDay($0) }
        }
    }

    private func changed(dates: [String]) {
        guard enabled else { return }
        serial.async {
            // One write at a time; dates changed during a write are written once it ends.
            self.pending.formUnion(dates)
            if self.writing { return }
            self.writing = true
            Task {
                while let next = self.serial.sync(execute: { () -> [String]? in
                    guard !self.pending.isEmpty else {
                        self.writing = false
                        return nil
                    }
                    defer { self.pending.removeAll() }
                    return self.pending.sorted()
                }) {
                    for date in next { await self.write(date: date) }
                }
            }
        }
    }

    private func write(date: String) async {
        guard enabled else { return }
        // What this write may find gone, taken before the core is read: ids
        // posted after the read are for the write that follows.
        let (version, before, suspects) = serial.sync { () -> (Int, [String: Double], Set<String>) in
            lastVersion = max(Self.milliseconds(Date()), lastVersion + 1)
            return (Int(lastVersion), written, mayBeGone)
        }
        let app = core.app
        guard let day = try? app.history().dayMinutes(date: date),
              let walks = try? app.sessions().walksOn(date: date),
              let sets = try? app.sessions().setsOn(date: date),
              let drinks = try? app.sessions().drinksOn(date: date) else { return }
        var changed: [String: Double] = [:]
        var samples: [HKQuantitySample] = []
        let (steps, water) = (allows(HKQuantityType(.stepCount)), allows(HKQuantityType(.dietaryWater)))
        // Each minute's start: the runs of consecutive minutes (two on a date lived twice).
        let starts = day.runs.flatMap { run in (0..<Int(run.minutes)).map { run.start.addingTimeInterval(Double($0) * 60) } }
        for (minute, start) in zip(day.minutes, starts) where steps && minute.steps > 0 {
            let id = "minute:\(Self.milliseconds(start))"
            let count = Double(minute.steps)
            guard before[id] != count else { continue }
            changed[id] = count
            samples.append(HKQuantitySample(
                type: HKQuantityType(.stepCount),
                quantity: HKQuantity(unit: .count(), doubleValue: count),
                start: start, end: start.addingTimeInterval(60),
                metadata: [HKMetadataKeySyncIdentifier: id, HKMetadataKeySyncVersion: version]))
        }
        // Turned off meanwhile (everything deleted on this phone only): Health keeps what it has.
        guard turnedOn else { return }
        await deleteGone(from: Set(before.keys).union(suspects), minutes: Array(zip(day.minutes, starts)), walks: walks)
        for drink in drinks where water {
            let id = "drink:\(Self.milliseconds(drink.at))"
            guard before[id] == nil else { continue }
            changed[id] = Double(drink.ml)
            samples.append(HKQuantitySample(
                type: HKQuantityType(.dietaryWater),
                quantity: HKQuantity(unit: .literUnit(with: .milli), doubleValue: Double(drink.ml)),
                start: drink.at, end: drink.at.addingTimeInterval(1),
                metadata: [HKMetadataKeySyncIdentifier: id, HKMetadataKeySyncVersion: version]))
        }
        if !samples.isEmpty, (try? await store.save(samples)) != nil {
            serial.sync { written.merge(changed) { _, new in new } }
        }
        guard allows(HKObjectType.workoutType()) else { return }
        for set in sets where set.kind == .calfRaises || set.kind == .anklePumps {
            let calf = set.kind == .calfRaises
            let id = "set:\(calf ? "calf-raises" : "ankle-pumps"):\(Self.milliseconds(set.started))"
            guard before[id] == nil else { continue }
            let metadata: [String: Any] = [
                HKMetadataKeySyncIdentifier: id, HKMetadataKeySyncVersion: version, Self.repsKey: Int(set.reps),
            ]
            if await saveWorkout(calf ? .functionalStrengthTraining : .flexibility,
                                 start: set.started, end: set.ended, metadata: metadata) {
                serial.sync { written[id] = Double(set.reps) }
            }
        }
        for walk in walks {
            // Named by its start: row ids come again after delete-all or a
            // restore, and a new walk would replace an old one in Health.
            let id = "walk:\(Self.milliseconds(walk.start))"
            guard before[id] == nil else { continue }
            let end = walk.start.addingTimeInterval(TimeInterval(walk.durationSeconds))
            let metadata: [String: Any] = [
                HKMetadataKeySyncIdentifier: id, HKMetadataKeySyncVersion: version, HKMetadataKeyTimeZone: walk.timeZone,
            ]
            if await saveWorkout(.walking, start: walk.start, end: end, metadata: metadata) {
                serial.sync { written[id] = 1 }
            }
        }
    }

    /// Deletes, of `candidates` (what this launch wrote, and what a screen
    /// said may be gone), those on the date of `minutes` (each with its start)
    /// that the core no longer holds: a minute whose steps were taken back (a
    /// walk logged by hand deleted, or one yielding to the sensor's minutes)
    /// and a walk deleted. What an earlier launch wrote and no screen named
    /// is not known here and stays.
    private func deleteGone(from candidates: Set<String>, minutes: [(MinutePoint, Date)], walks: [Walk]) async {
        guard let first = minutes.first?.1, let last = minutes.last?.1 else { return }
        let end = last.addingTimeInterval(60)
        let onDate = Set(minutes.map { "minute:\(Self.milliseconds($0.1))" })
        let stepping = Set(minutes.filter { $0.0.steps > 0 }.map { "minute:\(Self.milliseconds($0.1))" })
        let logged = Set(walks.map { "walk:\(Self.milliseconds($0.start))" })
        let walkOnDate = { (id: String) -> Bool in
            guard id.hasPrefix("walk:"), let ms = Int64(id.dropFirst(5)) else { return false }
            let start = Date(timeIntervalSince1970: Double(ms) / 1000)
            return start >= first && start < end
        }
        let examined = candidates.filter { onDate.contains($0) || walkOnDate($0) }
        let gone = examined.filter { onDate.contains($0) ? !stepping.contains($0) : !logged.contains($0) }
        let steps = gone.filter { $0.hasPrefix("minute:") }
        let workouts = gone.filter { $0.hasPrefix("walk:") }
        var deleted = Set<String>()
        if await delete(Array(steps), of: HKQuantityType(.stepCount)) { deleted.formUnion(steps) }
        if await delete(Array(workouts), of: HKObjectType.workoutType()) { deleted.formUnion(workouts) }
        // What is still held was examined and needs no second look; what could not be deleted is tried again.
        let settled = examined.subtracting(gone.subtracting(deleted))
        serial.sync {
            for id in deleted { written[id] = nil }
            mayBeGone.subtract(settled)
        }
    }

    /// Deletes what Second Heart wrote of `type` under the sync identifiers
    /// `ids`; true when it is gone (or none was there).
    private func delete(_ ids: [String], of type: HKObjectType) async -> Bool {
        guard !ids.isEmpty else { return true }
        let predicate = NSCompoundPredicate(andPredicateWithSubpredicates: [
            HKQuery.predicateForObjects(from: HKSource.default()),
            HKQuery.predicateForObjects(withMetadataKey: HKMetadataKeySyncIdentifier, allowedValues: ids),
        ])
        return await withCheckedContinuation { (done: CheckedContinuation<Bool, Never>) in
            store.deleteObjects(of: type, predicate: predicate) { success, _, error in
                done.resume(returning: success || (error as? HKError)?.code == .errorNoData)
            }
        }
    }

    /// Saves one workout through `HKWorkoutBuilder`; true when it was written.
    private func saveWorkout(_ type: HKWorkoutActivityType, start: Date, end: Date, metadata: [String: Any]) async -> Bool {
        let configuration = HKWorkoutConfiguration()
        configuration.activityType = type
        let builder = HKWorkoutBuilder(healthStore: store, configuration: configuration, device: .local())
        do {
            try await builder.beginCollection(at: start)
            try await builder.addMetadata(metadata)
            try await builder.endCollection(at: end)
            return try await builder.finishWorkout() != nil
        } catch {
            builder.discardWorkout()
            return false
        }
    }

    /// Deletes every sample Second Heart wrote (by source), after delete-all asked.
    func deleteEverythingWritten() {
        guard HKHealthStore.isHealthDataAvailable() else { return }
        let ours = HKQuery.predicateForObjects(from: HKSource.default())
        for type in shareTypes {
            store.deleteObjects(of: type, predicate: ours) { _, _, _ in }
        }
        serial.async { self.written = [:] }
    }
}
