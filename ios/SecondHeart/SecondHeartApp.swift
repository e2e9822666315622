import SwiftUI
import UIKit

/// The app's entry point: opens the database once and shares it with every screen.
@main
struct SecondHeartApp: App {
    @UIApplicationDelegateAdaptor(AppDelegate.self) private var delegate
    @Environment(\.scenePhase) private var phase

    var body: some Scene {
        WindowGroup {
            RootView().environmentObject(AppServices.shared)
        }
        .onChange(of: phase) { phase in
            if phase == .active { AppServices.shared.foreground() }
            if phase == .background { AppServices.shared.background() }
        }
    }
}

/// Creates the services at launch, before any scene: iOS relaunches the app
/// in the background to hand back a sensor (Bluetooth state restoration),
/// and the central must exist with its restore identifier by then.
final class AppDelegate: NSObject, UIApplicationDelegate {
    func application(
        _ application: UIApplication,
        didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]? = nil
    ) -> Bool {
        _ = AppServices.shared
        return true
    }
}

/// Every screen's view model, over one core.
@MainActor
struct ScreenModels {
    let today: TodayModel
    let walk: WalkModel
    let exercises: ExercisesModel
    let flight: FlightModel
    let devices: DevicesModel
    let history: HistoryModel
    let learn: LearnModel
    let settings: SettingsModel
}

/// The app's long-lived objects: the core, the Bluetooth central, the
/// reminder notifications, the HealthKit writer and the screens' models.
@MainActor
final class AppServices: ObservableObject {
    static let shared = AppServices()

    /// Why the database could not be opened, if it could not.
    let openError: String?
    let models: ScreenModels?
    private let reminders: ReminderNotifications?

    private init() {
        let central = BluetoothCentral()
        central.startIfAllowed()
        do {
            let core = try AppCore.openDefault()
            let reminders = ReminderNotifications(core: core)
            let health = HealthWriter(core: core)
            self.reminders = reminders
            let devices = DevicesModel(core: core, central: central)
            let flight = FlightModel(core: core)
            let history = HistoryModel(core: core)
            let today = TodayModel(core: core)
            let walk = WalkModel(core: core, devices: devices)
            let exercises = ExercisesModel(core: core, devices: devices)
            models = ScreenModels(
                today: today,
                walk: walk,
                exercises: exercises,
                flight: flight,
                devices: devices,
                history: history,
                learn: LearnModel(core: core),
                settings: SettingsModel(
                    core: core, reminders: reminders, health: health,
                    onDataChanged: { [weak today, weak walk, weak exercises, weak devices, weak flight, weak history] replaced in
                        // What they last said (a walk's outcome, "Logged 250 mL") may be of data no longer there.
                        if replaced {
                            today?.dataReplaced()
                            walk?.dataReplaced()
                            exercises?.dataReplaced()
                            devices?.dataReplaced()
                            flight?.dataReplaced()
                            history?.dataReplaced()
                        }
                        // Today, Walk and Exercises follow the core's observer; these keep their own lists.
                        devices?.refresh()
                        flight?.refresh()
                        history?.refresh()
                    }))
            openError = nil
            reminders.reschedule()
        } catch {
            reminders = nil
            models = nil
            openError = userMessage(error) + "\n\nNothing was changed or deleted: your data stays on this device as it is. "
                + openAdvice(error)
        }
    }

    /// The app went to the background: Devices' live data only shows, so it
    /// stops and lets the sensor go (a session's count runs on).
    func background() {
        models?.devices.stopWatching()
    }

    /// The app came to the foreground: the day may have turned (yesterday's
    /// messages and walks and sets go, History's week ends today), a flight
    /// may have landed, the schedule moved on, reminders delivered while it
    /// slept piled up.
    func foreground() {
        models?.today.refresh()
        models?.walk.refresh()
        models?.exercises.refresh()
        models?.flight.refresh()
        models?.history.refresh()
        models?.devices.refresh()
        models?.settings.readNotificationAccess()
        reminders?.foreground()
    }
}
