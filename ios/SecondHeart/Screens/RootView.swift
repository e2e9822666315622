import SwiftUI

/// The same destinations as the Compose app (android/ui/AppShell.kt):
/// Today, Walk, Exercises, Flight, Devices, History, Learn and Settings,
/// after the first run.
struct RootView: View {
    @EnvironmentObject private var services: AppServices
    @AppStorage(FirstRunRecord.key) private var firstRunDone = false

    var body: some View {
        if let models = services.models {
            if firstRunDone {
                Tabs(models: models)
            } else {
                NavigationStack { FirstRunScreen { firstRunDone = true } }
                    .environmentObject(models.settings)
            }
        } else {
            ContentUnavailableLike(
                title: "Second Heart cannot open its data", detail: services.openError ?? "Unknown error")
        }
    }
}

/// The tab bar and the screens behind it, each with its model.
private struct Tabs: View {
    let models: ScreenModels

    var body: some View {
        TabView {
            NavigationStack { TodayScreen() }
                .tabItem { Label("Today", systemImage: "heart.circle.fill") }
            NavigationStack { WalkScreen() }
                .tabItem { Label("Walk", systemImage: "figure.walk") }
            NavigationStack { ExercisesScreen() }
                .tabItem { Label("Exercises", systemImage: "figure.strengthtraining.functional") }
            NavigationStack { FlightScreen() }
                .tabItem { Label("Flight", systemImage: "airplane") }
            NavigationStack { MoreScreen() }
                .tabItem { Label("More", systemImage: "ellipsis.circle") }
        }
        .tint(brand)
        .environmentObject(models.today)
        .environmentObject(models.walk)
        .environmentObject(models.exercises)
        .environmentObject(models.flight)
        .environmentObject(models.devices)
        .environmentObject(models.history)
        .environmentObject(models.learn)
        .environmentObject(models.settings)
    }
}

/// Devices, History, Learn and Settings: the destinations beyond the tab bar's five.
struct MoreScreen: View {
    var body: some View {
        List {
            NavigationLink { DevicesScreen() } label: { Label("Devices", systemImage: "sensor.tag.radiowaves.forward") }
            NavigationLink { HistoryScreen() } label: { Label("History", systemImage: "chart.bar.fill") }
            NavigationLink { LearnScreen() } label: { Label("Learn", systemImage: "book") }
            NavigationLink { SettingsScreen() } label: { Label("Settings", systemImage: "gearshape") }
        }
        .navigationTitle("More")
    }
}

/// A full-screen message when nothing else can be shown (iOS 16 has no ContentUnavailableView).
struct ContentUnavailableLike: View {
    let title: String
    let detail: String

    var body: some View {
        VStack(spacing: 12) {
            Image(systemName: "exclamationmark.triangle").font(.largeTitle).accessibilityHidden(true)
            Text(title).font(.headline)
            Text(detail).multilineTextAlignment(.center).foregroundStyle(.secondary)
        }
        .padding()
        .accessibilityElement(children: .combine)
    }
}

/// Where the app keeps whether the user has set it up (the first run's
/// Start): until then, and again after everything is deleted (the profile
/// and the health answers with it), the welcome shows (as Android's
/// `PhoneFirstRun`).
enum FirstRunRecord {
    static let key = "firstRunDone"
}
