import Foundation
import HealthKit

/// Writes to Apple Health as docs/health-platforms.md maps it, only after
/// the user turned it on: steps by the minute (`.stepCount`), finished walks
/// as walking workouts, calf-raise and ankle-pump sets as workouts with their
/// reps, and drinks (`.dietaryWater`). Every sample carries
/// `HKMetadataKeySyncIdentifier` ("minute:<UTC epoch ms>", "walk:<start ms>",
/// "set:<kind>:<start ms>", "drink:<ms>"), so writing the same one again
/// replaces it instead of doubling it; the sync version is the time of the
/// write, so a later write wins.
/// Nothing is read back. Runs after every change the core commits, off the
/// main thread, one write at a time.
final class HealthWriter: @unchecked Sendable {
    private let core: AppCore
    private let store = HKHealthStore()
    private let serial = DispatchQueue(label: "app.secondheart.health")
    /// What was written since launch: sync identifier → value, to skip unchanged minutes.
    private var written: [String: Double] = [:]
    private var writing = false
    private var again = false
    private static let enabledKey = "healthWrites"
    /// The workout metadata key for a set's repetitions (HealthKit has none of its own).
    static let repsKey = "app.secondheart.repetitions"

    private static func milliseconds(_ at: Date) -> Int64 {
        Int64((at.timeIntervalSince1970 * 1000).rounded())
    }

    private var shareTypes: Set<HKSampleType> {
        [HKQuantityType(.stepCount), HKQuantityType(.dietaryWater), HKObjectType.workoutType()]
    }

    init(core: AppCore) {
        self.core = core
        core.observe { [weak self] today in self?.changed(date: today.date) }
    }

    /// Whether the user turned the writes on (and Health is on this device).
    var enabled: Bool {
        HKHealthStore.isHealthDataAvailable() && UserDefaults.standard.bool(forKey: Self.enabledKey)
    }

    /// Asks for permission to write, and writes today when given.
    func enable() {
        guard HKHealthStore.isHealthDataAvailable() else { return }
        store.requestAuthorization(toShare: shareTypes, read: []) { [weak self] ok, _ in
            guard ok, let self else { return }
            UserDefaults.standard.set(true, forKey: Self.enabledKey)
            self.changed(date: Formats.isoDay(Date()))
        }
    }

    private func changed(date: String) {
        guard enabled else { return }
        serial.async {
            // One write at a time; changes during a write are caught up once it ends.
            if self.writing { self.again = true; return }
            self.writing = true
            Task {
                repeat {
                    self.serial.sync { self.again = false }
                    await self.write(date: date)
                } while self.serial.sync(execute: { self.again })
                self.serial.sync { self.writing = false }
            }
        }
    }

    private func write(date: String) async {
        let app = core.app
        guard let day = try? app.history().dayMinutes(date: date),
              let walks = try? app.sessions().walksOn(date: date),
              let sets = try? app.sessions().setsOn(date: date),
              let drinks = try? app.sessions().drinksOn(date: date) else { return }
        let version = Int(Date().timeIntervalSince1970)
        let before = serial.sync { written }
        var changed: [String: Double] = [:]
        var samples: [HKQuantitySample] = []
        // Each minute's start: the runs of consecutive minutes (two on a date lived twice).
        let starts = day.runs.flatMap { run in (0..<Int(run.minutes)).map { run.start.addingTimeInterval(Double($0) * 60) } }
        for (minute, start) in zip(day.minutes, starts) where minute.steps > 0 {
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
        for drink in drinks {
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
