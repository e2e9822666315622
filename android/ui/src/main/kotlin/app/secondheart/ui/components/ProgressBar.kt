package app.secondheart.ui.components

import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.draw.clip
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import app.secondheart.ui.theme.LocalMetricColors

/** The app's progress bar: full width, 10 dp, rounded, [fraction] of it in [color]; a screen reader reads [description]. */
@Composable
fun ProgressBar(fraction: Float, description: String, color: Color, modifier: Modifier = Modifier) {
    LinearProgressIndicator(
        progress = { fraction.coerceIn(0f, 1f) },
        modifier = modifier.fillMaxWidth().height(10.dp).clip(MaterialTheme.shapes.small)
            .semantics { contentDescription = description },
        color = color,
        trackColor = LocalMetricColors.current.track,
        drawStopIndicator = {},
    )
}
