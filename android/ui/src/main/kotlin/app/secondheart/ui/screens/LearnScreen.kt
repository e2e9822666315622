package app.secondheart.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Slider
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.semantics.stateDescription
import androidx.compose.ui.unit.dp
import app.secondheart.state.LearnUi
import app.secondheart.ui.components.LineChart
import app.secondheart.ui.components.ScreenHeader
import app.secondheart.ui.components.SectionCard
import app.secondheart.ui.theme.AppIcons
import app.secondheart.ui.theme.LocalMetricColors

/** Learn: the second heart explained by the model itself, and the first-aid card. */
@Composable
fun LearnScreen(state: LearnUi, onInput: (id: String, value: Float) -> Unit, modifier: Modifier = Modifier) {
    val metrics = LocalMetricColors.current
    ScreenColumn(modifier) {
        ScreenHeader("Your second heart", "Learn")
        SectionCard(null) {
            Text(
                "Each step squeezes the deep veins of your calf. One-way valves let the blood go only upwards, towards the heart. " +
                    "Sitting still stops the pump: pressure at the ankle stays high and fluid seeps into the tissue.",
                style = MaterialTheme.typography.bodyLarge,
            )
        }
        SectionCard(state.chartTitle) {
            LineChart(state.series, listOf(metrics.pumped, metrics.steps, metrics.sets), state.xLabels, "${state.chartTitle}. ${state.answer}")
            Text(state.answer, style = MaterialTheme.typography.bodyLarge)
        }
        SectionCard("Try it") {
            state.inputs.forEach { input ->
                Column {
                    Row {
                        Text(input.label, Modifier.weight(1f), style = MaterialTheme.typography.bodyLarge)
                        Text(input.text, style = MaterialTheme.typography.labelLarge)
                    }
                    Slider(
                        value = input.value,
                        onValueChange = { onInput(input.id, it) },
                        valueRange = input.min..input.max,
                        modifier = Modifier.semantics {
                            contentDescription = input.label
                            stateDescription = input.text
                        },
                    )
                }
            }
        }
        FirstAidCard()
    }
}

/** The first-aid card (clinical seed, docs/companion.md): legs up for shock without trauma, never after an injury. */
@Composable
fun FirstAidCard() {
    SectionCard(null, container = MaterialTheme.colorScheme.errorContainer) {
        Row(horizontalArrangement = Arrangement.spacedBy(12.dp)) {
            Icon(AppIcons.Warning, contentDescription = null, Modifier.size(24.dp), tint = MaterialTheme.colorScheme.onErrorContainer)
            Text("First aid: someone in shock", style = MaterialTheme.typography.titleMedium, color = MaterialTheme.colorScheme.onErrorContainer)
        }
        val color = MaterialTheme.colorScheme.onErrorContainer
        Column(Modifier.padding(start = 4.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
            Text("1. Call emergency services first.", style = MaterialTheme.typography.bodyLarge, color = color)
            Text("2. If there is no injury, lay them flat on their back and raise their feet about 30–45° while you wait.", style = MaterialTheme.typography.bodyLarge, color = color)
            Text("3. Stop if it hurts them.", style = MaterialTheme.typography.bodyLarge, color = color)
            Text("Never raise the legs after a leg, hip, head, neck or spine injury.", style = MaterialTheme.typography.titleSmall, color = color)
        }
    }
}
