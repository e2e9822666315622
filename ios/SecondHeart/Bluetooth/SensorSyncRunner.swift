import Foundation

/// Runs one sensor sync into the app's database on the library's runtime:
/// pairing (the first sync of the sensor at `address`) when `serial` is nil,
/// else a sync of the paired sensor `serial`. Cancelling the Swift task
/// cancels the library's `TaskHandle`: the sensor is told to stop, the link
/// dropped, what was stored stays, and the call throws `SyncCancelled`.
enum SensorSyncRunner {
    static func run(
        core: SecondHeart,
        link: BleLink,
        address: String,
        serial: String?,
        progress: @escaping @Sendable (UInt32, UInt32) -> Void
    ) async throws -> SyncReport {
        try await withLibraryTask { (once: OnceContinuation<SyncReport>) in
            let listener = SyncContinuation(once, progress: progress)
            if let serial {
                return try core.sensors().sync(serial: serial, link: link, listener: listener)
            }
            return try core.sensors().pair(link: link, address: address, listener: listener)
        }
    }
}

/// The sync's listener: progress as it comes, and the one result resumes the task.
private final class SyncContinuation: SyncListener, @unchecked Sendable {
    private let once: OnceContinuation<SyncReport>
    private let progress: @Sendable (UInt32, UInt32) -> Void

    init(_ once: OnceContinuation<SyncReport>, progress: @escaping @Sendable (UInt32, UInt32) -> Void) {
        self.once = once
        self.progress = progress
    }

    func onProgress(recordsDone: UInt32, recordsTotal: UInt32) throws {
        progress(recordsDone, recordsTotal)
    }

    func onFinished(report: SyncReport) throws {
        once.resume(returning: report)
    }

    func onFailed(error: SecondHeartError) throws {
        once.resume(throwing: error)
    }
}
