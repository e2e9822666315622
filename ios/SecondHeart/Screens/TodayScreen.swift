import SwiftUI

/// Today: rings for steps, active minutes, litres pumped and sets against
/// the goals; the sitting stretch; the next break; a flight's next step;
/// water and compression socks, logged here; the sensor and its last sync.
struct TodayScreen: View {
    @EnvironmentObject private var model: TodayModel
    /// When socks left on since an earlier day came off, as picked.
    @State private var cameOff = Date()

    var body: some View {
        List {
            if let today = model.today {
                Section {
                    Text(model.headline).font(.title3.weight(.semibold))
                    LazyVGrid(columns: [GridItem(), GridItem()], spacing: 16) {
                        ForEach(model.rings, id: \.kind) { RingView(ring: $0) }
                    }
                    .padding(.vertical, 8)
                } header: {
                    Text(Formats.longDate(today.date))
                }
                if let sitting = model.sitting {
                    Section("Sitting") {
                        Text(sitting)
                        if let due = model.breakDue {
                            ProgressView(value: due.fraction)
                                .tint(due.overdue ? .orange : brand)
                                .accessibilityLabel(due.overdue ? "A break is due" : "Toward the next break")
                        }
                        if let next = model.nextBreak { Text(next).foregroundStyle(.secondary) }
                    }
                } else if let next = model.nextBreak {
                    // No sitting today yet (as on Android): the next break on its own.
                    Section("Next break") { Text(next) }
                }
                if let flight = model.flight {
                    Section("Flight") { Text(flight) }
                }
                Section("Drinks") {
                    if let drinks = model.drinks { Text(drinks) }
                    Button("Log a glass of water (250 mL)") { model.drink(ml: 250) }
                        .accessibilityLabel("Log a glass of water, 250 millilitres")
                        .frame(minHeight: 44)
                }
                Section("Compression socks") {
                    Text(model.socks)
                    if let caution = model.socksCaution {
                        Text(caution).font(.footnote).foregroundStyle(.red)
                    }
                    if let since = model.socksLeftOnSince {
                        // On since an earlier day, "off" could mean then or now: this one says now.
                        InPlaceButton("I took them off just now") { model.socksOff() }
                            .accessibilityLabel("I took my compression socks off just now")
                            .frame(minHeight: 44)
                        DatePicker("Came off at", selection: $cameOff, in: since...max(since, Date()), displayedComponents: [.date, .hourAndMinute])
                        // The picker shows its bounds, not a value left outside them (one set when the screen was made).
                        Button("They came off then") { model.socksOff(at: min(max(cameOff, since), Date())) }
                            .accessibilityLabel("My compression socks came off at the time picked")
                            .frame(minHeight: 44)
                    } else if model.wearingSocks {
                        InPlaceButton("I took them off") { model.socksOff() }
                            .accessibilityLabel("I took my compression socks off")
                            .frame(minHeight: 44)
                    } else {
                        Picker("Socks", selection: $model.socksMmhg) {
                            ForEach(model.garments, id: \.mmhg) { Text($0.label).tag($0.mmhg) }
                        }
                        .accessibilityLabel("Compression class of the socks")
                        InPlaceButton("I put them on") { model.socksOn() }
                            .accessibilityLabel("I put my compression socks on")
                            .frame(minHeight: 44)
                    }
                }
                Section("Sensor") {
                    VStack(alignment: .leading) {
                        Text(model.sensor.title)
                        Text(model.sensor.detail).foregroundStyle(.secondary)
                    }
                    .accessibilityElement(children: .combine)
                }
                MessageRow(message: model.message)
            } else if let problem = model.message {
                // The first read failed: said, and tried again each minute (below) or now.
                Text(problem).foregroundStyle(.red).accessibilityLabel(problem)
                Button("Try again") { model.refresh() }
                    .frame(minHeight: 44)
            } else {
                ProgressView().accessibilityLabel("Loading today")
            }
        }
        .navigationTitle("Today")
        .refreshable { await model.refresh().value }
        // The sitting stretch grows, and the date turns, with no write: read on showing, then each minute while shown.
        .task {
            while !Task.isCancelled {
                model.refresh()
                try? await Task.sleep(nanoseconds: 60_000_000_000)
            }
        }
    }
}
