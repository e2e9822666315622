import SwiftUI

/// Devices: scan, pair, sync with progress and cancel, live data, forget,
/// and which sensor walks and sets count from.
struct DevicesScreen: View {
    @EnvironmentObject private var model: DevicesModel

    var body: some View {
        List {
            if let sync = model.sync {
                Section("Syncing \(sync.label)") {
                    if let fraction = sync.fraction {
                        ProgressView(value: fraction).accessibilityLabel("Sync progress")
                            .accessibilityValue(sync.text)
                    } else {
                        ProgressView().accessibilityLabel("Connecting to the sensor")
                    }
                    Text(sync.text).monospacedDigit()
                    Button("Cancel sync", role: .cancel) { model.cancelSync() }
                        .accessibilityLabel("Cancel the sync; the records so far are kept")
                        .frame(minHeight: 44)
                }
            }
            Section("Paired") {
                if model.paired.isEmpty {
                    Text("No sensor paired yet. Scan to find yours.").foregroundStyle(.secondary)
                }
                ForEach(model.paired, id: \.serial) { sensor in
                    VStack(alignment: .leading, spacing: 6) {
                        // Non-breaking hyphens: the serial wraps whole, not at its hyphens.
                        Text("\(sensor.model) \(sensor.serial)".replacingOccurrences(of: "-", with: "\u{2011}")).font(.headline)
                        Text(model.detail(sensor)).foregroundStyle(.secondary)
                        HStack {
                            // One radio operation a sensor: stop live data to sync.
                            Button("Sync") { model.sync(sensor) }
                                .buttonStyle(.borderedProminent)
                                .disabled(model.sync != nil || model.liveSerial != nil)
                                .accessibilityLabel("Sync \(sensor.serial)")
                            if model.liveSerial == sensor.serial {
                                Button("Stop live") { model.stopLive() }
                                    .buttonStyle(.bordered)
                                    .disabled(model.countingSession)
                                    .accessibilityLabel("Stop live data from \(sensor.serial)")
                            } else {
                                Button("Live") { model.startLive(sensor) }
                                    .buttonStyle(.bordered)
                                    .disabled(model.sync != nil || model.countingSession)
                                    .accessibilityLabel("Show live data from \(sensor.serial)")
                            }
                            Button("Forget", role: .destructive) { model.confirmingForget = sensor }
                                .buttonStyle(.bordered)
                                .disabled(model.sync != nil || model.liveSerial != nil)
                                .accessibilityLabel("Forget \(sensor.serial) and delete its records")
                        }
                        .frame(minHeight: 44)
                        if model.liveSerial == sensor.serial, let live = model.live {
                            Text(live).monospacedDigit().accessibilityLabel("Live: \(live)")
                        }
                    }
                }
            }
            if !model.countFrom.isEmpty {
                // One choice, as radio buttons on Android: a row each, the one in force ticked.
                Section("Count walks and sets from") {
                    ForEach(model.countFrom) { choice in
                        Button {
                            if !choice.selected { model.countSessions(from: choice.serial) }
                        } label: {
                            HStack {
                                // Non-breaking hyphens, as above.
                                Text(choice.label.replacingOccurrences(of: "-", with: "\u{2011}")).foregroundStyle(.primary)
                                Spacer()
                                if choice.selected {
                                    Image(systemName: "checkmark").foregroundStyle(brand).accessibilityHidden(true)
                                }
                            }
                            .frame(minHeight: 44)
                            .contentShape(Rectangle())
                        }
                        .accessibilityLabel("Count walks and sets from: \(choice.label)")
                        .accessibilityAddTraits(choice.selected ? .isSelected : [])
                    }
                }
            }
            Section("Nearby") {
                if model.scanning {
                    HStack {
                        ProgressView().accessibilityLabel("Scanning")
                        Text("Looking for sensors…")
                        Spacer()
                        Button("Stop") { model.cancelScan() }.accessibilityLabel("Stop scanning")
                    }
                } else {
                    Button { model.scan() } label: {
                        Label("Scan for sensors", systemImage: "antenna.radiowaves.left.and.right")
                            .frame(minHeight: 44)
                    }
                    .accessibilityLabel("Scan for sensors")
                }
                ForEach(model.unpaired) { sensor in
                    HStack {
                        VStack(alignment: .leading) {
                            Text(sensor.name)
                            Text(sensor.detail).font(.footnote).foregroundStyle(.secondary)
                        }
                        Spacer()
                        Button("Pair") { model.pair(sensor) }
                            .buttonStyle(.bordered)
                            .disabled(model.sync != nil)
                            .accessibilityLabel("Pair \(sensor.name)")
                    }
                    .frame(minHeight: 44)
                }
            }
            MessageRow(message: model.message)
            if let reset = model.resetSensor {
                // The sync found it reset: its history is kept, and it syncs afresh.
                Button("Keep its history and sync it afresh") { model.keepHistoryAndResync(reset) }
                    .disabled(model.sync != nil)
                    .frame(minHeight: 44)
                    .accessibilityLabel("Keep the history of \(reset.serial) and sync it afresh")
            }
        }
        .navigationTitle("Devices")
        .refreshable { await model.refresh().value }
        // Pairings and syncs change elsewhere too (Delete all data, a restored link).
        .onAppear { model.refresh() }
        .onDisappear { model.stopWatching() }
        .confirmationDialog(
            "Forget this sensor?",
            isPresented: Binding(get: { model.confirmingForget != nil }, set: { if !$0 { model.confirmingForget = nil } }),
            titleVisibility: .visible
        ) {
            if let sensor = model.confirmingForget {
                Button("Forget \(sensor.serial) and delete its records", role: .destructive) { model.forget(sensor) }
            }
            Button("Keep it", role: .cancel) { model.confirmingForget = nil }
        } message: {
            Text("Its records are deleted from this phone. You can pair it again later.")
        }
    }
}
