import Foundation

/// Streams live data from the paired sensor `serial` on the library's
/// runtime until the Swift task is cancelled (or `settings.seconds` pass):
/// every frame reaches `onFrame` with the running session's progress when a
/// `counter` counts it, every RSC reading `onCadence`, and `onNotCounted`
/// whenever the counter could not count or save a frame (that frame still
/// reaches `onFrame`, without progress), all on the library's threads.
/// Cancelling the task cancels the `TaskHandle`: the sensor is told
/// to stop and the link dropped; the call returns what was received.
enum SensorLiveRunner {
    static func run(
        core: SecondHeart,
        serial: String,
        link: BleLink,
        settings: LiveSettings,
        counter: LiveSessionCounter?,
        onFrame: @escaping @Sendable (LiveFrame, LiveProgress?) -> Void,
        onCadence: @escaping @Sendable (CadenceReading) -> Void,
        onNotCounted: @escaping @Sendable (SecondHeartError) -> Void
    ) async throws -> LiveSummary {
        try await withLibraryTask { (once: OnceContinuation<LiveSummary>) in
            let listener = LiveContinuation(once, onFrame: onFrame, onCadence: onCadence, onNotCounted: onNotCounted)
            return try core.sensors().live(serial: serial, link: link, settings: settings, counter: counter, listener: listener)
        }
    }
}

/// The live listener: frames and readings as they come, and the one end resumes the task.
private final class LiveContinuation: LiveListener, @unchecked Sendable {
    private let once: OnceContinuation<LiveSummary>
    private let frame: @Sendable (LiveFrame, LiveProgress?) -> Void
    private let cadence: @Sendable (CadenceReading) -> Void
    private let notCounted: @Sendable (SecondHeartError) -> Void

    init(
        _ once: OnceContinuation<LiveSummary>,
        onFrame: @escaping @Sendable (LiveFrame, LiveProgress?) -> Void,
        onCadence: @escaping @Sendable (CadenceReading) -> Void,
        onNotCounted: @escaping @Sendable (SecondHeartError) -> Void
    ) {
        self.once = once
        frame = onFrame
        cadence = onCadence
        notCounted = onNotCounted
    }

    func onFrame(frame: LiveFrame, progress: LiveProgress?) throws {
        self.frame(frame, progress)
    }

    func onNotCounted(error: SecondHeartError) throws {
        notCounted(error)
    }

    func onCadence(reading: CadenceReading) throws {
        cadence(reading)
    }

    func onFinished(summary: LiveSummary) throws {
        once.resume(returning: summary)
    }

    func onFailed(error: SecondHeartError) throws {
        once.resume(throwing: error)
    }
}
