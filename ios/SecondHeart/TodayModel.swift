import Foundation

/// The phone's clock and zone, as the Rust core reads them.
final class SystemClock: Clock, @unchecked Sendable {
    func now() throws -> Date { Date() }
    func timeZone() throws -> String { TimeZone.current.identifier }
}

/// Drives the home screen over the Rust core. Calls run off the main
/// thread because the core does blocking SQLite work; the core tells the
/// model when Today changed, so nothing polls.
@MainActor
final class TodayModel: ObservableObject {
    @Published private(set) var today: TodayView?
    @Published private(set) var formError: String?
    @Published private(set) var fatalError: String?

    private let core: SecondHeart?
    private var subscription: TodaySubscription?

    init() {
        do {
            let dir = try FileManager.default.url(
                for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
            core = try SecondHeart.open(
                path: dir.appendingPathComponent("second-heart.db").path, clock: SystemClock())
        } catch {
            core = nil
            fatalError = error.localizedDescription
        }
        subscription = core?.observeToday(listener: TodayObserver(model: self))
        refresh()
    }

    /// Reloads Today in the user's zone.
    func refresh() {
        guard let core else { return }
        Task.detached {
            let today = try? core.today().view()
            await MainActor.run { self.today = today }
        }
    }

    fileprivate func show(_ today: TodayView) {
        self.today = today
    }

    /// Logs a walk that has just ended; `minutes` and `steps` are the form's text.
    func logFinishedWalk(minutes: String, steps: String) {
        guard let core else { return }
        guard let minutes = Int64(minutes.trimmingCharacters(in: .whitespaces)),
              let steps = Int64(steps.trimmingCharacters(in: .whitespaces)) else {
            formError = "Enter whole numbers for minutes and steps."
            return
        }
        let start = Date().addingTimeInterval(TimeInterval(-minutes * 60))
        Task.detached {
            do {
                _ = try core.sessions().logWalk(
                    start: start, timeZone: nil, durationSeconds: minutes * 60, steps: steps)
                await MainActor.run { self.formError = nil }
            } catch let error as SecondHeartError {
                await MainActor.run { self.formError = error.localizedDescription }
            }
        }
    }
}

/// Hands each new Today to the model on the main actor.
private final class TodayObserver: TodayListener, @unchecked Sendable {
    private weak var model: TodayModel?

    init(model: TodayModel) { self.model = model }

    func todayChanged(today: TodayView) throws {
        Task { @MainActor [weak model] in model?.show(today) }
    }
}
