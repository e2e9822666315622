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

/**
 * Learn: the second heart explained, with the pump model's charts when
 * [state] holds them (the core's API does not hand out the model yet), and
 * the first-aid card.
 */
@Composable
fun LearnScreen(state: LearnUi?, onInput: (id: String, value: Float) -> Unit, modifier: Modifier = Modifier) {
    ScreenColumn(modifier) {
        ScreenHeader("Your second heart", "Learn")
        SectionCard(null) {
            Text(
                "Each step squeezes the deep veins of your calf. One-way valves let the blood go only upwards, towards the heart. " +
                    "Sitting still stops the pump: pressure at the ankle stays high and fluid seeps into the tissue.",
                style = MaterialTheme.typography.bodyLarge,
            )
        }
        SectionCard("What sitting does") {
            Text(
                "Sitting or standing still, the blood in your leg veins weighs on your ankles. Each step empties the calf veins, " +
                    "so the pressure at the ankle falls while you walk and climbs back when you stop. Short, regular breaks from " +
                    "sitting keep it from building up all day.",
                style = MaterialTheme.typography.bodyLarge,
            )
        }
        if (state != null) LearnModelCards(state, onInput)
        FirstAidCard()
    }
}

@Composable
private fun LearnModelCards(state: LearnUi, onInput: (id: String, value: Float) -> Unit) {
    val metrics = LocalMetricColors.current
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
}

/**
 * The first-aid card: call for help; for shock without trauma, lie flat with the feet raised about 30–45° while
 * waiting (ERC Guidelines 2021: First aid, Zideman et al., Resuscitation 2021;161:270, cited in docs/companion.md);
 * never after a leg or spine injury.
 */
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
