package app.secondheart.ui.screens

import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.SegmentedButton
import androidx.compose.material3.SegmentedButtonDefaults
import androidx.compose.material3.SingleChoiceSegmentedButtonRow
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.unit.dp
import app.secondheart.state.HistoryRange
import app.secondheart.state.HistoryUi
import app.secondheart.ui.components.BarChart
import app.secondheart.ui.components.ScreenHeader
import app.secondheart.ui.components.SectionCard
import app.secondheart.ui.components.of
import app.secondheart.ui.theme.LocalMetricColors

/** History: a day, a week or a month of steps, active minutes, litres pumped and sitting. */
@Composable
fun HistoryScreen(state: HistoryUi, onRange: (HistoryRange) -> Unit, modifier: Modifier = Modifier) {
    val metrics = LocalMetricColors.current
    ScreenColumn(modifier) {
        ScreenHeader("History", state.period)
        SingleChoiceSegmentedButtonRow(Modifier.fillMaxWidth()) {
            HistoryRange.entries.forEachIndexed { i, range ->
                SegmentedButton(
                    selected = state.range == range,
                    onClick = { onRange(range) },
                    shape = SegmentedButtonDefaults.itemShape(i, HistoryRange.entries.size),
                    modifier = Modifier.heightIn(min = 48.dp),
                ) { Text(range.name) }
            }
        }
        state.message?.let { Text(it, style = MaterialTheme.typography.bodyLarge, color = MaterialTheme.colorScheme.error) }
        state.charts.forEach { chart ->
            SectionCard(chart.title) {
                Text(chart.summary, style = MaterialTheme.typography.bodyLarge, color = MaterialTheme.colorScheme.onSurfaceVariant)
                BarChart(chart.bars, metrics.of(chart.kind), listOfNotNull("${chart.title}: ${chart.summary}", chart.note).joinToString(". "), goal = chart.goal)
                // Read out once, with the chart.
                chart.note?.let { Text(it, Modifier.clearAndSetSemantics {}, style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant) }
            }
        }
    }
}
