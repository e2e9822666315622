package app.secondheart.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.safeDrawingPadding
import androidx.compose.foundation.layout.size
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import app.secondheart.state.OpenFailure
import app.secondheart.ui.components.PrimaryAction
import app.secondheart.ui.theme.AppIcons

/**
 * What the app shows when its data cannot be opened at launch (a database
 * from a newer version of the app, a damaged file, a full disk): why, in
 * the core's words, what the user can do about that cause, and [onRetry]
 * to open it again (none: trying again is starting the app again). Nothing is
 * deleted or changed: the data stays as it is.
 */
@Composable
fun OpenFailedScreen(failure: OpenFailure, modifier: Modifier = Modifier, onRetry: (() -> Unit)? = null) {
    Surface(modifier.fillMaxSize(), color = MaterialTheme.colorScheme.background) {
        Column(
            Modifier.safeDrawingPadding().padding(32.dp),
            horizontalAlignment = Alignment.CenterHorizontally,
            verticalArrangement = Arrangement.spacedBy(16.dp, Alignment.CenterVertically),
        ) {
            Icon(AppIcons.Warning, contentDescription = null, Modifier.size(48.dp), tint = MaterialTheme.colorScheme.error)
            Text("Second Heart cannot open its data", style = MaterialTheme.typography.headlineSmall, textAlign = TextAlign.Center)
            Text(failure.reason, style = MaterialTheme.typography.bodyLarge, textAlign = TextAlign.Center)
            Text(
                "Nothing was changed or deleted: your data stays on this device as it is. " + failure.advice,
                style = MaterialTheme.typography.bodyMedium,
                color = MaterialTheme.colorScheme.onSurfaceVariant,
                textAlign = TextAlign.Center,
            )
            // Not for a damaged file: opening it again cannot mend it.
            if (onRetry != null && failure.retryHelps) PrimaryAction("Try again", onRetry)
        }
    }
}
