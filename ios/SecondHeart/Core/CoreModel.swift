import Foundation

/// Something a screen shows for the day it happened on, kept with the
/// moment it was set: the next morning yesterday's "Set done: 20 reps" or
/// "Walk logged" would read as today's news, so a value from an earlier day
/// (in the phone's calendar and zone, as the core's) is not shown. The same
/// rule as the Android app's `ForToday`.
struct ForToday<Value> {
    private var held: (value: Value, at: Date)?

    /// The value, if it was set today; setting it dates it now (nil: nothing).
    var value: Value? {
        get { held.flatMap { Calendar.autoupdatingCurrent.isDateInToday($0.at) ? $0.value : nil } }
        set { held = newValue.map { ($0, Date()) } }
    }
}

/// What a screen's last action said, kept for the day it was said on.
typealias DayMessage = ForToday<String>

/// The base of every screen's view model: it publishes a message for the
/// screen and runs core calls off the main thread, handing results back on
/// the main actor.
@MainActor
class CoreModel: ObservableObject {
    /// The core this model draws from.
    let core: AppCore
    /// What the screen says after an action ("Saved", or what went wrong),
    /// on the day it was said only (`MessageRow` reads it out to VoiceOver).
    var message: String? {
        get { said.value }
        set { said.value = newValue }
    }
    @Published private var said = DayMessage()
    /// Whether `perform` runs this model's calls one after another (see `init`).
    private let serialActions: Bool
    /// The call a serial model asked for last: the next one waits for it.
    private var lastAction: Task<Void, Never>?

    /// With `serialActions`, the model's calls run one after another in the
    /// order they were asked for, each result handed back before the next
    /// call starts: two quick taps (Pause, then Resume) are done in their
    /// order, and a read asked for before a write never shows after it (as
    /// the Android app's serial models).
    init(core: AppCore, serialActions: Bool = false) {
        self.core = core
        self.serialActions = serialActions
    }

    /// The data was replaced (a backup restored, everything deleted): what
    /// the screen last said is of data no longer there, and goes.
    func dataReplaced() {
        message = nil
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
    /// after either. A serial model's call waits for the one asked before.
    @discardableResult
    func perform<T>(
        _ work: @escaping @Sendable (SecondHeart) throws -> T,
        failed: @escaping (Error) -> Void,
        then done: @escaping (T) -> Void
    ) -> Task<Void, Never> {
        let previous = serialActions ? lastAction : nil
        let action = Task { @MainActor in
            if let previous { await previous.value }
            do {
                done(try await core.run(work))
            } catch {
                failed(error)
            }
        }
        if serialActions { lastAction = action }
        return action
    }
}
