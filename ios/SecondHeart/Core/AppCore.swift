import Foundation

/// The phone's clock and zone, as the Rust core reads them: the zone at
/// every call (`autoupdatingCurrent`; `current` is a snapshot the system
/// caches, and a traveller's core would have kept the zone it took off in).
final class SystemClock: Clock, @unchecked Sendable {
    func now() throws -> Date { Date() }
    func timeZone() throws -> String { TimeZone.autoupdatingCurrent.identifier }
}

/// The app's one open database, shared by every screen's model.
///
/// Every call into the core is blocking SQLite work of a few milliseconds,
/// so `run` makes it on a background task, never on the main thread. The
/// core tells the app when Today changed (`observeToday`); `AppCore` hands
/// each new `TodayView` to every observer that asked (the Today screen,
/// the notification scheduler, the HealthKit writer).
final class AppCore: @unchecked Sendable {
    /// The core's handle on the database.
    let app: SecondHeart
    private var subscription: TodaySubscription?
    private let lock = NSLock()
    private var observers: [UUID: @Sendable (TodayView) -> Void] = [:]

    /// Opens `second-heart.db` in the app's Application Support folder,
    /// which iCloud and computer backups leave out: health data stays on
    /// the device (the user moves it with the app's own backup).
    static func openDefault() throws -> AppCore {
        var folder = try FileManager.default.url(
            for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
        // On the folder, not the file: SQLite creates its journal files beside
        // the database, and "delete everything" on a full disk creates the
        // database anew; both stay excluded.
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        try folder.setResourceValues(values)
        let path = folder.appendingPathComponent("second-heart.db").path
        // No database yet: a new install, or a phone restored from a backup,
        // which holds the settings but not the data. The welcome shows
        // again (as Android's `PhoneFirstRun.settle`), with its restore.
        if !FileManager.default.fileExists(atPath: path) {
            UserDefaults.standard.set(false, forKey: FirstRunRecord.key)
        }
        return AppCore(app: try SecondHeart.open(path: path, clock: SystemClock()))
    }

    init(app: SecondHeart) {
        self.app = app
        subscription = app.observeToday(listener: TodayFanout(core: self))
    }

    deinit { subscription?.cancel() }

    /// Runs `work` on a background queue and returns its result (a
    /// continuation rather than `Task.detached`, whose result must be
    /// `Sendable`, which the generated records are only under Swift 6).
    func run<T>(_ work: @escaping @Sendable (SecondHeart) throws -> T) async throws -> T {
        let app = self.app
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try work(app) })
            }
        }
    }

    /// Calls `observer` with every new Today, on the thread that made the
    /// change; returns a token for `stopObserving`.
    @discardableResult
    func observe(_ observer: @escaping @Sendable (TodayView) -> Void) -> UUID {
        let token = UUID()
        lock.lock()
        observers[token] = observer
        lock.unlock()
        return token
    }

    /// Stops the calls to the observer behind `token`.
    func stopObserving(_ token: UUID) {
        lock.lock()
        observers[token] = nil
        lock.unlock()
    }

    fileprivate func changed(_ today: TodayView) {
        lock.lock()
        let current = Array(observers.values)
        lock.unlock()
        current.forEach { $0(today) }
    }
}

/// The core's Today listener: hands each new Today to `AppCore`'s observers.
private final class TodayFanout: TodayListener, @unchecked Sendable {
    private weak var core: AppCore?

    init(core: AppCore) { self.core = core }

    func todayChanged(today: TodayView) throws {
        core?.changed(today)
    }
}

/// The message a screen shows for an error: the core's English text, begun
/// with a capital as a sentence on a screen is, or the platform's
/// description. The same rule as the Android app's `userMessage`.
func userMessage(_ error: Error) -> String { sentence(userReason(error)) }

/// An error as the end of a screen's own sentence ("The sensor stopped
/// counting: …"): the core's words as it says them, or the platform's.
func userReason(_ error: Error) -> String {
    if let error = error as? SecondHeartError { return error.description }
    if error is CancellationError { return "cancelled" }
    return error.localizedDescription
}

/// What the user can do when the data could not be opened at launch: the
/// advice follows the cause (Android's `openFailure` without a Try again
/// button: the app is opened again).
func openAdvice(_ error: Error) -> String {
    switch error as? SecondHeartError {
    case .DatabaseTooNew?: return "A newer version of Second Heart wrote it: update the app, then open it again."
    case .DiskFull?: return "Free some space on this device, then open Second Heart again."
    case .DatabaseCorrupt?:
        return "The file is damaged, and opening it again will not mend it. To start afresh, delete Second Heart and "
            + "install it again, then restore a backup you kept, from Settings."
    default: return "Open Second Heart again; if it keeps failing, restart the device."
    }
}

/// `text` begun with a capital, as a sentence shown on its own.
func sentence(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }
