package app.secondheart.ui.components

import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.size
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import app.secondheart.ui.theme.AppIcons

/**
 * A form's day, stepped a day at a time: [label] ("Yesterday · Fri 4 Dec")
 * between the day before and the day after; a null step is as far as the
 * form goes (today, or the first day it offers). The day is announced as
 * it changes.
 */
@Composable
fun DayStepper(label: String, dayBefore: (() -> Unit)?, dayAfter: (() -> Unit)?) {
    Row(Modifier.fillMaxWidth(), verticalAlignment = Alignment.CenterVertically) {
        IconButton({ dayBefore?.invoke() }, Modifier.size(48.dp), enabled = dayBefore != null) {
            Icon(AppIcons.Back, contentDescription = "The day before")
        }
        Text(
            label,
            Modifier.weight(1f).semantics { liveRegion = LiveRegionMode.Polite },
            style = MaterialTheme.typography.titleMedium,
            textAlign = TextAlign.Center,
        )
        IconButton({ dayAfter?.invoke() }, Modifier.size(48.dp), enabled = dayAfter != null) {
            Icon(AppIcons.Forward, contentDescription = "The day after")
        }
    }
}
