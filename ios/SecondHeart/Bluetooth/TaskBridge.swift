import Foundation

/// The task handle, once the library has returned it; a cancel that comes
/// first is remembered and applied when it arrives.
final class HandleBox: @unchecked Sendable {
    private let lock = NSLock()
    private var handle: TaskHandle?
    private var cancelled = false

    func set(_ handle: TaskHandle) {
        lock.lock()
        self.handle = handle
        let cancel = cancelled
        lock.unlock()
        if cancel { handle.cancel() }
    }

    func cancel() {
        lock.lock()
        cancelled = true
        let current = handle
        lock.unlock()
        current?.cancel()
    }
}

/// A continuation resumed at most once, from whichever of the library's
/// threads ends the work first (a listener's result, or a call that threw).
final class OnceContinuation<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Error>?

    init(_ continuation: CheckedContinuation<T, Error>) {
        self.continuation = continuation
    }

    private func take() -> CheckedContinuation<T, Error>? {
        lock.lock()
        defer { lock.unlock() }
        let current = continuation
        continuation = nil
        return current
    }

    func resume(returning value: T) {
        take()?.resume(returning: value)
    }

    func resume(throwing error: Error) {
        take()?.resume(throwing: error)
    }
}

/// Waits for library work that reports one result through a listener:
/// `start` begins it (on the library's runtime) with a listener built
/// around the continuation it is handed, and returns its task handle; a
/// start that throws ends the wait with that error. Cancelling the Swift
/// task cancels the handle, and the wait ends when the library reports the
/// end (a sync's `SyncCancelled`, a model run's `Cancelled`), so the work
/// never outlives the call.
func withLibraryTask<T>(_ start: (OnceContinuation<T>) throws -> TaskHandle) async throws -> T {
    let box = HandleBox()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            let once = OnceContinuation(continuation)
            do {
                box.set(try start(once))
            } catch {
                once.resume(throwing: error)
            }
        }
    } onCancel: {
        box.cancel()
    }
}
