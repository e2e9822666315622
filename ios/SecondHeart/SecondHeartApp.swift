import SwiftUI

/// The app's entry point: opens the database once and shares it.
@main
struct SecondHeartApp: App {
    @StateObject private var today = TodayModel()

    var body: some Scene {
        WindowGroup {
            RootView().environmentObject(today)
        }
    }
}
