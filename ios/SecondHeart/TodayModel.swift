import Foundation

/// Drives the home screen over the Rust core. Calls run off the main
/// thread because the core does blocking SQLite work.
@MainActor
final class TodayModel: ObservableObject {
    @Published private(set) var summary: DaySummary?
    @Published private(set) var formError: String?
    @Published private(set) var fatalError: String?

    private let core: SecondHeart?

    init() {
        do {
            let dir = try FileManager.default.url(
                for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
            core = try SecondHeart.open(path: dir.appendingPathComponent("second-heart.db").path)
        } catch {
            core = nil
            fatalError = error.localizedDescription
        }
        refresh()
    }

    /// Reloads today's totals in the phone's current zone.
    func refresh() {
        guard let core else { return }
        let zone = TimeZone.current.identifier
        let date = Self.isoDate(Date(), in: TimeZone.current)
        Task.detached {
            let summary = try? core.daySummary(date: date, timeZone: zone)
            await MainActor.run { self.summary = summary }
        }
    }

    /// Logs a walk that has just ended; `minutes` and `steps` are the form's text.
    func logFinishedWalk(minutes: String, steps: String) {
        guard let core else { return }
        guard let minutes = Int64(minutes.trimmingCharacters(in: .whitespaces)),
              let steps = Int64(steps.trimmingCharacters(in: .whitespaces)) else {
            formError = "Enter whole numbers for minutes and steps."
            return
        }
        let now = Date()
        let zone = TimeZone.current.identifier
        Task.detached {
            do {
                _ = try core.logWalk(
                    start: now.addingTimeInterval(TimeInterval(-minutes * 60)),
                    timeZone: zone, durationSeconds: minutes * 60, steps: steps, now: now)
                await MainActor.run { self.formError = nil; self.refresh() }
            } catch let error as SecondHeartError {
                await MainActor.run { self.formError = error.localizedDescription }
            }
        }
    }

    private static func isoDate(_ date: Date, in zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}
