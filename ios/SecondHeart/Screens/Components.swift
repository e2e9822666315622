import Charts
import SwiftUI
import UIKit

/// The app's teal, readable on white and on black (contrast ≥ 4.5:1 for text).
let brand = Color(red: 0, green: 0.42, blue: 0.42)

extension RingKind {
    /// The ring's name on screen.
    var label: String {
        switch self {
        case .steps: return "Steps"
        case .activeMinutes: return "Active minutes"
        case .pumpedLitres: return "Litres pumped"
        case .exerciseSets: return "Calf-raise sets"
        case .hydration: return "Drinks"
        }
    }

    /// The ring's colour, the same as the Compose theme's.
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

/// A goal ring with its value inside; VoiceOver reads it as one sentence.
struct RingView: View {
    let ring: Ring

    private var value: String {
        ring.kind == .pumpedLitres ? Formats.litres(ring.value) : Formats.integer(Int64(ring.value.rounded()))
    }

    /// "of 8,000", "of 30 min", "of 7.5 L", as on Android.
    private var goal: String {
        let unit = ring.kind == .activeMinutes ? " min" : ring.kind == .pumpedLitres ? " L" : ""
        let amount = ring.kind == .pumpedLitres ? Formats.litres(ring.goal) : Formats.integer(Int64(ring.goal.rounded()))
        return "of \(amount)\(unit)"
    }

    var body: some View {
        VStack(spacing: 8) {
            ZStack {
                Circle().stroke(Color.secondary.opacity(0.2), lineWidth: 11)
                Circle().trim(from: 0, to: CGFloat(min(ring.fraction, 1)))
                    .stroke(ring.kind.color, style: StrokeStyle(lineWidth: 11, lineCap: .round))
                    .rotationEffect(.degrees(-90))
                VStack(spacing: 0) {
                    Text(value).font(.title2.weight(.semibold)).monospacedDigit()
                    Text(goal).font(.caption).foregroundStyle(.secondary)
                }
            }
            .frame(width: 112, height: 112)
            Text(ring.kind.label).font(.subheadline.weight(.semibold))
        }
        .accessibilityElement(children: .ignore)
        .accessibilityLabel("\(ring.kind.label): \(value) \(goal)\(ring.met ? ", goal met" : "")")
    }
}

/// One bar of a chart; `imported` is the part of `value` that only an
/// imported file knows of, drawn lighter on top.
struct Bar: Identifiable {
    let id: Int
    let label: String
    let value: Double
    var imported: Double = 0

    /// The part recorded by the phone or a sensor.
    var recorded: Double { value - min(max(imported, 0), value) }
}

/// A chart of one measure (Swift Charts), with a goal line when there is
/// one; VoiceOver reads its title and summary.
struct BarChartCard: View {
    let title: String
    let summary: String
    let bars: [Bar]
    let goal: Double?
    let color: Color
    var note: String? = nil

    var body: some View {
        VStack(alignment: .leading, spacing: 8) {
            Text(title).font(.headline)
            Text(summary).font(.subheadline).foregroundStyle(.secondary)
            Chart {
                ForEach(bars) { bar in
                    // Stacked: what was recorded, then what only a file knows of, lighter.
                    BarMark(x: .value("When", "\(bar.id)"), y: .value(title, bar.recorded))
                        .foregroundStyle(color)
                    if bar.value > bar.recorded {
                        BarMark(x: .value("When", "\(bar.id)"), y: .value(title, bar.value - bar.recorded))
                            .foregroundStyle(color.opacity(0.4))
                    }
                }
                if let goal {
                    RuleMark(y: .value("Goal", goal))
                        .lineStyle(StrokeStyle(lineWidth: 1, dash: [4, 4]))
                        .foregroundStyle(.secondary)
                }
            }
            .chartXAxis {
                AxisMarks { value in
                    AxisValueLabel { Text(label(of: value.as(String.self))) }
                }
            }
            .frame(height: 160)
            if let note {
                Text(note).font(.footnote).foregroundStyle(.secondary)
            }
        }
        .accessibilityElement(children: .ignore)
        .accessibilityLabel([title, summary, note].compactMap { $0 }.joined(separator: ". "))
    }

    /// The axis label of the bar whose x value is `id`.
    private func label(of id: String?) -> String {
        guard let index = id.flatMap({ Int($0) }), bars.indices.contains(index) else { return "" }
        return bars[index].label
    }
}

/// A yes/no question behind a safety gate, as two large buttons.
struct YesNoQuestion: View {
    let text: String
    let answer: Bool?
    let onAnswer: (Bool) -> Void

    var body: some View {
        VStack(alignment: .leading, spacing: 8) {
            Text(text)
            HStack {
                choice("Yes", true)
                choice("No", false)
            }
        }
        .padding(.vertical, 4)
    }

    private func choice(_ title: String, _ value: Bool) -> some View {
        Button { onAnswer(value) } label: {
            Text(title).frame(maxWidth: .infinity, minHeight: 44)
        }
        .buttonStyle(.bordered)
        .tint(answer == value ? brand : .secondary)
        .accessibilityLabel("\(title): \(text)")
        .accessibilityAddTraits(answer == value ? .isSelected : [])
    }
}

/// A button drawn where the one just tapped was (Pause and Resume, the
/// socks' on and off, a set's buttons, legs up's Start and Stop): a tap
/// handled within a double tap's interval of it appearing is the second
/// half of the tap that brought it, and is ignored. SwiftUI hands a button
/// no input-event time, so both times are when the app got to them: a busy
/// moment can only let a second tap through (as without the guard), never
/// hold back a later one. VoiceOver's and Switch Control's activations
/// always go through (Android's `TapGuard` lets clicks without a touch
/// through the same way).
struct InPlaceButton<Label: View>: View {
    /// Apple gives no public double-tap interval; UIKit's recognisers
    /// take about this long.
    static var doubleTapInterval: TimeInterval { 0.35 }

    private let role: ButtonRole?
    private let action: () -> Void
    private let label: Label
    @State private var shownAt = ProcessInfo.processInfo.systemUptime

    init(role: ButtonRole? = nil, action: @escaping () -> Void, @ViewBuilder label: () -> Label) {
        self.role = role
        self.action = action
        self.label = label()
    }

    var body: some View {
        Button(role: role) {
            let assisted = UIAccessibility.isVoiceOverRunning || UIAccessibility.isSwitchControlRunning
            let shownFor = ProcessInfo.processInfo.systemUptime - shownAt
            if assisted || shownFor >= Self.doubleTapInterval { action() }
        } label: {
            label
        }
        .onAppear { shownAt = ProcessInfo.processInfo.systemUptime }
    }
}

extension InPlaceButton where Label == Text {
    /// A button titled `title`.
    init(_ title: String, role: ButtonRole? = nil, action: @escaping () -> Void) {
        self.init(role: role, action: action) { Text(title) }
    }
}

/// A line that says what happened after an action.
struct MessageRow: View {
    let message: String?

    var body: some View {
        // VoiceOver reads it out as it comes into sight (the answer to a tap
        // is often out of sight, and the focus stays where the user is) and
        // as it changes: only the screen shown speaks, and a read that fails
        // each minute with the same words is not read out each minute.
        if let message {
            Text(message).foregroundStyle(brand)
                .onAppear { announce(message) }
                .onChange(of: message) { announce($0) }
        }
    }

    private func announce(_ text: String) {
        UIAccessibility.post(notification: .announcement, argument: text)
    }
}

/// A pad to press while up on the toes and release on the way down: the
/// hold is measured (the ring fills over `target` seconds) and handed to
/// `onRelease`. VoiceOver users activate it instead: a rep without a measured hold.
struct HoldPad: View {
    let title: String
    let target: Double
    let onRelease: (Double?) -> Void
    @State private var pressedAt: Date?
    /// True while a finger is down; the system resets it when it cancels
    /// the touch (a call, a banner, Control Centre) without `onEnded`.
    @GestureState private var touching = false

    var body: some View {
        TimelineView(.animation(minimumInterval: 0.05, paused: pressedAt == nil)) { context in
            let held = pressedAt.map { context.date.timeIntervalSince($0) } ?? 0
            ZStack {
                RoundedRectangle(cornerRadius: 16).fill(brand.opacity(0.12))
                RoundedRectangle(cornerRadius: 16)
                    .trim(from: 0, to: CGFloat(min(held / target, 1)))
                    .stroke(brand, lineWidth: 6)
                Text(pressedAt == nil ? title : (held >= target ? "Down slowly, then let go" : "Hold…"))
                    .font(.title3.weight(.semibold))
            }
        }
        .frame(minHeight: 96)
        .contentShape(Rectangle())
        .gesture(
            DragGesture(minimumDistance: 0)
                .updating($touching) { _, touching, _ in touching = true }
                .onChanged { _ in
                    if pressedAt == nil { pressedAt = Date() }
                }
                .onEnded { _ in
                    if let start = pressedAt { onRelease(Date().timeIntervalSince(start)) }
                    pressedAt = nil
                })
        // A touch the system cancelled counts no rep, and its start must not
        // become the next press's: the pad lets go. Checked a turn later, so
        // a release's `onEnded` has counted its rep first.
        .onChange(of: touching) { down in
            guard !down else { return }
            Task { @MainActor in
                if !touching { pressedAt = nil }
            }
        }
        .accessibilityElement(children: .ignore)
        .accessibilityLabel(title)
        .accessibilityAddTraits(.isButton)
        .accessibilityAction { onRelease(nil) }
    }
}
