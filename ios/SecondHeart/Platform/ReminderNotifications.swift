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
/// through `reminders().respond`, which moves the schedule on.
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
        core.observe { [weak self] _ in self?.reschedule() }
    }

    /// The stable identifier of a reminder: its due minute.
    static func identifier(_ reminder: Reminder) -> String {
        prefix + String(Int64(reminder.dueAt.timeIntervalSince1970 / 60))
    }

    /// Asks once for permission to alert; reschedules when granted.
    func requestPermission() {
        center.requestAuthorization(options: [.alert, .sound, .badge]) { [weak self] granted, _ in
            if granted { self?.reschedule() }
        }
    }

    /// Replaces the pending reminders with the core's schedule (off the main thread).
    func reschedule() {
        serial.async { [core, center] in
            let upcoming = (try? core.app.reminders().upcoming(limit: Self.limit)) ?? []
            let requests = upcoming.filter { $0.dueAt > Date() }.map { reminder -> UNNotificationRequest in
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
            let keep = Set(requests.map(\.identifier))
            center.getPendingNotificationRequests { pending in
                let stale = pending.map(\.identifier).filter { $0.hasPrefix(Self.prefix) && !keep.contains($0) }
                center.removePendingNotificationRequests(withIdentifiers: stale)
                requests.forEach { center.add($0) }
            }
        }
    }

    /// Tells the core what the user did with the reminder, then reschedules.
    private func respond(_ response: ReminderResponse) {
        serial.async { [core] in
            _ = try? core.app.reminders().respond(response: response)
        }
        reschedule()
    }

    // MARK: UNUserNotificationCenterDelegate

    func userNotificationCenter(
        _ center: UNUserNotificationCenter, willPresent notification: UNNotification,
        withCompletionHandler completionHandler: @escaping (UNNotificationPresentationOptions) -> Void
    ) {
        guard notification.request.identifier.hasPrefix(Self.prefix) else { return completionHandler([]) }
        serial.async { [core] in _ = try? core.app.reminders().shown() }
        completionHandler([.banner, .sound, .list])
    }

    func userNotificationCenter(
        _ center: UNUserNotificationCenter, didReceive response: UNNotificationResponse,
        withCompletionHandler completionHandler: @escaping () -> Void
    ) {
        defer { completionHandler() }
        guard response.notification.request.identifier.hasPrefix(Self.prefix) else { return }
        switch response.actionIdentifier {
        case Self.done: respond(ReminderResponse.done)
        case Self.snooze: respond(ReminderResponse.snoozed)
        case Self.notNow, UNNotificationDismissActionIdentifier: respond(ReminderResponse.dismissed)
        default: serial.async { [core] in _ = try? core.app.reminders().shown() }
        }
    }
}
