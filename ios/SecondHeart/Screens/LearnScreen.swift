import SwiftUI

/// Learn: the second heart explained — the calf pump, the valves, what
/// sitting does — and the first-aid card (the same words as the Compose
/// app's LearnScreen).
struct LearnScreen: View {
    var body: some View {
        List {
            Section("Your second heart") {
                Text("Each step squeezes the deep veins of your calf. One-way valves let the blood go only upwards, towards the heart. Sitting still stops the pump: pressure at the ankle stays high and fluid seeps into the tissue.")
            }
            Section("What sitting does") {
                Text("Sitting or standing still, the blood in your leg veins weighs on your ankles. Each step empties the calf veins, so the pressure at the ankle falls while you walk and climbs back when you stop. Short, regular breaks from sitting keep it from building up all day.")
            }
            FirstAidCard()
        }
        .navigationTitle("Learn")
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
