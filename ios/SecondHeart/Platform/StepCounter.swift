import CoreMotion
import Foundation

/// The phone's own step counter (Core Motion), for a walk without a sensor:
/// it reports the steps taken since the last report, which the walk model
/// hands to the core as `SessionEvent.steps`.
final class StepCounter {
    private let pedometer = CMPedometer()
    private var reported: Int = 0
    /// When the updates started: what they count from.
    private var since = Date()
    /// Whom the counts go to.
    private var onSteps: ((UInt32) -> Void)?
    /// Which start the counts belong to: a count asked for as one walk's
    /// counter stopped, arriving once the next walk's has started, is not
    /// the next walk's.
    private var generation = 0
    /// Whether updates are on.
    private(set) var counting = false

    /// Whether this phone counts steps (and the user has not refused Motion & Fitness).
    var available: Bool {
        CMPedometer.isStepCountingAvailable() && CMPedometer.authorizationStatus() != .denied
    }

    /// Starts counting; `onSteps` gets each increase, on the main queue.
    /// The first start asks the user for Motion & Fitness access.
    func start(onSteps: @escaping (UInt32) -> Void) {
        guard CMPedometer.isStepCountingAvailable(), !counting else { return }
        counting = true
        reported = 0
        since = Date()
        generation += 1
        self.onSteps = onSteps
        let started = generation
        pedometer.startUpdates(from: since) { [weak self] data, _ in
            self?.hand(on: data, of: started)
        }
    }

    /// Stops counting. The steps taken since the last report that the
    /// updates have not delivered yet (the app was suspended with the phone
    /// locked, and stops the counter on its first read after waking) are
    /// asked for once more and handed on: the core decides whether they
    /// are the walk's (a walking pace since its last count) or come too
    /// late.
    func stop() {
        guard counting else { return }
        counting = false
        pedometer.stopUpdates()
        let stopped = generation
        pedometer.queryPedometerData(from: since, to: Date()) { [weak self] data, _ in
            self?.hand(on: data, of: stopped)
        }
    }

    /// Hands the increase of `data`'s total over the last report on, on
    /// the main queue, while the counting it belongs to (`started`) is the
    /// latest.
    private func hand(on data: CMPedometerData?, of started: Int) {
        guard let data else { return }
        let total = data.numberOfSteps.intValue
        DispatchQueue.main.async {
            guard started == self.generation else { return }
            let delta = total - self.reported
            guard delta > 0, let onSteps = self.onSteps else { return }
            self.reported = total
            onSteps(UInt32(clamping: delta))
        }
    }
}
