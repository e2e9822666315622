import CoreMotion
import Foundation

/// The phone's own step counter (Core Motion), for a walk without a sensor:
/// it reports the steps taken since the last report, which the walk model
/// hands to the core as `SessionEvent.steps`.
final class StepCounter {
    private let pedometer = CMPedometer()
    private var reported: Int = 0
    /// Whether updates are on.
    private(set) var counting = false

    /// Whether this phone counts steps (and the user has not refused Motion & Fitness).
    var available: Bool {
        CMPedometer.isStepCountingAvailable() && !refused
    }

    /// Whether the user (or a device policy) refused the app Motion & Fitness.
    var refused: Bool {
        let status = CMPedometer.authorizationStatus()
        return status == .denied || status == .restricted
    }

    /// Starts counting; `onSteps` gets each increase, on the main queue.
    /// The first start asks the user for Motion & Fitness access.
    func start(onSteps: @escaping (UInt32) -> Void) {
        guard CMPedometer.isStepCountingAvailable(), !counting else { return }
        counting = true
        reported = 0
        pedometer.startUpdates(from: Date()) { [weak self] data, _ in
            guard let self, let data else { return }
            let total = data.numberOfSteps.intValue
            DispatchQueue.main.async {
                let delta = total - self.reported
                guard delta > 0 else { return }
                self.reported = total
                onSteps(UInt32(clamping: delta))
            }
        }
    }

    /// Stops counting.
    func stop() {
        guard counting else { return }
        counting = false
        pedometer.stopUpdates()
    }
}
