import Foundation
import UserNotifications

/// Break reminders as local notifications, from the core's schedule.
///
/// After every change the core commits (`observeToday`) and when the app
/// comes to the foreground, the next `limit` reminders of
/// `reminders().upcoming(limit)` replace the pending ones. Each request's
/// identifier comes from the reminder's due minute, so rescheduling the
/// same reminder replaces it rather than adding a second, and pending
/// requests that left the schedule are removed. The notification's actions
/// (Done, In 10 min, Not now — and dismissing it) go back to the core
/// through `reminders().respond`, which moves the schedule on; tapping it
/// opens the app.
///
/// One reminder at a time, as on Android: iOS delivers a follow-up beside
/// the reminder before it while the app sleeps, so whenever the app runs
/// (a reminder presented in the foreground, one answered or tapped, the app
/// brought forward) the earlier ones leave Notification Center. The core is
/// read and told, and the notifications changed, one task at a time on
/// `serial`, off the main thread.
final class ReminderNotifications: NSObject, UNUserNotificationCenterDelegate, @unchecked Sendable {
    static let category = "app.secondheart.reminder"
    static let prefix = "app.secondheart.reminder."
    static let done = "app.secondheart.reminder.done"
    static let snooze = "app.secondheart.reminder.snooze"
    static let notNow = "app.secondheart.reminder.dismiss"
    /// How many reminders are scheduled ahead (iOS keeps at most 64 per app).
    static let limit: UInt32 = 8

    private let core: AppCore
    private let center = UNUserNotificationCenter.current()
    private let serial = DispatchQueue(label: "app.secondheart.reminders")

    init(core: AppCore) {
        self.core = core
        super.init()
        center.delegate = self
        center.setNotificationCategories([
            UNNotificationCategory(
                identifier: Self.category,
                actions: [
                    UNNotificationAction(identifier: Self.done, title: "Done", options: []),
                    UNNotificationAction(identifier: Self.snooze, title: "In 10 min", options: []),
                    UNNotificationAction(identifier: Self.notNow, title: "Not now", options: []),
                ],
                intentIdentifiers: [],
                options: [.customDismissAction]),
        ])
        // Every commit reaches here (each step or rep counted); the schedule
        // follows the next reminder, which the view carries: read it again
        // only when that moved (as Android's PhoneReminders does).
        core.observe { [weak self] today in self?.nextBreakMoved(to: today.nextBreak) }
    }

    /// The next reminder the last Today view carried (on `serial`).
    private var lastNext: Reminder?

    private func nextBreakMoved(to next: Reminder?) {
        serial.async {
            guard next != self.lastNext else { return }
            // Kept only once the schedule is read: a failed read tries again with the next change.
            if self.replacePending() { self.lastNext = next }
        }
    }

    /// The stable identifier of a reminder: its due minute.
    static func identifier(_ reminder: Reminder) -> String {
        prefix + String(Int64(reminder.dueAt.timeIntervalSince1970 / 60))
    }

    /// Asks once for permission to alert; reschedules when granted.
    func requestPermission() {
        center.requestAuthorization(options: [.alert, .sound, .badge]) { [weak self] granted, _ in
            // Alerts just allowed: a reminder due already had nothing to say so.
            if granted { self?.reschedule(postingOverdue: true) }
        }
    }

    /// Whether the user blocked the app's alerts (refused them, or turned
    /// them off in Settings): no reminder can show then.
    func blocked() async -> Bool {
        let settings = await center.notificationSettings()
        return settings.authorizationStatus == .denied || settings.alertSetting == .disabled
    }

    /// Replaces the pending reminders with the core's schedule (off the main
    /// thread); with `postingOverdue`, the reminder due already is shown at
    /// once unless Notification Center holds a reminder: alerts just allowed, or an
    /// interval just shortened, made it due with nothing to say so.
    func reschedule(postingOverdue: Bool = false) {
        serial.async { self.replacePending(postingOverdue: postingOverdue) }
    }

    /// The app came to the foreground: the reminders delivered while it
    /// slept are told to the core as shown (so the follow-ups go on from
    /// them instead of starting the series again), only the newest stays in
    /// Notification Center, and the schedule is read again.
    func foreground() {
        serial.async {
            self.removeDelivered { delivered in
                // A core that cannot be told leaves the schedule as the core has it.
                if !delivered.isEmpty {
                    _ = try? self.core.app.reminders().delivered(at: delivered.map(\.date))
                }
                return delivered.max { $0.date < $1.date }?.request.identifier
            }
            self.replacePending()
        }
    }

    /// Replaces the pending reminders with the core's schedule, on
    /// `serial`, returning once iOS has them: the next replacement then
    /// reads this one's requests, so none of an older schedule is left
    /// pending. A core that cannot be read leaves the pending ones as they
    /// are (as on Android): an empty schedule would remove them all. True
    /// when the schedule was read.
    @discardableResult
    private func replacePending(postingOverdue: Bool = false) -> Bool {
        // Only reminders still ahead: one overdue (due at the core's now) may
        // have been delivered while the app was suspended, which the core
        // hears only at `foreground()`; set again here it would alert twice.
        // (Android keeps it: its alarm tells the core when it goes off.)
        // Unless asked, and Notification Center holds no reminder.
        guard let upcoming = try? core.app.reminders().upcoming(limit: Self.limit) else { return false }
        var due = upcoming.filter { $0.dueAt > Date() }
        let overdue = upcoming.last { $0.dueAt <= Date() }
        if postingOverdue, let overdue, !holdsAReminder() {
            due.insert(overdue, at: 0)
        }
        let requests = due.map { reminder -> UNNotificationRequest in
            let content = UNMutableNotificationContent()
            content.title = reminder.title
            content.body = reminder.body
            content.sound = reminder.level == .gentle ? nil : .default
            content.categoryIdentifier = Self.category
            content.interruptionLevel = reminder.level == .firm ? .timeSensitive : .active
            // An interval, not a calendar date: the core's instants stay right when the phone changes zone.
            return UNNotificationRequest(
                identifier: Self.identifier(reminder), content: content,
                trigger: UNTimeIntervalNotificationTrigger(timeInterval: max(1, reminder.dueAt.timeIntervalSinceNow), repeats: false))
        }
        // One posted a moment ago to show at once stays pending: a change
        // read meanwhile (its due time is the core's now) must not take it back.
        let keep = Set(requests.map(\.identifier) + [overdue].compactMap { $0 }.map(Self.identifier))
        let pending = Answer<[UNNotificationRequest]>()
        center.getPendingNotificationRequests { pending.set($0) }
        let stale = (pending.get() ?? []).map(\.identifier).filter { $0.hasPrefix(Self.prefix) && !keep.contains($0) }
        center.removePendingNotificationRequests(withIdentifiers: stale)
        let added = DispatchGroup()
        for request in requests {
            added.enter()
            center.add(request) { _ in added.leave() }
        }
        _ = added.wait(timeout: .now() + Self.patience)
        return true
    }

    /// Whether Notification Center holds a reminder delivered, on `serial`
    /// (an overdue one's due time is the core's now, so its identifier
    /// names no delivered one); yes when it cannot tell in time: no second
    /// alert then.
    private func holdsAReminder() -> Bool {
        let delivered = Answer<[UNNotification]>()
        center.getDeliveredNotifications { delivered.set($0) }
        guard let shown = delivered.get() else { return true }
        return shown.contains { $0.request.identifier.hasPrefix(Self.prefix) }
    }

    /// Takes the delivered reminders out of Notification Center, on
    /// `serial`: all of them but the one `kept` names among them.
    private func removeDelivered(keeping kept: ([UNNotification]) -> String? = { _ in nil }) {
        let answer = Answer<[UNNotification]>()
        center.getDeliveredNotifications { answer.set($0) }
        let delivered = (answer.get() ?? []).filter { $0.request.identifier.hasPrefix(Self.prefix) }
        let keep = kept(delivered)
        let earlier = delivered.map(\.request.identifier).filter { $0 != keep }
        center.removeDeliveredNotifications(withIdentifiers: earlier)
    }

    /// How long `serial` waits for the notification center to answer.
    private static let patience: DispatchTimeInterval = .seconds(5)

    /// What a notification center call hands its completion handler, waited
    /// for on `serial` (iOS calls back on a queue of its own).
    private final class Answer<T>: @unchecked Sendable {
        private let answered = DispatchSemaphore(value: 0)
        private var value: T?

        func set(_ value: T) {
            self.value = value
            answered.signal()
        }

        /// Waits for `set`; nil when the center never answered.
        func get() -> T? {
            answered.wait(timeout: .now() + ReminderNotifications.patience) == .success ? value : nil
        }
    }

    // MARK: UNUserNotificationCenterDelegate

    /// A reminder came while the app is in the foreground: the core records
    /// it as shown when it is due now (one delivered after the user moved is
    /// not, and is not presented); it replaces the reminders delivered
    /// before it.
    func userNotificationCenter(
        _ center: UNUserNotificationCenter, willPresent notification: UNNotification,
        withCompletionHandler completionHandler: @escaping (UNNotificationPresentationOptions) -> Void
    ) {
        let identifier = notification.request.identifier
        guard identifier.hasPrefix(Self.prefix) else { return completionHandler([]) }
        serial.async { [core] in
            // A failing core call leaves the notification as the schedule set it.
            let due = (try? core.app.reminders().shown() != nil) ?? true
            guard due else { return completionHandler([]) }
            self.removeDelivered { _ in identifier }
            completionHandler([.banner, .sound, .list])
        }
    }

    /// The user answered a reminder (an action, or dismissed it) or tapped
    /// it, which opens the app: the core is told once — `respond`, or
    /// `shown` for a tap, which records a reminder delivered while the app
    /// slept if it is still due — every reminder leaves Notification Center
    /// and the schedule is read again. iOS is told the work is done only
    /// then: an action may have woken the app for this alone.
    func userNotificationCenter(
        _ center: UNUserNotificationCenter, didReceive response: UNNotificationResponse,
        withCompletionHandler completionHandler: @escaping () -> Void
    ) {
        guard response.notification.request.identifier.hasPrefix(Self.prefix) else { return completionHandler() }
        let answer: ReminderResponse?
        switch response.actionIdentifier {
        case Self.done: answer = ReminderResponse.done
        case Self.snooze: answer = ReminderResponse.snoozed
        case Self.notNow, UNNotificationDismissActionIdentifier: answer = ReminderResponse.dismissed
        default: answer = nil
        }
        serial.async { [core] in
            if let answer {
                _ = try? core.app.reminders().respond(response: answer)
            } else {
                _ = try? core.app.reminders().shown()
            }
            self.removeDelivered()
            self.replacePending()
            completionHandler()
        }
    }
}
