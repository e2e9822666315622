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
    /// main actor; an error becomes `message`. The task returned ends once
    /// `done` has run (pull to refresh awaits it).
    @discardableResult
    func perform<T>(_ work: @escaping @Sendable (SecondHeart) throws -> T, then done: @escaping (T) -> Void) -> Task<Void, Never> {
        perform(work, failed: { [weak self] error in self?.message = userMessage(error) }, then: done)
    }

    /// Runs `work` off the main thread, then `done` with its result, or
    /// `failed` with its error, on the main actor; the task returned ends
    /// after either.
    @discardableResult
    func perform<T>(
        _ work: @escaping @Sendable (SecondHeart) throws -> T,
        failed: @escaping (Error) -> Void,
        then done: @escaping (T) -> Void
    ) -> Task<Void, Never> {
        Task { @MainActor in
            do {
                done(try await core.run(work))
            } catch {
                failed(error)
            }
        }
    }
}
