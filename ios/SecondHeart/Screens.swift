import Charts
import SwiftUI

/// The same destinations as the Compose app (android/ui), over the same core calls.
struct RootView: View {
    @EnvironmentObject private var model: TodayModel

    var body: some View {
        TabView {
            NavigationStack { TodayScreen() }.tabItem { Label("Today", systemImage: "house.fill") }
            NavigationStack { WalkScreen() }.tabItem { Label("Walk", systemImage: "figure.walk") }
            NavigationStack { ExercisesScreen() }.tabItem { Label("Exercises", systemImage: "figure.strengthtraining.functional") }
            NavigationStack { FlightScreen() }.tabItem { Label("Flight", systemImage: "airplane") }
            NavigationStack { HistoryScreen() }.tabItem { Label("History", systemImage: "chart.bar.fill") }
        }
        .tint(Color(red: 0, green: 0.42, blue: 0.42))
    }
}

/// A goal ring with its value inside; VoiceOver reads it as one sentence.
struct RingView: View {
    let ring: Ring
    let label: String
    let color: Color

    var body: some View {
        VStack(spacing: 8) {
            ZStack {
                Circle().stroke(Color.secondary.opacity(0.2), lineWidth: 11)
                Circle().trim(from: 0, to: CGFloat(min(ring.fraction, 1)))
                    .stroke(color, style: StrokeStyle(lineWidth: 11, lineCap: .round))
                    .rotationEffect(.degrees(-90))
                VStack(spacing: 0) {
                    Text(ring.value.formatted(.number.precision(.fractionLength(ring.kind == .pumpedLitres ? 1 : 0))))
                        .font(.title2.weight(.semibold)).monospacedDigit()
                    Text("of \(ring.goal.formatted(.number.precision(.fractionLength(0))))")
                        .font(.caption).foregroundStyle(.secondary)
                }
            }
            .frame(width: 112, height: 112)
            Text(label).font(.subheadline.weight(.semibold))
        }
        .accessibilityElement(children: .ignore)
        .accessibilityLabel("\(label): \(Int(ring.value)) of \(Int(ring.goal))\(ring.met ? ", goal met" : "")")
    }
}

extension RingKind {
    var label: String {
        switch self {
        case .steps: return "Steps"
        case .activeMinutes: return "Active minutes"
        case .pumpedLitres: return "Litres pumped"
        case .exerciseSets: return "Calf-raise sets"
        case .hydration: return "Drinks"
        }
    }

    var color: Color {
        switch self {
        case .steps: return Color(red: 0, green: 0.47, blue: 0.48)
        case .activeMinutes: return Color(red: 0.71, green: 0.32, blue: 0.12)
        case .pumpedLitres: return Color(red: 0.69, green: 0.15, blue: 0.29)
        case .exerciseSets: return Color(red: 0.30, green: 0.36, blue: 0.66)
        case .hydration: return .blue
        }
    }
}

struct TodayScreen: View {
    @EnvironmentObject private var model: TodayModel

    var body: some View {
        List {
            if let error = model.fatalError { Text(error).foregroundStyle(.red) }
            if let today = model.today {
                Section {
                    LazyVGrid(columns: [GridItem(), GridItem()], spacing: 16) {
                        ForEach(Array(today.rings.filter { $0.kind != .hydration }.enumerated()), id: \.offset) { _, ring in
                            RingView(ring: ring, label: ring.kind.label, color: ring.kind.color)
                        }
                    }
                    .padding(.vertical, 8)
                }
                Section("Sitting") {
                    if let stretch = today.sitting.currentStretchMin {
                        Text("Sitting for \(stretch) min")
                    } else {
                        Text("Sat \(today.sitting.totalMin) min today, \(today.sitting.breaks) breaks")
                    }
                    if let next = today.nextBreak {
                        Text("Next break \(next.dueAt.formatted(date: .omitted, time: .shortened)) · \(next.title)")
                            .foregroundStyle(.secondary)
                    }
                }
                Section("Sensor") {
                    if let sensor = today.sensors.first {
                        Text("\(sensor.model) \(sensor.serial)")
                        Text(sensor.lastSync.map { "Synced \($0.formatted(.relative(presentation: .named)))" } ?? "Not synced yet")
                            .foregroundStyle(.secondary)
                    } else {
                        Text("No sensor paired").foregroundStyle(.secondary)
                    }
                }
            }
            Section { NavigationLink("Settings") { SettingsScreen() } }
        }
        .navigationTitle("Today")
        .refreshable { model.refresh() }
    }
}

struct WalkScreen: View {
    @EnvironmentObject private var model: TodayModel

    var body: some View {
        List {
            if let walk = model.session, walk.progress.kind == .walk {
                Section {
                    Text(Duration.seconds(walk.progress.activeSeconds).formatted(.time(pattern: .minuteSecond)))
                        .font(.system(size: 64, weight: .bold)).monospacedDigit()
                    Text("\(walk.progress.steps) steps")
                }
                Section {
                    Button(walk.progress.state == .paused ? "Resume" : "Pause") {
                        model.record(walk.progress.state == .paused ? .resume : .pause)
                    }
                    Button("Finish") { model.record(.finish) }
                }
            } else {
                Button("Start walk") { model.startWalk() }
            }
            if let message = model.message { Text(message).foregroundStyle(.tint) }
        }
        .navigationTitle("Walk")
    }
}

struct ExercisesScreen: View {
    @EnvironmentObject private var model: TodayModel
    @State private var answers: [String: Bool] = [:]

    var body: some View {
        List {
            if let set = model.session, set.progress.kind == .calfRaises || set.progress.kind == .anklePumps {
                Section(set.progress.kind == .calfRaises ? "Calf raises" : "Ankle pumps") {
                    Text("\(set.progress.reps) of \(set.progress.targetReps ?? 20)")
                        .font(.system(size: 72, weight: .bold)).monospacedDigit()
                        .accessibilityLabel("\(set.progress.reps) of \(set.progress.targetReps ?? 20) reps")
                    if let cue = set.progress.feedback.first { Text(cue) }
                    Button("Count a rep") { model.record(.rep(holdS: nil)) }
                    Button("Finish set") { model.record(.finish) }
                }
            } else {
                Button("Start calf raises") { model.startSet(.calfRaises) }
                Button("Start ankle pumps") { model.startSet(.anklePumps) }
            }
            Section("Legs up") {
                ForEach(elevationQuestions(), id: \.key) { question in
                    Picker(question.text, selection: Binding(
                        get: { answers[question.key] },
                        set: { answers[question.key] = $0 }
                    )) {
                        Text("Yes").tag(Bool?.some(true))
                        Text("No").tag(Bool?.some(false))
                    }
                    .pickerStyle(.segmented)
                }
                if let gate = model.gateMessage { Text(gate).foregroundStyle(.red) }
                Button("Start 15 minutes legs up") { model.startElevation(answers) }
                    .disabled(answers.count < elevationQuestions().count)
            }
        }
        .navigationTitle("Exercises")
    }
}

struct FlightScreen: View {
    @EnvironmentObject private var model: TodayModel
    @State private var departure = Date().addingTimeInterval(3 * 86_400)
    @State private var hours = 11.0
    @State private var from = TimeZone.current.identifier
    @State private var to = "America/Los_Angeles"
    @State private var oestrogen = false
    @State private var previousClot = false

    var body: some View {
        List {
            if let plan = model.flightPlan {
                Section(plan.risk.label) { Text(plan.risk.populationNote) }
                Section("Timeline") {
                    ForEach(Array(plan.schedule.enumerated()), id: \.offset) { _, item in
                        HStack(alignment: .top) {
                            VStack(alignment: .leading) {
                                Text(String(item.departureLocal.suffix(5))).monospacedDigit()
                                Text(String(item.arrivalLocal.suffix(5))).monospacedDigit().foregroundStyle(.secondary)
                            }
                            Text(item.text)
                        }
                        .accessibilityElement(children: .combine)
                    }
                }
            } else {
                Section("Your flight") {
                    DatePicker("Departs", selection: $departure)
                    TextField("From (time zone)", text: $from)
                    TextField("To (time zone)", text: $to)
                    Stepper("\(Int(hours)) hours", value: $hours, in: 1...20)
                }
                Section("A few questions") {
                    Toggle("A blood clot before", isOn: $previousClot)
                    Toggle("The pill or hormone therapy", isOn: $oestrogen)
                }
                Button("Make my plan") {
                    model.planFlight(departure: departure, from: from, to: to, hours: hours, oestrogen: oestrogen, previousClot: previousClot)
                }
            }
            if let message = model.message { Text(message).foregroundStyle(.red) }
        }
        .navigationTitle("Flight")
    }
}

struct HistoryScreen: View {
    @EnvironmentObject private var model: TodayModel

    var body: some View {
        List {
            Section("Steps, last 7 days") {
                Chart(model.week, id: \.key) { day in
                    BarMark(x: .value("Day", String(day.first.suffix(2))), y: .value("Steps", day.steps))
                }
                .frame(height: 160)
                .accessibilityLabel("Steps over the last 7 days")
            }
            Section("Litres pumped") {
                Chart(model.week, id: \.key) { day in
                    BarMark(x: .value("Day", String(day.first.suffix(2))), y: .value("Litres", day.pumpedLitres))
                }
                .frame(height: 160)
            }
        }
        .navigationTitle("History")
        .task { model.loadHistory() }
    }
}

struct SettingsScreen: View {
    @EnvironmentObject private var model: TodayModel
    @State private var confirming = false

    var body: some View {
        List {
            Section("Your data") {
                Button("Delete all data", role: .destructive) { confirming = true }
            }
            if let message = model.message { Text(message) }
        }
        .navigationTitle("Settings")
        .confirmationDialog("Delete all data?", isPresented: $confirming, titleVisibility: .visible) {
            Button("Delete everything", role: .destructive) { model.deleteAll() }
            Button("Keep my data", role: .cancel) {}
        } message: {
            Text("Walks, sets, flights, sensor records and your profile are erased from this device.")
        }
    }
}
