package app.secondheart.ui.components

import androidx.compose.foundation.Canvas
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.size
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.StrokeCap
import androidx.compose.ui.graphics.drawscope.Stroke
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.Dp
import androidx.compose.ui.unit.dp
import app.secondheart.state.RingKind
import app.secondheart.state.RingUi
import app.secondheart.ui.theme.LocalMetricColors
import app.secondheart.ui.theme.MetricColors

/** The colour of a ring's measure, the same on every screen. */
fun MetricColors.of(kind: RingKind?): Color = when (kind) {
    RingKind.Steps -> steps
    RingKind.ActiveMinutes -> activeMinutes
    RingKind.Pumped -> pumped
    RingKind.Sets -> sets
    null -> sitting
}

/** An arc from the top, clockwise, over a track; a second lap is drawn over the first. */
@Composable
fun ProgressRing(fraction: Float, color: Color, modifier: Modifier = Modifier, stroke: Dp = 10.dp, track: Color = LocalMetricColors.current.track) {
    Canvas(modifier) {
        val width = stroke.toPx()
        val inset = width / 2
        val arc = Size(size.width - width, size.height - width)
        drawArc(track, 0f, 360f, false, Offset(inset, inset), arc, style = Stroke(width))
        val sweep = 360f * fraction.coerceIn(0f, 1f)
        if (sweep > 0f) drawArc(color, -90f, sweep, false, Offset(inset, inset), arc, style = Stroke(width, cap = StrokeCap.Round))
        if (fraction > 1f) {
            val lap = 360f * (fraction - 1f).coerceAtMost(1f)
            drawArc(color.copy(alpha = 0.55f), -90f, lap, false, Offset(inset, inset), arc, style = Stroke(width, cap = StrokeCap.Round))
        }
    }
}

/**
 * A ring with its value inside and its label below; read out as one
 * sentence. With large text the ring stands beside its figures, where they
 * have the width of the screen.
 */
@Composable
fun RingTile(ring: RingUi, modifier: Modifier = Modifier, diameter: Dp = 112.dp) {
    val color = LocalMetricColors.current.of(ring.kind)
    val semantics = Modifier.clearAndSetSemantics {
        contentDescription = "${ring.label}: ${ring.value} ${ring.goal}" + if (ring.met) ", goal met" else ""
    }
    if (LocalDensity.current.fontScale > 1.3f) {
        Row(modifier.then(semantics).fillMaxWidth(), verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(16.dp)) {
            ProgressRing(ring.fraction, color, Modifier.size(64.dp), stroke = 9.dp)
            Column {
                Text(ring.label, style = MaterialTheme.typography.labelLarge, color = MaterialTheme.colorScheme.onSurface)
                Figures(ring, Alignment.Start)
            }
        }
        return
    }
    Column(
        modifier.then(semantics),
        horizontalAlignment = Alignment.CenterHorizontally,
        verticalArrangement = Arrangement.spacedBy(8.dp),
    ) {
        Box(Modifier.size(diameter), contentAlignment = Alignment.Center) {
            ProgressRing(ring.fraction, color, Modifier.fillMaxSize(), stroke = 11.dp)
            Figures(ring, Alignment.CenterHorizontally)
        }
        Text(ring.label, style = MaterialTheme.typography.labelLarge, color = MaterialTheme.colorScheme.onSurface, textAlign = TextAlign.Center)
    }
}

@Composable
private fun Figures(ring: RingUi, alignment: Alignment.Horizontal) {
    Column(horizontalAlignment = alignment) {
        Text(ring.value, style = MaterialTheme.typography.titleLarge, color = MaterialTheme.colorScheme.onSurface, textAlign = TextAlign.Center)
        Text(ring.goal, style = MaterialTheme.typography.labelMedium, color = MaterialTheme.colorScheme.onSurfaceVariant, textAlign = TextAlign.Center)
    }
}
