package app.secondheart.ui.components

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.size
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.text.TextStyle
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import androidx.compose.ui.unit.sp
import app.secondheart.ui.theme.LocalMetricColors

/**
 * The rep counter: the count in large figures inside a ring that fills
 * with the set, and an inner ring for the hold a sensor measures. TalkBack reads each new
 * count as it happens (a polite live region); the cue under it is read
 * when reached, not announced: a sensor's hold cue changes with every
 * frame ("Hold… 0.7 s to go"), and a live region over it would never
 * fall silent.
 */
@Composable
fun RepCounter(reps: Int, target: Int, hold: Float?, cue: String, modifier: Modifier = Modifier) {
    val metrics = LocalMetricColors.current
    Column(
        modifier,
        horizontalAlignment = Alignment.CenterHorizontally,
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        Box(
            Modifier.size(220.dp).clearAndSetSemantics {
                contentDescription = "$reps of $target reps"
                liveRegion = LiveRegionMode.Polite
            },
            contentAlignment = Alignment.Center,
        ) {
            ProgressRing(reps.toFloat() / target.coerceAtLeast(1), metrics.sets, Modifier.size(220.dp), stroke = 16.dp)
            // The hold's inner ring only where a hold is measured (a sensor): tapped reps have none.
            if (hold != null) ProgressRing(hold, metrics.activeMinutes, Modifier.size(176.dp), stroke = 8.dp)
            Column(horizontalAlignment = Alignment.CenterHorizontally) {
                Text("$reps", style = TextStyle(fontSize = 72.sp, fontWeight = FontWeight.Bold, fontFeatureSettings = "tnum"), color = MaterialTheme.colorScheme.onSurface)
                Text("of $target", style = MaterialTheme.typography.titleMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
            }
        }
        Text(cue, style = MaterialTheme.typography.titleMedium, color = MaterialTheme.colorScheme.onSurface, textAlign = androidx.compose.ui.text.style.TextAlign.Center)
    }
}
