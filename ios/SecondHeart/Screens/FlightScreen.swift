import SwiftUI

/// Flight: the form and risk questions, then the plan's timeline in both
/// zones, the in-seat exercises and, in flight, what is next.
struct FlightScreen: View {
    @EnvironmentObject private var model: FlightModel
    /// The form as typed, kept with the scene (`FlightModel.saved`).
    @SceneStorage("flight.form") private var savedForm = ""

    var body: some View {
        List {
            if let plan = model.plan {
                PlanSections(plan: plan)
            } else {
                FlightFormSections()
            }
            MessageRow(message: model.message)
        }
        .navigationTitle("Flight")
        .onAppear {
            model.restore(savedForm)
            savedForm = model.saved(model.form)
        }
        .onChange(of: model.form) { savedForm = model.saved($0) }
        // A flight may have landed, or been started elsewhere, since the screen was last shown; a started
        // flight's next item and its timeline's "now" move with the clock: read on showing, then each minute.
        .task {
            while !Task.isCancelled {
                model.refresh()
                try? await Task.sleep(nanoseconds: 60_000_000_000)
            }
        }
    }
}

private struct FlightFormSections: View {
    @EnvironmentObject private var model: FlightModel

    var body: some View {
        Section("Your flight") {
            TextField("From (time zone, e.g. Europe/Berlin)", text: $model.form.from)
                .textInputAutocapitalization(.never).autocorrectionDisabled()
                .accessibilityLabel("Departure time zone")
            DatePicker("Departs (local)", selection: $model.form.departure)
                .environment(\.timeZone, FlightForm.pickerZone(model.form.from))
                .accessibilityLabel("Departure time, local at the departure airport")
            TextField("To (time zone, e.g. America/Los_Angeles)", text: $model.form.to)
                .textInputAutocapitalization(.never).autocorrectionDisabled()
                .accessibilityLabel("Arrival time zone")
            DatePicker("Arrives (local)", selection: $model.form.arrival)
                .environment(\.timeZone, FlightForm.pickerZone(model.form.to))
                .accessibilityLabel("Arrival time, local at the arrival airport")
            Picker("Seat", selection: $model.form.seat) {
                Text("Aisle").tag(Seat.aisle)
                Text("Middle").tag(Seat.middle)
                Text("Window").tag(Seat.window)
            }
            .accessibilityLabel("Seat")
            Picker("Move every", selection: $model.form.moveEveryMin) {
                Text("30 min").tag(UInt32(30))
                Text("45 min").tag(UInt32(45))
                Text("60 min").tag(UInt32(60))
            }
            .accessibilityLabel("Move every")
            TextField("Sleep, destination time, e.g. 23:00-06:00 (optional)", text: $model.form.sleep)
                .keyboardType(.numbersAndPunctuation)
                .accessibilityLabel("When you plan to sleep, in the destination's time, optional")
        }
        Section("A few questions") {
            ForEach(FlightModel.risks) { risk in
                Toggle(risk.text, isOn: Binding(
                    get: { model.form.risks.contains(risk.key) },
                    set: { on in
                        if on { model.form.risks.insert(risk.key) } else { model.form.risks.remove(risk.key) }
                    }))
                .accessibilityLabel(risk.text)
            }
        }
        Button { model.makePlan() } label: {
            Text("Make my plan").frame(maxWidth: .infinity, minHeight: 44)
        }
        .buttonStyle(.borderedProminent)
        .accessibilityLabel("Make my flight plan")
    }
}

private struct PlanSections: View {
    @EnvironmentObject private var model: FlightModel
    let plan: FlightPlan
    /// The take-off of the started flight Cancel flight was tapped on.
    @State private var cancelling: Date?

    var body: some View {
        Section {
            if let title = model.title { Text(title).font(.headline) }
            if let risk = model.risk { Text(risk).fontWeight(.semibold) }
            if let note = model.riskNote { Text(note).font(.footnote).foregroundStyle(.secondary) }
            ForEach(plan.advice, id: \.self) { Text("• \($0)") }
        }
        if model.inProgress, let next = model.next {
            Section("Next") {
                Text("\(String(next.departureLocal.suffix(5))): \(next.text)").font(.title3)
                    .accessibilityLabel("Next at \(String(next.departureLocal.suffix(5))): \(next.text)")
            }
        }
        Section {
            ForEach(Array(plan.schedule.enumerated()), id: \.offset) { _, item in
                TimelineRow(item: item, state: model.state(of: item))
            }
        } header: {
            HStack {
                Text(Formats.city(plan.departureZone)).frame(width: 64, alignment: .leading)
                Text(Formats.city(plan.arrivalZone)).frame(width: 64, alignment: .leading)
                Text("Timeline")
            }
        }
        Section("In-seat exercises") {
            ForEach(FlightModel.inSeat) { exercise in
                VStack(alignment: .leading) {
                    Text(exercise.key).font(.headline)
                    Text(exercise.text).foregroundStyle(.secondary)
                }
                .accessibilityElement(children: .combine)
            }
        }
        Section {
            // Cancel takes Start's row in this section, as on Android (the
            // plan's Next comes in above as the start lands, moving the rows).
            if model.inProgress {
                InPlaceButton("Cancel flight", role: .destructive) { cancelling = plan.departure }
                    .accessibilityLabel("Cancel this flight")
                    .frame(minHeight: 44)
            } else {
                InPlaceButton("Start this flight") { model.start() }
                    .disabled(model.starting)
                    .accessibilityLabel("Start this flight: reminders follow the plan")
                    .frame(minHeight: 44)
            }
            // The rows move as the start lands (the plan's Next comes in
            // above): drawn afresh then, so a double tap's second half on it
            // is no request for the form.
            InPlaceButton("Plan another flight") { model.clear() }
                .id(model.inProgress)
                .accessibilityLabel("Plan another flight")
                .frame(minHeight: 44)
        }
        .confirmationDialog("Cancel this flight?", isPresented: Binding(
            get: { cancelling != nil }, set: { if !$0 { cancelling = nil } }
        ), titleVisibility: .visible, presenting: cancelling) { departure in
            Button("Cancel the flight", role: .destructive) { model.cancelFlight(departure: departure) }
            Button("Keep it", role: .cancel) {}
        } message: { _ in
            Text("Its reminders stop, and your days stay in your own time zone. You can plan it again.")
        }
        // Another flight shown now (the one asked about landed): the question no longer stands.
        .onChange(of: plan.departure) { _ in cancelling = nil }
    }
}

/// One step of the plan: the time at home and away, what to do.
private struct TimelineRow: View {
    let item: PlanItem
    let state: TimelineState

    var body: some View {
        HStack(alignment: .top) {
            Text(String(item.departureLocal.suffix(5))).monospacedDigit().frame(width: 64, alignment: .leading)
            Text(String(item.arrivalLocal.suffix(5))).monospacedDigit().foregroundStyle(.secondary)
                .frame(width: 64, alignment: .leading)
            VStack(alignment: .leading) {
                Text(item.title).font(.headline)
                Text(item.text)
            }
        }
        .opacity(state == .done ? 0.55 : 1)
        .listRowBackground(state == .now ? brand.opacity(0.15) : nil)
        .accessibilityElement(children: .ignore)
        .accessibilityLabel("\(String(item.departureLocal.suffix(5))) at home, \(String(item.arrivalLocal.suffix(5))) at the destination: \(item.title), \(item.text)\(state == .now ? ", next" : "")")
    }
}
