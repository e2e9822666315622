import Foundation

/// The base of every screen's view model: it publishes a message for the
/// screen and runs core calls off the main thread, handing results back on
/// the main actor.
@MainActor
class CoreModel: ObservableObject {
    /// The core this model draws from.
    let core: AppCore
    /// What the screen says after an action ("Saved", or what went wrong).
    @Published var message: String?

    init(core: AppCore) {
        self.core = core
    }

    /// Runs `work` off the main thread, then `done` with its result on the
    /// main actor; an error becomes `message` (or goes to `failed`).
    func perform<T>(
        _ work: @escaping @Sendable (SecondHeart) throws -> T,
        failed: ((Error) -> Void)? = nil,
        then done: @escaping (T) -> Void = { _ in }
    ) {
        Task { @MainActor in
            do {
                done(try await core.run(work))
            } catch {
                if let failed { failed(error) } else { message = userMessage(error) }
            }
        }
    }
}
