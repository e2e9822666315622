import Foundation

/// Runs one pump-model request on the library's runtime. Cancelling the
/// Swift task cancels the library's `TaskHandle`: the core stops the run at
/// its next progress check, and the call throws `Cancelled` once it has, so
/// a newer run never overlaps an outdated one still working (as Android's
/// `PumpModel.compute`).
enum ModelRunner {
    static func run(_ model: PumpModel, _ request: ModelRequest) async throws -> ModelResult {
        try await withLibraryTask { (once: OnceContinuation<ModelResult>) in
            try model.start(request: request, listener: ModelContinuation(once))
        }
    }
}

/// The run's listener: its one result resumes the task.
private final class ModelContinuation: ModelListener, @unchecked Sendable {
    private let once: OnceContinuation<ModelResult>

    init(_ once: OnceContinuation<ModelResult>) {
        self.once = once
    }

    func onProgress(fraction: Double) throws {}

    func onFinished(result: ModelResult) throws {
        once.resume(returning: result)
    }

    func onFailed(error: SecondHeartError) throws {
        once.resume(throwing: error)
    }
}
