import Foundation

/// What the user filled in on the flight form.
struct FlightForm: Equatable {
    var departure = Date().addingTimeInterval(3 * 86_400)
    var arrival = Date().addingTimeInterval(3 * 86_400 + 11 * 3_600)
    var from = TimeZone.autoupdatingCurrent.identifier
    var to = "America/Los_Angeles"
    var seat: Seat = .aisle
    /// Minutes between movement prompts, 30–60 (the plan's default is 45).
    var moveEveryMin: UInt32 = 45
    /// When the traveller means to sleep, "23:00-06:00" in the destination's
    /// time (the core reads it there), or empty.
    var sleep = ""
    /// The risk questions ticked, by the core's key (`flightRiskQuestions`).
    var risks: Set<String> = []

    /// The zone a date picker for the airport named `name` draws its wheels
    /// in: the name as the core reads it (trimmed), the phone's when
    /// Foundation does not know it. The screen and `FlightModel.airportTime`
    /// both use it, so the time read is the time shown.
    static func pickerZone(_ name: String) -> TimeZone {
        TimeZone(identifier: name.trimmingCharacters(in: .whitespaces)) ?? .current
    }

    /// The form as the scene keeps it (JSON), with the data's `generation`
    /// (see `FlightModel.saved`): iOS may end the app in the background,
    /// and the traveller comes back to what was typed.
    func saved(generation: Int) -> String {
        let kept = Kept(
            generation: generation, departure: departure, arrival: arrival, from: from, to: to,
            seat: Self.seatNames[seat] ?? "aisle", moveEveryMin: moveEveryMin, sleep: sleep, risks: risks.sorted())
        guard let data = try? JSONEncoder().encode(kept) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The form `saved` kept of the data's `generation`; nil for none, for
    /// one kept before the data were replaced, or for text that is no form.
    init?(saved: String, generation: Int) {
        guard let kept = try? JSONDecoder().decode(Kept.self, from: Data(saved.utf8)),
              kept.generation == generation else { return nil }
        departure = kept.departure
        arrival = kept.arrival
        from = kept.from
        to = kept.to
        seat = Self.seatNames.first { $0.value == kept.seat }?.key ?? .aisle
        moveEveryMin = kept.moveEveryMin
        sleep = kept.sleep
        risks = Set(kept.risks)
    }

    init() {}

    /// What `saved` writes.
    private struct Kept: Codable {
        let generation: Int
        let departure: Date
        let arrival: Date
        let from: String
        let to: String
        let seat: String
        let moveEveryMin: UInt32
        let sleep: String
        let risks: [String]
    }

    /// The seats by the names `saved` writes.
    private static let seatNames: [Seat: String] = [.aisle: "aisle", .middle: "middle", .window: "window"]
}

/// Flight: a plan from the flight's details and the risk questions, its
/// timeline in both zones, in-seat exercises; a flight in progress shows
/// what is next. All offline: the core plans it.
@MainActor
final class FlightModel: CoreModel {
    /// The risk check's questions, the core's, in the order to ask them (as on Android).
    static let risks: [Question] = flightRiskQuestions().map { Question(key: $0.key, text: $0.text) }

    /// The in-seat exercises offered during the flight.
    static let inSeat: [Question] = [
        Question(key: "Ankle pumps", text: "Heels down, point your toes, then pull them up: 30 times."),
        Question(key: "Seated calf raises", text: "Feet flat, lift your heels high and hold 1 s: 20 times."),
        Question(key: "Ankle circles", text: "Lift one foot and circle it 10 times each way, then the other."),
        Question(key: "Knee lifts", text: "Lift one knee towards your chest and lower it: 10 times each leg."),
    ]

    @Published var form = FlightForm()
    @Published private(set) var plan: FlightPlan?
    @Published private(set) var inProgress = false
    @Published private(set) var next: PlanItem?
    private var details: FlightDetails?
    /// A start is being stored: Start is held back.
    @Published private(set) var starting = false
    /// "New plan" tapped while a flight is started (a connection's next
    /// leg): the form, not the started flight.
    private var planningAnother = false

    /// Whether the form the scene kept was offered back (once a launch).
    private var restored = false

    /// How many times the data were replaced, kept across launches: a form
    /// the scene saved before the last replacement is not offered back,
    /// even if the screen never saw the replacement.
    private static let generationKey = "flight.formGeneration"
    private var generation: Int { UserDefaults.standard.integer(forKey: Self.generationKey) }

    /// Takes back the form the scene kept (`saved`), once a launch: after
    /// iOS ended the app in the background, what was typed (a risk question
    /// the app no longer asks is dropped).
    func restore(_ saved: String) {
        guard !restored else { return }
        restored = true
        guard var kept = FlightForm(saved: saved, generation: generation) else { return }
        kept.risks = kept.risks.intersection(Self.risks.map(\.key))
        form = kept
    }

    /// `form` as the scene keeps it, of the data as they are now.
    func saved(_ form: FlightForm) -> String { form.saved(generation: generation) }

    /// Data replaced (a restore, everything deleted): the plan made and not
    /// started and the form go too, with the health answers ticked in them
    /// (as on Android: kept, Start would write the plan back into an
    /// emptied database), and the form the scene kept is not offered back.
    /// The plan is cleared at once (no Start of it from now on) and again in
    /// turn with the model's actions, as Android's is: a plan still being
    /// made from the old form lands first, and goes. The refresh that
    /// follows shows a flight the restored data started.
    override func dataReplaced() {
        super.dataReplaced()
        UserDefaults.standard.set(generation + 1, forKey: Self.generationKey)
        restored = true
        form = FlightForm()
        forgetPlan()
        perform({ _ in }) { _ in self.forgetPlan() }
    }

    /// No plan shown, none to start.
    private func forgetPlan() {
        plan = nil
        details = nil
        inProgress = false
        next = nil
        planningAnother = false
    }

    init(core: AppCore) {
        // Its actions run in order (as on Android): a refresh read before a
        // cancel or a start cannot show the flight as it was after it.
        super.init(core: core, serialActions: true)
        refresh()
    }

    /// Shows the started flight until it lands (from the gate on), if there is one.
    func refresh() {
        perform({ app -> (FlightPlan?, PlanItem?) in
            try (app.flights().notLanded(), app.flights().nextItem())
        }) { running, next in
            if running == nil { self.planningAnother = false }
            if self.planningAnother {
                return
            } else if let running {
                self.plan = running
                self.inProgress = true
            } else if self.inProgress {
                // Landed, or deleted with all data: the plan shown has ended.
                self.plan = nil
                self.inProgress = false
            }
            self.next = next
        }
    }

    /// Plans the flight in `form` (not saved until started).
    func makePlan() {
        let form = self.form
        perform({ app -> (FlightDetails, FlightPlan) in
            let details = try FlightModel.details(of: form, flights: app.flights())
            return (details, try app.flights().plan(details: details))
        }) { details, plan in
            self.details = details
            self.plan = plan
            self.inProgress = false
            self.message = nil
        }
    }

    /// Starts the planned flight: the reminders follow it.
    func start() {
        // A second tap while the first is stored would start it twice.
        guard let details, !starting else { return }
        starting = true
        perform({ app -> (FlightPlan, PlanItem?) in
            try (app.flights().start(details: details), app.flights().nextItem())
        }, failed: { error in
            self.starting = false
            self.message = userMessage(error)
        }) { plan, next in
            self.starting = false
            self.planningAnother = false
            self.plan = plan
            self.inProgress = true
            self.next = next
            self.details = nil
            // A refusal said before is over.
            self.message = nil
        }
    }

    /// Cancels the started flight taking off at `departure`, the one the
    /// user asked about and confirmed: its reminders stop, and the zone
    /// changes it set ahead are forgotten; the form comes back. A second
    /// tap, or a flight landed meanwhile, cancels no other.
    func cancelFlight(departure: Date) {
        perform({ app -> (FlightPlan?, PlanItem?) in
            _ = try app.flights().cancel(departure: departure)
            return (try app.flights().notLanded(), try app.flights().nextItem())
        }) { running, next in
            self.planningAnother = false
            self.details = nil
            self.message = nil
            // Another started leg, if any, shows instead.
            self.plan = running
            self.inProgress = running != nil
            self.next = next
        }
    }

    /// Drops the plan shown (a started flight stays until it lands); while
    /// one is started, the form stays up for another leg, also after a
    /// leg planned from it (as on Android).
    func clear() {
        planningAnother = planningAnother || inProgress
        plan = nil
        inProgress = false
        next = nil
        details = nil
        refresh()
    }

    /// The flight as `form` describes it; the ticked questions become risk
    /// factors in the core.
    private nonisolated static func details(of form: FlightForm, flights: Flights) throws -> FlightDetails {
        let sleep = form.sleep.trimmingCharacters(in: .whitespaces)
        let from = form.from.trimmingCharacters(in: .whitespaces)
        let to = form.to.trimmingCharacters(in: .whitespaces)
        return FlightDetails(
            departure: try airportTime(flights, .takeOff, shown: form.departure, zone: from),
            departureZone: from,
            arrival: try airportTime(flights, .landing, shown: form.arrival, zone: to),
            hours: nil,
            arrivalZone: to,
            seat: form.seat,
            moveEveryMin: form.moveEveryMin,
            sleep: sleep.isEmpty ? nil : sleep,
            riskFactors: try flightRiskFactors(keys: form.risks.sorted()))
    }

    /// The time a picker drawn in `zone`'s clock shows for `shown`, read by
    /// the core with the zone data the plan is made with (as on Android and
    /// in the CLI): the plan keeps the take-off the user saw on the wheels,
    /// and a time the clocks skip there is refused.
    private nonisolated static func airportTime(_ flights: Flights, _ end: FlightEnd, shown: Date, zone: String) throws -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = FlightForm.pickerZone(zone)
        let wheels = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: shown)
        let date = String(format: "%04d-%02d-%02d", wheels.year ?? 0, wheels.month ?? 0, wheels.day ?? 0)
        let time = String(format: "%02d:%02d", wheels.hour ?? 0, wheels.minute ?? 0)
        return try flights.airportTime(end: end, date: date, time: time, zone: zone)
    }

    /// "Berlin → Los Angeles · 12 h 15 min".
    var title: String? {
        guard let plan else { return nil }
        let minutes = Int(plan.arrival.timeIntervalSince(plan.departure) / 60)
        return "\(Formats.city(plan.departureZone)) → \(Formats.city(plan.arrivalZone)) · \(Formats.minutes(minutes))"
    }

    /// "Increased risk: oestrogen.", with the advice to see a doctor when the core gives it (as on Android).
    var risk: String? {
        guard let risk = plan?.risk else { return nil }
        var text = risk.label.prefix(1).uppercased() + risk.label.dropFirst()
        if !risk.factors.isEmpty { text += ": " + risk.factors.joined(separator: ", ") }
        text += "."
        if risk.talkToDoctor { text += " Talk to your doctor before you fly." }
        return text
    }

    /// What the figures mean for everyone on such a flight (the core's population note), shown under the risk.
    var riskNote: String? { plan?.risk.populationNote }

    /// Whether `item` is past, the next one, or later (only for a flight in progress).
    func state(of item: PlanItem, now: Date = Date()) -> TimelineState {
        guard inProgress else { return .later }
        if item == next { return .now }
        return item.at < now ? .done : .later
    }
}

/// A question (or an exercise) with its key and its words.
struct Question: Identifiable, Hashable {
    let key: String
    let text: String
    var id: String { key }
}

/// Where a timeline item stands against now.
enum TimelineState {
    case done, now, later
}
