package app.secondheart.ui.screens

import androidx.compose.foundation.ScrollState
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.rememberScrollState
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Slider
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.semantics.stateDescription
import androidx.compose.ui.unit.dp
import app.secondheart.state.LearnInput
import app.secondheart.state.LearnInputUi
import app.secondheart.state.LearnUi
import app.secondheart.state.ModelChartUi
import app.secondheart.ui.components.Choices
import app.secondheart.ui.components.LineChart
import app.secondheart.ui.components.ScreenHeader
import app.secondheart.ui.components.SectionCard
import app.secondheart.ui.theme.AppIcons
import app.secondheart.ui.theme.LocalMetricColors

/** What Learn asks the app to do. */
interface LearnActions {
    /** Moves a slider. */
    fun set(input: LearnInput, value: Float)

    /** Chooses which valves hold. */
    fun chooseValves(id: String)

    /** Chooses what a break from sitting is. */
    fun chooseBreak(id: String)
}

/**
 * Learn: the second heart explained with the pump model itself. Each card
 * has a chart of the model's run for the inputs beside it, and says in
 * words what the chart shows; the first-aid card closes the screen.
 */
@Composable
fun LearnScreen(
    state: LearnUi,
    actions: LearnActions,
    modifier: Modifier = Modifier,
    scroll: ScrollState = rememberScrollState(),
    onBack: (() -> Unit)? = null,
) {
    val metrics = LocalMetricColors.current
    ScreenColumn(modifier, scroll) {
        ScreenHeader("Your second heart", "Learn", onBack = onBack)
        Text(
            "Your calf muscles are a second heart. Each step squeezes the deep veins inside them, and one-way valves let the blood " +
                "go only upwards, back to your heart. The charts come from Second Heart's model of that pump: move the sliders.",
            style = MaterialTheme.typography.bodyLarge,
        )
        state.message?.let { Text(it, style = MaterialTheme.typography.bodyLarge, color = MaterialTheme.colorScheme.error) }
        SectionCard("On a walk") {
            Running(state.running)
            state.pressure?.let { ModelChart(it, listOf(metrics.pumped)) }
            InputSlider(state.walking, actions)
            state.volume?.let {
                HorizontalDivider(color = MaterialTheme.colorScheme.outlineVariant)
                ModelChart(it, listOf(metrics.sets))
            }
        }
        SectionCard("What sitting does") {
            Text(
                "In a seat the calves hardly move, so the pump stops. The veins stay full, the pressure in them stays high, and fluid " +
                    "seeps from the blood into the tissue around them: the ankles swell.",
                style = MaterialTheme.typography.bodyLarge,
            )
            Running(state.running)
            state.swelling?.let { ModelChart(it, listOf(metrics.sitting, metrics.steps)) }
            state.sitting.forEach { InputSlider(it, actions) }
            Text("Each break", style = MaterialTheme.typography.labelLarge)
            Choices(state.breakKinds, "Each break", actions::chooseBreak)
        }
        SectionCard("Stockings and valves") {
            Text(
                "A compression stocking presses on the calf from outside: the veins hold less blood and less fluid leaks out. The valves " +
                    "keep pumped blood from falling back; where they leak, the pressure at the ankle stays high even on a walk.",
                style = MaterialTheme.typography.bodyLarge,
            )
            InputSlider(state.stockings, actions)
            Text("Your valves", style = MaterialTheme.typography.labelLarge)
            Choices(state.valves, "Your valves", actions::chooseValves)
            Text("Every chart above follows what you set here.", style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
        }
        FirstAidCard()
    }
}

/** "Updating…" while the model runs for new inputs, read out once. */
@Composable
private fun Running(running: Boolean) {
    if (running) {
        Text(
            "Updating…",
            Modifier.semantics { liveRegion = LiveRegionMode.Polite },
            style = MaterialTheme.typography.labelLarge,
            color = MaterialTheme.colorScheme.onSurfaceVariant,
        )
    }
}

/** A chart of the model's run with its title above and its answer below. */
@Composable
private fun ModelChart(chart: ModelChartUi, colors: List<Color>) {
    Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(chart.title, style = MaterialTheme.typography.titleSmall)
        LineChart(chart.series, colors, chart.xTicks, chart.unit, "${chart.title}. ${chart.answer}")
        Text(chart.answer, style = MaterialTheme.typography.bodyLarge)
    }
}

/** A labelled slider with its value read out beside it. */
@Composable
private fun InputSlider(input: LearnInputUi, actions: LearnActions) {
    Column {
        Row(verticalAlignment = Alignment.CenterVertically) {
            Text(input.label, Modifier.weight(1f), style = MaterialTheme.typography.bodyLarge)
            Text(input.text, style = MaterialTheme.typography.labelLarge)
        }
        Slider(
            value = input.value,
            onValueChange = { actions.set(input.id, it) },
            valueRange = input.min..input.max,
            steps = input.steps,
            modifier = Modifier.heightIn(min = 48.dp).semantics {
                contentDescription = input.label
                stateDescription = input.text
            },
        )
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
