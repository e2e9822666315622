package app.secondheart.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.TextStyle
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import androidx.compose.ui.unit.sp
import app.secondheart.state.WalkPhase
import app.secondheart.state.WalkUi
import app.secondheart.ui.components.PrimaryAction
import app.secondheart.ui.components.ScreenHeader
import app.secondheart.ui.components.SecondaryAction
import app.secondheart.ui.components.SectionCard
import app.secondheart.ui.components.Stat
import app.secondheart.ui.theme.AppIcons
import app.secondheart.ui.theme.LocalMetricColors

/** Walk: start, pause, finish; live steps and cadence; what the calves pumped. */
@Composable
fun WalkScreen(state: WalkUi, onStart: () -> Unit, onPause: () -> Unit, onResume: () -> Unit, onFinish: () -> Unit, modifier: Modifier = Modifier) {
    val metrics = LocalMetricColors.current
    ScreenColumn(modifier) {
        ScreenHeader("Walk", state.source)
        SectionCard(null) {
            Text(
                state.elapsed,
                style = TextStyle(fontSize = 64.sp, fontWeight = FontWeight.Bold, fontFeatureSettings = "tnum"),
                modifier = Modifier.fillMaxWidth().semantics { liveRegion = LiveRegionMode.Polite },
                color = MaterialTheme.colorScheme.onSurface,
            )
            Row(Modifier.fillMaxWidth(), horizontalArrangement = Arrangement.SpaceBetween) {
                Stat("Steps", state.steps, color = metrics.steps)
                Stat("Cadence", state.cadence)
                Stat("Calves pumped", state.pumped, color = metrics.pumped)
            }
        }
        when (state.phase) {
            WalkPhase.Ready -> PrimaryAction("Start walk", onStart, icon = AppIcons.Play)
            WalkPhase.Walking -> Row(horizontalArrangement = Arrangement.spacedBy(12.dp)) {
                SecondaryAction("Pause", onPause, Modifier.weight(1f), icon = AppIcons.Pause)
                PrimaryAction("Finish", onFinish, Modifier.weight(1f), icon = AppIcons.Stop)
            }
            WalkPhase.Paused -> Row(horizontalArrangement = Arrangement.spacedBy(12.dp)) {
                SecondaryAction("Resume", onResume, Modifier.weight(1f), icon = AppIcons.Play)
                PrimaryAction("Finish", onFinish, Modifier.weight(1f), icon = AppIcons.Stop)
            }
        }
        state.message?.let { Text(it, style = MaterialTheme.typography.bodyLarge, color = MaterialTheme.colorScheme.primary) }
        if (state.recent.isNotEmpty()) {
            SectionCard("Recent walks") {
                state.recent.forEachIndexed { i, walk ->
                    if (i > 0) HorizontalDivider(color = MaterialTheme.colorScheme.outlineVariant)
                    Column(verticalArrangement = Arrangement.spacedBy(2.dp)) {
                        Text(walk.title, style = MaterialTheme.typography.titleSmall)
                        Text(walk.detail, style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
                    }
                }
            }
        }
    }
}
