import Foundation

/// The phone's clock and zone, as the Rust core reads them.
final class SystemClock: Clock, @unchecked Sendable {
    func now() throws -> Date { Date() }
    func timeZone() throws -> String { TimeZone.current.identifier }
}

/// Drives the home screen over the Rust core. Calls run off the main
/// thread because the core does blocking SQLite work; the core tells the
/// model when Today changed, so nothing polls.
@MainActor
final class TodayModel: ObservableObject {
    @Published private(set) var today: TodayView?
    @Published private(set) var formError: String?
    @Published private(set) var fatalError: String?
    @Published var session: SessionUpdate?
    @Published var message: String?
    @Published var gateMessage: String?
    @Published var flightPlan: FlightPlan?
    @Published var week: [Period] = []

    let core: SecondHeart?
    private var subscription: TodaySubscription?

    init() {
        do {
            let dir = try FileManager.default.url(
                for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true)
            core = try SecondHeart.open(
                path: dir.appendingPathComponent("second-heart.db").path, clock: SystemClock())
        } catch {
            core = nil
            fatalError = error.localizedDescription
        }
        subscription = core?.observeToday(listener: TodayObserver(model: self))
        refresh()
    }

    /// Reloads Today in the user's zone.
    func refresh() {
        guard let core else { return }
        Task.detached {
            let today = try? core.today().view()
            await MainActor.run { self.today = today }
        }
    }

    fileprivate func show(_ today: TodayView) {
        self.today = today
    }

    /// Logs a walk that has just ended; `minutes` and `steps` are the form's text.
    func logFinishedWalk(minutes: String, steps: String) {
        guard let core else { return }
        guard let minutes = Int64(minutes.trimmingCharacters(in: .whitespaces)),
              let steps = Int64(steps.trimmingCharacters(in: .whitespaces)) else {
            formError = "Enter whole numbers for minutes and steps."
            return
        }
        let start = Date().addingTimeInterval(TimeInterval(-minutes * 60))
        Task.detached {
            do {
                _ = try core.sessions().logWalk(
                    start: start, timeZone: nil, durationSeconds: minutes * 60, steps: steps)
                await MainActor.run { self.formError = nil }
            } catch let error as SecondHeartError {
                await MainActor.run { self.formError = error.localizedDescription }
            }
        }
    }
}

/// Hands each new Today to the model on the main actor.
private final class TodayObserver: TodayListener, @unchecked Sendable {
    private weak var model: TodayModel?

    init(model: TodayModel) { self.model = model }

    func todayChanged(today: TodayView) throws {
        Task { @MainActor [weak model] in model?.show(today) }
    }
}

/// What the other screens do through the same core.
extension TodayModel {
    /// Runs `work` off the main thread; a core error becomes the screen's message.
    func act(_ work: @escaping @Sendable (SecondHeart) throws -> Void) {
        guard let core else { return }
        Task.detached {
            do {
                try work(core)
                let status = try core.sessions().status()
                await MainActor.run { self.session = status; self.message = nil }
            } catch let error as SecondHeartError {
                await MainActor.run { self.message = error.localizedDescription }
            }
        }
    }

    func startWalk() { act { _ = try $0.sessions().startWalk() } }

    func startSet(_ kind: SessionKind) {
        act { _ = try $0.sessions().startSet(kind: kind, targets: SetTargets()) }
    }

    func record(_ event: SessionEvent) { act { _ = try $0.sessions().record(event: event) } }

    /// Starts leg elevation; the core refuses with the reason when an answer says no.
    func startElevation(_ answers: [String: Bool]) {
        guard let core else { return }
        let given = ElevationAnswers(
            recentLegInjury: answers["recent_leg_injury"] ?? true,
            legPainNow: answers["leg_pain_now"] ?? true,
            feelingFaintOrUnwell: answers["feeling_faint_or_unwell"] ?? true,
            breathlessLyingFlat: answers["breathless_lying_flat"] ?? true)
        Task.detached {
            do {
                let update = try core.sessions().startElevation(answers: given, minutes: 15, angleDeg: nil)
                await MainActor.run { self.session = update; self.gateMessage = nil }
            } catch let error as SecondHeartError {
                await MainActor.run { self.gateMessage = error.localizedDescription }
            }
        }
    }

    func planFlight(departure: Date, from: String, to: String, hours: Double, oestrogen: Bool, previousClot: Bool) {
        guard let core else { return }
        let factors = RiskFactors(
            previousClot: previousClot, recentSurgeryOrTrauma: false, activeCancer: false, pregnant: false,
            postpartum: false, oestrogen: oestrogen, limitedMobility: false, thrombophilia: false,
            severalRecentFlights: false, obesity: false)
        let details = FlightDetails(
            departure: departure, departureZone: from, arrival: nil, hours: hours, arrivalZone: to,
            seat: .aisle, moveEveryMin: 60, sleep: nil, riskFactors: factors)
        Task.detached {
            do {
                let plan = try core.flights().plan(details: details)
                await MainActor.run { self.flightPlan = plan }
            } catch let error as SecondHeartError {
                await MainActor.run { self.message = error.localizedDescription }
            }
        }
    }

    func loadHistory() {
        guard let core else { return }
        Task.detached {
            let week = (try? core.history().periods(by: .day, count: 7)) ?? []
            await MainActor.run { self.week = week }
        }
    }

    func deleteAll() {
        act { try $0.data().deleteAll(confirmed: true) }
        message = "All your data was deleted from this device"
        refresh()
    }
}
