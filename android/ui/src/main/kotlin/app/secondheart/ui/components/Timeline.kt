package app.secondheart.ui.components

import androidx.compose.foundation.Canvas
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.IntrinsicSize
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxHeight
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.width
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.graphics.drawscope.Stroke
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import app.secondheart.state.TimelineItemUi
import app.secondheart.state.TimelineState

/** A vertical timeline with the time in two zones on the left; the current step is highlighted. */
@Composable
fun Timeline(items: List<TimelineItemUi>, homeZone: String, awayZone: String, modifier: Modifier = Modifier) {
    val line = MaterialTheme.colorScheme.outlineVariant
    val now = MaterialTheme.colorScheme.primary
    val done = MaterialTheme.colorScheme.outline
    Column(modifier) {
        Row(Modifier.fillMaxWidth().padding(bottom = 8.dp)) {
            Text(homeZone, Modifier.width(56.dp), style = MaterialTheme.typography.labelSmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
            Text(awayZone, Modifier.width(56.dp), style = MaterialTheme.typography.labelSmall, color = MaterialTheme.colorScheme.onSurfaceVariant)
        }
        items.forEachIndexed { i, item ->
            Row(
                Modifier.fillMaxWidth().height(IntrinsicSize.Min).clearAndSetSemantics {
                    contentDescription = "${item.homeTime} at home, ${item.awayTime} there: ${item.title}. ${item.detail}" +
                        when (item.state) { TimelineState.Now -> ". Now"; TimelineState.Done -> ". Done"; TimelineState.Later -> "" }
                },
            ) {
                val weight = if (item.state == TimelineState.Now) FontWeight.Bold else FontWeight.Normal
                Text(item.homeTime, Modifier.width(56.dp).padding(top = 2.dp), style = MaterialTheme.typography.labelLarge.copy(fontWeight = weight))
                // Both zones' times in the same weight: bold only for the item that is now.
                Text(item.awayTime, Modifier.width(56.dp).padding(top = 2.dp), style = MaterialTheme.typography.labelLarge.copy(fontWeight = weight), color = MaterialTheme.colorScheme.onSurfaceVariant)
                Canvas(Modifier.width(24.dp).fillMaxHeight()) {
                    val cx = size.width / 2
                    val r = 6.dp.toPx()
                    if (i < items.size - 1) drawLine(line, Offset(cx, r * 2 + 4.dp.toPx()), Offset(cx, size.height), 2.dp.toPx())
                    val cy = 10.dp.toPx()
                    when (item.state) {
                        TimelineState.Now -> drawCircle(now, r + 2.dp.toPx(), Offset(cx, cy))
                        TimelineState.Done -> drawCircle(done, r, Offset(cx, cy))
                        TimelineState.Later -> drawCircle(line, r, Offset(cx, cy), style = Stroke(2.dp.toPx()))
                    }
                }
                Column(Modifier.weight(1f).padding(start = 8.dp, bottom = 18.dp), verticalArrangement = Arrangement.spacedBy(2.dp)) {
                    Text(item.title, style = MaterialTheme.typography.titleSmall.copy(fontWeight = if (item.state == TimelineState.Now) FontWeight.Bold else FontWeight.SemiBold))
                    Text(item.detail, style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
                }
            }
        }
    }
}
