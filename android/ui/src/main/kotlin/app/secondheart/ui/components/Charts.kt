package app.secondheart.ui.components

import androidx.compose.foundation.Canvas
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
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
import androidx.compose.ui.graphics.StrokeJoin
import androidx.compose.ui.graphics.drawscope.Stroke
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.drawText
import androidx.compose.ui.text.rememberTextMeasurer
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.Dp
import androidx.compose.ui.unit.dp
import app.secondheart.state.BarUi
import app.secondheart.state.SeriesUi
import app.secondheart.state.TickUi
import kotlin.math.ceil
import kotlin.math.floor
import kotlin.math.log10
import kotlin.math.pow
import kotlin.math.roundToInt

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
                // An imported part shows above the part recorded here: the bar's colour, lighter,
                // outlined in the full colour so that its height stands out from the track.
                val recorded = size.height * ((bar.value - bar.imported.coerceIn(0f, bar.value)) / max)
                if (h > recorded) {
                    val edge = IMPORTED_OUTLINE.toPx()
                    drawRoundRect(color.copy(alpha = IMPORTED_ALPHA), Offset(x, size.height - h), Size(barWidth, h), CornerRadius(barWidth / 3))
                    drawRoundRect(color, Offset(x + edge / 2, size.height - h + edge / 2), Size(barWidth - edge, h - edge), CornerRadius(barWidth / 3), style = Stroke(edge))
                }
                if (recorded > 0f) drawRoundRect(color, Offset(x, size.height - recorded), Size(barWidth, recorded), CornerRadius(barWidth / 3))
            }
            if (goal != null) {
                val y = size.height * (1 - goal / max)
                drawLine(outline, Offset(0f, y), Offset(size.width, y), 1.5.dp.toPx(), pathEffect = PathEffect.dashPathEffect(floatArrayOf(8f, 8f)))
            }
        }
        // Each bar's label as the model gives it (it leaves some empty where there are many bars).
        Row(Modifier.fillMaxWidth()) {
            bars.forEach { bar ->
                Text(
                    bar.label,
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

/** How strongly a bar's imported part shows its colour over the track. */
private const val IMPORTED_ALPHA = 0.35f

/** The imported part's outline. */
private val IMPORTED_OUTLINE = 1.5.dp

/** A tidy step for about [ticks] grid lines over [span]: 1, 2 or 5 times a power of ten. */
private fun niceStep(span: Float, ticks: Int = 4): Float {
    val raw = (span / ticks).coerceAtLeast(1e-3f)
    val magnitude = 10f.pow(floor(log10(raw)))
    return listOf(1f, 2f, 5f, 10f).first { it * magnitude >= raw } * magnitude
}

/**
 * Lines over a shared x axis with a labelled y axis in [unit]; the first
 * series is filled beneath. The axis starts at zero unless a line dips
 * below it.
 */
@Composable
fun LineChart(series: List<SeriesUi>, colors: List<Color>, xTicks: List<TickUi>, unit: String, description: String, modifier: Modifier = Modifier, height: Dp = 180.dp) {
    val all = series.flatMap { it.points }
    val step = niceStep((all.maxOrNull() ?: 1f).coerceAtLeast(1f) - (all.minOrNull() ?: 0f).coerceAtMost(0f))
    val min = floor((all.minOrNull() ?: 0f).coerceAtMost(0f) / step) * step
    val max = ceil((all.maxOrNull() ?: 1f).coerceAtLeast(min + step) / step) * step
    val grid = MaterialTheme.colorScheme.outlineVariant
    val axisText = MaterialTheme.typography.labelSmall.copy(color = MaterialTheme.colorScheme.onSurfaceVariant)
    val measurer = rememberTextMeasurer()
    val format = { v: Float -> if (step >= 1f) v.roundToInt().toString() else "%.1f".format(v) }
    Column(modifier.semantics { contentDescription = description }, verticalArrangement = Arrangement.spacedBy(6.dp)) {
        Canvas(Modifier.fillMaxWidth().height(height)) {
            val labelWidth = measurer.measure(format(max) + " $unit", axisText).size.width + 8.dp.toPx()
            val left = labelWidth
            val top = 8.dp.toPx()
            val xLabelHeight = measurer.measure("0", axisText).size.height
            val plotHeight = size.height - top - xLabelHeight - 6.dp.toPx()
            val y = { v: Float -> top + plotHeight * (1 - (v - min) / (max - min)) }
            var v = min
            while (v <= max + step / 2) {
                drawLine(grid, Offset(left, y(v)), Offset(size.width, y(v)), 1.dp.toPx())
                val label = measurer.measure(if (v == max) format(v) + " $unit" else format(v), axisText)
                drawText(label, topLeft = Offset(left - 8.dp.toPx() - label.size.width, y(v) - label.size.height / 2f))
                v += step
            }
            val width = size.width - left
            xTicks.forEach { tick ->
                val label = measurer.measure(tick.label, axisText)
                val x = left + width * tick.at
                // Centred under its place, kept inside the chart.
                val anchored = (x - label.size.width / 2f).coerceIn(left, size.width - label.size.width)
                drawLine(grid, Offset(x, y(min)), Offset(x, y(min) + 4.dp.toPx()), 1.dp.toPx())
                drawText(label, topLeft = Offset(anchored, size.height - label.size.height))
            }
            series.forEachIndexed { s, line ->
                if (line.points.size < 2) return@forEachIndexed
                val color = colors[s % colors.size]
                val path = Path()
                line.points.forEachIndexed { i, p ->
                    val x = left + width * i / (line.points.size - 1)
                    if (i == 0) path.moveTo(x, y(p)) else path.lineTo(x, y(p))
                }
                if (s == 0) {
                    val fill = Path().apply {
                        addPath(path)
                        lineTo(size.width, y(min))
                        lineTo(left, y(min))
                        close()
                    }
                    drawPath(fill, color.copy(alpha = 0.14f))
                }
                drawPath(path, color, style = Stroke(2.dp.toPx(), cap = StrokeCap.Round, join = StrokeJoin.Round))
            }
        }
        FlowRow(horizontalArrangement = Arrangement.spacedBy(16.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
            series.forEachIndexed { s, line ->
                Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(6.dp)) {
                    Box(Modifier.size(10.dp).background(colors[s % colors.size], CircleShape))
                    Text(line.label, style = MaterialTheme.typography.labelMedium, color = MaterialTheme.colorScheme.onSurface)
                }
            }
        }
    }
}
