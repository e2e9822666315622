import Charts
import SwiftUI

/// Learn: the second heart explained with the model itself — the calf pump,
/// the valves, what sitting does — with charts that answer as the user
/// changes walking speed, sitting hours, breaks, stocking pressure and
/// valve reflux; and the first-aid card.
struct LearnScreen: View {
    @EnvironmentObject private var model: LearnModel

    var body: some View {
        List {
            Section("Your second heart") {
                Text("Each step squeezes the deep veins of your calf. One-way valves let the blood go only upwards, towards the heart. Sitting still stops the pump: pressure at the ankle stays high and fluid seeps into the tissue.")
            }
            Section("Walking") {
                SliderRow(title: "Walking speed", value: $model.inputs.speedKmh, range: 1...6, step: 0.5,
                          text: "\(model.inputs.speedKmh.formatted(.number.precision(.fractionLength(1)))) km/h")
                if let walk = model.answer?.walk {
                    ModelChart(title: "Ankle vein pressure, mmHg", series: [("Standing, walking 5 min, standing", walk.series)],
                               value: \.ankleVenousPressureMmhg, summary: model.walkText ?? "")
                }
                if let text = model.walkText { Text(text) }
            }
            Section("What sitting does") {
                SliderRow(title: "Hours sitting", value: $model.inputs.sittingHours, range: 1...12, step: 0.5,
                          text: "\(model.inputs.sittingHours.formatted(.number.precision(.fractionLength(0...1)))) h")
                SliderRow(title: "A break every", value: $model.inputs.breakEveryMin, range: 0...120, step: 15,
                          text: model.inputs.breakEveryMin == 0 ? "no breaks" : "\(Int(model.inputs.breakEveryMin)) min")
                Picker("Each break", selection: $model.inputs.breakKind) {
                    Text("A 5-minute walk").tag(SitBreak.walk)
                    Text("20 calf raises").tag(SitBreak.calfRaises)
                    Text("30 ankle pumps").tag(SitBreak.anklePumps)
                }
                .accessibilityLabel("What each break is")
                if let answer = model.answer {
                    // The swelling: fluid gone into the calf's tissue since sitting down (as on Android).
                    ModelChart(title: "Swelling while you sit, mL",
                               series: [("No breaks", answer.still.series), ("With your breaks", answer.sitting.series)],
                               value: \.calfTissueExcessMl, fromStart: true, summary: model.sittingText ?? "")
                }
                if let text = model.sittingText { Text(text) }
            }
            Section("Valves and stockings") {
                Picker("Valves", selection: $model.inputs.valves) {
                    Text("Healthy").tag(Valves.competent)
                    Text("Superficial reflux").tag(Valves.superficialReflux)
                    Text("Deep reflux").tag(Valves.deepReflux)
                }
                .accessibilityLabel("Which valves leak")
                if model.inputs.valves != .competent {
                    SliderRow(title: "How badly they leak", value: $model.inputs.refluxSeverity, range: 0...1, step: 0.1,
                              text: "\(Int((model.inputs.refluxSeverity * 100).rounded())) %")
                }
                SliderRow(title: "Stocking pressure", value: $model.inputs.compressionMmhg, range: 0...40, step: 5,
                          text: model.inputs.compressionMmhg == 0 ? "none" : "\(Int(model.inputs.compressionMmhg)) mmHg")
                // docs/pump-model.md, "Compression" and its validation table: stockings raise the
                // ejection fraction of refluxing legs (Ibegbuna et al.) and cut evening swelling (Partsch 2004).
                Text("The charts above follow: leaking valves let blood fall back between steps; a stocking narrows the veins, so each step empties more of them and sitting swells the leg less.")
                    .font(.footnote).foregroundStyle(.secondary)
            }
            if model.computing { ProgressView().accessibilityLabel("The model is running") }
            MessageRow(message: model.message)
            FirstAidCard()
        }
        .navigationTitle("Learn")
        // The user's legs as the profile has them now (a height changed in Settings shows).
        .onAppear { model.refresh() }
    }
}

/// A labelled slider with its value in words (and for VoiceOver).
struct SliderRow: View {
    let title: String
    @Binding var value: Double
    let range: ClosedRange<Double>
    let step: Double
    let text: String

    var body: some View {
        VStack(alignment: .leading) {
            HStack {
                Text(title)
                Spacer()
                Text(text).monospacedDigit().foregroundStyle(.secondary)
            }
            Slider(value: $value, in: range, step: step)
                .accessibilityLabel(title)
                .accessibilityValue(text)
        }
    }
}

/// A line chart of one quantity of the model's series over time (minutes);
/// with `fromStart`, its change since each series' first point.
struct ModelChart: View {
    let title: String
    let series: [(name: String, points: [ChartPoint])]
    let value: KeyPath<ChartPoint, Double>
    var fromStart = false
    let summary: String

    /// The value drawn at point `at` of series `index`.
    private func drawn(_ index: Int, _ at: Int) -> Double {
        let points = series[index].points
        let start = fromStart ? (points.first?[keyPath: value] ?? 0) : 0
        return points[at][keyPath: value] - start
    }

    var body: some View {
        VStack(alignment: .leading) {
            Text(title).font(.subheadline.weight(.semibold))
            Chart {
                ForEach(series.indices, id: \.self) { index in
                    ForEach(series[index].points.indices, id: \.self) { at in
                        LineMark(
                            x: .value("Minutes", series[index].points[at].tS / 60),
                            y: .value(title, drawn(index, at)))
                            .foregroundStyle(by: .value("Series", series[index].name))
                    }
                }
            }
            .chartXAxisLabel("minutes")
            .frame(height: 180)
        }
        .accessibilityElement(children: .ignore)
        .accessibilityLabel("\(title). \(summary)")
    }
}

/// The first-aid card: call for help; for shock without trauma, lie flat
/// with the feet raised about 30–45° while waiting (ERC Guidelines 2021:
/// First aid, Zideman et al., Resuscitation 2021;161:270, cited in
/// docs/companion.md); never after a leg or spine injury.
struct FirstAidCard: View {
    var body: some View {
        Section {
            VStack(alignment: .leading, spacing: 8) {
                Label("First aid: someone in shock", systemImage: "exclamationmark.triangle.fill").font(.headline)
                Text("1. Call emergency services first.")
                Text("2. If there is no injury, lay them flat on their back and raise their feet about 30–45° while you wait.")
                Text("3. Stop if it hurts them.")
                Text("Never raise the legs after a leg, hip, head, neck or spine injury.").font(.headline)
            }
            .padding(.vertical, 4)
            .accessibilityElement(children: .combine)
        }
        .listRowBackground(Color.red.opacity(0.12))
    }
}
