import Foundation

/// What the user set on Learn: the inputs of the pump model.
struct LearnInputs: Equatable {
    var speedKmh = 4.0
    var sittingHours = 4.0
    /// Minutes between breaks from sitting; 0 for none.
    var breakEveryMin = 30.0
    var breakKind: SitBreak = .calfRaises
    var compressionMmhg = 0.0
    var valves: Valves = .competent
    /// 0 (the leaking valves hold) to 1 (fully incompetent).
    var refluxSeverity = 1.0
}

/// What the model answered for those inputs.
struct LearnAnswer {
    let walk: WalkRun
    /// Sitting with the breaks chosen, and without any.
    let sitting: SitRun
    let still: SitRun
}

/// Learn: the second heart explained with the pump model itself. The user's
/// legs (from the profile, via `pumpModel()`) with the valves and stockings
/// set here walk and sit; the charts and the words answer as the inputs move.
@MainActor
final class LearnModel: CoreModel {
    @Published var inputs = LearnInputs() { didSet { if inputs != oldValue { schedule() } } }
    @Published private(set) var answer: LearnAnswer?
    @Published private(set) var computing = false
    /// The runs for the inputs asked for last: a newer change cancels them,
    /// and the core stops them part-way (`ModelRunner`).
    private var pending: Task<Void, Never>?

    /// Runs the charts for the user's legs as they are now: when Learn
    /// appears (not at launch: a second of model work), so a height or sex
    /// changed in Settings since shows.
    func refresh() {
        schedule()
    }

    /// Runs the model a moment after the last change (sliders move in small
    /// steps); a change meanwhile cancels the runs, which the core stops.
    private func schedule() {
        let previous = pending
        previous?.cancel()
        let inputs = self.inputs
        let app = core.app
        pending = Task {
            try? await Task.sleep(nanoseconds: 250_000_000)
            // The cancelled runs end first (the core stops them part-way): runs never overlap.
            await previous?.value
            guard !Task.isCancelled else { return }
            computing = true
            do {
                let answer = try await LearnModel.run(app, inputs)
                // Moved on meanwhile: the newer runs answer.
                guard !Task.isCancelled else { return }
                computing = false
                self.answer = answer
                message = nil
            } catch {
                guard !Task.isCancelled else { return }
                computing = false
                message = userMessage(error)
            }
        }
    }

    /// The runs for `inputs`, one after another on the library's runtime,
    /// each cancelled with the calling task.
    nonisolated static func run(_ app: SecondHeart, _ inputs: LearnInputs) async throws -> LearnAnswer {
        var legs = try app.pumpModel().legs()
        legs.valves = inputs.valves
        legs.refluxSeverity = inputs.refluxSeverity
        legs.compressionMmhg = inputs.compressionMmhg
        let model = try PumpModel(legs: legs, chartPoints: 160)
        let breaks = inputs.breakEveryMin > 0
            ? SitBreaks(everyMin: UInt32(inputs.breakEveryMin), kind: inputs.breakKind) : nil
        try Task.checkCancellation()
        guard case let .walk(run: walk) = try await ModelRunner.run(model, .walk(speedKmh: inputs.speedKmh, minutes: 5)),
              case let .sit(run: sitting) = try await ModelRunner.run(model, .sit(hours: inputs.sittingHours, breaks: breaks))
        else { throw SecondHeartError.Internal(detail: "the model answered another run") }
        guard breaks != nil else { return LearnAnswer(walk: walk, sitting: sitting, still: sitting) }
        try Task.checkCancellation()
        guard case let .sit(run: still) = try await ModelRunner.run(model, .sit(hours: inputs.sittingHours, breaks: nil))
        else { throw SecondHeartError.Internal(detail: "the model answered another run") }
        return LearnAnswer(walk: walk, sitting: sitting, still: still)
    }

    /// What the walking chart says in words.
    var walkText: String? {
        guard let walk = answer?.walk else { return nil }
        let speed = inputs.speedKmh.formatted(.number.precision(.fractionLength(1)))
        return "Walking at \(speed) km/h lowers the pressure in your ankle veins by \(Int(walk.avpDropMmhg.rounded())) mmHg, "
            + "to \(Int(walk.walkingAvpMmhg.rounded())) mmHg. Each step sends \(walk.ejectedMlPerStep.formatted(.number.precision(.fractionLength(0...1)))) mL "
            + "up towards the heart; standing still again, the veins refill in \(Int(walk.refillTimeS.rounded())) s."
    }

    /// What the sitting chart says in words: the swelling it ends with, the
    /// fluid gone into each calf's tissue since sitting down (as on Android).
    var sittingText: String? {
        guard let answer else { return nil }
        func swelling(_ run: SitRun) -> Int {
            let excess = run.series.map(\.calfTissueExcessMl)
            return Int(((excess.last ?? 0) - (excess.first ?? 0)).rounded())
        }
        let hours = Formats.minutes(Int64((inputs.sittingHours * 60).rounded()))
        let still = "After \(hours) in a seat, \(swelling(answer.still)) mL of fluid has seeped into the tissue of each calf: the ankles swell. "
        guard inputs.breakEveryMin > 0 else { return still + "Set a break to see what moving does." }
        return still + "With a break every \(Formats.minutes(Int64(inputs.breakEveryMin))): \(swelling(answer.sitting)) mL, "
            + "and your calves pump \(Formats.litres(answer.sitting.pumpedMl / 1000)) L meanwhile."
    }
}
