package app.secondheart.ui.components

import androidx.compose.foundation.Canvas
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.shape.CircleShape
import androidx.compose.foundation.background
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.geometry.CornerRadius
import androidx.compose.ui.geometry.Offset
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.Path
import androidx.compose.ui.graphics.PathEffect
import androidx.compose.ui.graphics.StrokeCap
import androidx.compose.ui.graphics.drawscope.Stroke
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.Dp
import androidx.compose.ui.unit.dp
import app.secondheart.state.BarUi
import app.secondheart.state.SeriesUi

/** Bars with their labels underneath and an optional dashed goal line. */
@Composable
fun BarChart(bars: List<BarUi>, color: Color, description: String, modifier: Modifier = Modifier, goal: Float? = null, height: Dp = 140.dp) {
    val max = maxOf(bars.maxOfOrNull { it.value } ?: 0f, goal ?: 0f, 1f)
    val outline = MaterialTheme.colorScheme.outline
    val track = MaterialTheme.colorScheme.surfaceVariant
    Column(modifier.semantics { contentDescription = description }) {
        Canvas(Modifier.fillMaxWidth().height(height)) {
            val n = bars.size.coerceAtLeast(1)
            val slot = size.width / n
            val barWidth = (slot * 0.62f).coerceAtMost(28.dp.toPx())
            bars.forEachIndexed { i, bar ->
                val h = size.height * (bar.value / max)
                val x = slot * i + (slot - barWidth) / 2
                drawRoundRect(track, Offset(x, 0f), Size(barWidth, size.height), CornerRadius(barWidth / 3))
                if (h > 0f) drawRoundRect(color, Offset(x, size.height - h), Size(barWidth, h), CornerRadius(barWidth / 3))
            }
            if (goal != null) {
                val y = size.height * (1 - goal / max)
                drawLine(outline, Offset(0f, y), Offset(size.width, y), 1.5.dp.toPx(), pathEffect = PathEffect.dashPathEffect(floatArrayOf(8f, 8f)))
            }
        }
        // Only some labels when there are many bars (a month), so they stay readable.
        val step = if (bars.size > 12) 7 else 1
        Row(Modifier.fillMaxWidth()) {
            bars.forEachIndexed { i, bar ->
                Text(
                    if (i % step == 0) bar.label else "",
                    Modifier.weight(1f),
                    style = MaterialTheme.typography.labelSmall,
                    color = MaterialTheme.colorScheme.onSurfaceVariant,
                    textAlign = TextAlign.Center,
                    maxLines = 1,
                    softWrap = false,
                )
            }
        }
    }
}

/** Lines over a shared x axis; the first series is filled beneath. */
@Composable
fun LineChart(series: List<SeriesUi>, colors: List<Color>, xLabels: List<String>, description: String, modifier: Modifier = Modifier, height: Dp = 160.dp) {
    val all = series.flatMap { it.points }
    val max = (all.maxOrNull() ?: 1f).coerceAtLeast(1f) * 1.1f
    val min = 0f
    val grid = MaterialTheme.colorScheme.outlineVariant
    Column(modifier.semantics { contentDescription = description }, verticalArrangement = Arrangement.spacedBy(6.dp)) {
        Canvas(Modifier.fillMaxWidth().height(height)) {
            for (k in 0..3) {
                val y = size.height * k / 3
                drawLine(grid, Offset(0f, y), Offset(size.width, y), 1.dp.toPx())
            }
            series.forEachIndexed { s, line ->
                if (line.points.size < 2) return@forEachIndexed
                val color = colors[s % colors.size]
                val path = Path()
                line.points.forEachIndexed { i, v ->
                    val x = size.width * i / (line.points.size - 1)
                    val y = size.height * (1 - (v - min) / (max - min))
                    if (i == 0) path.moveTo(x, y) else path.lineTo(x, y)
                }
                if (s == 0) {
                    val fill = Path().apply {
                        addPath(path)
                        lineTo(size.width, size.height)
                        lineTo(0f, size.height)
                        close()
                    }
                    drawPath(fill, color.copy(alpha = 0.14f))
                }
                drawPath(path, color, style = Stroke(2.5.dp.toPx(), cap = StrokeCap.Round))
            }
        }
        Row(Modifier.fillMaxWidth(), horizontalArrangement = Arrangement.SpaceBetween) {
            xLabels.forEach { Text(it, style = MaterialTheme.typography.labelSmall, color = MaterialTheme.colorScheme.onSurfaceVariant) }
        }
        Row(horizontalArrangement = Arrangement.spacedBy(16.dp)) {
            series.forEachIndexed { s, line ->
                Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(6.dp)) {
                    Box(Modifier.size(10.dp).background(colors[s % colors.size], CircleShape))
                    Text(line.label, style = MaterialTheme.typography.labelMedium, color = MaterialTheme.colorScheme.onSurface)
                }
            }
        }
    }
}
