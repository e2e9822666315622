package app.secondheart.ui.components

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ColumnScope
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.RowScope
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.offset
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.material3.Button
import androidx.compose.material3.ButtonDefaults
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.vector.ImageVector
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import app.secondheart.ui.theme.AppIcons

/** A titled card: the unit every screen is built from. */
@Composable
fun SectionCard(
    title: String?,
    modifier: Modifier = Modifier,
    container: Color = MaterialTheme.colorScheme.surfaceContainerLowest,
    content: @Composable ColumnScope.() -> Unit,
) {
    Card(
        modifier.fillMaxWidth(),
        shape = MaterialTheme.shapes.large,
        colors = CardDefaults.cardColors(containerColor = container),
        elevation = CardDefaults.cardElevation(defaultElevation = 0.dp),
    ) {
        Column(Modifier.padding(20.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
            if (title != null) {
                Text(title, style = MaterialTheme.typography.titleMedium, modifier = Modifier.semantics { heading() })
            }
            content()
        }
    }
}

/** A screen's title and its one-line subtitle; [onBack] gives it a back arrow (the screens off the bottom bar). */
@Composable
fun ScreenHeader(
    title: String,
    subtitle: String?,
    modifier: Modifier = Modifier,
    onBack: (() -> Unit)? = null,
    actions: @Composable RowScope.() -> Unit = {},
) {
    Row(modifier.fillMaxWidth().padding(top = 8.dp), verticalAlignment = Alignment.CenterVertically) {
        if (onBack != null) {
            // The arrow's glyph lines up with the text below it, its 48 dp touch target reaching into the margin.
            IconButton(onBack, Modifier.offset(x = (-12).dp).size(48.dp)) { Icon(AppIcons.Back, contentDescription = "Back") }
        }
        Column(Modifier.weight(1f), verticalArrangement = Arrangement.spacedBy(2.dp)) {
            if (subtitle != null) Text(subtitle, style = MaterialTheme.typography.labelLarge, color = MaterialTheme.colorScheme.onSurfaceVariant)
            Text(title, style = MaterialTheme.typography.headlineMedium, modifier = Modifier.semantics { heading() })
        }
        actions()
    }
}

/**
 * The main action: full width, 56 dp tall. [inPlaceOfAnother]: drawn where
 * another action was just tapped, it ignores the second half of a double
 * tap meant for that one ([TapGuard]).
 */
@Composable
fun PrimaryAction(text: String, onClick: () -> Unit, modifier: Modifier = Modifier, icon: ImageVector? = null, enabled: Boolean = true, inPlaceOfAnother: Boolean = false) {
    val guard = if (inPlaceOfAnother) rememberTapGuard(text) else null
    Button(guard.click(onClick), guard.watching(modifier).fillMaxWidth().heightIn(min = 56.dp), enabled = enabled, shape = MaterialTheme.shapes.medium) {
        if (icon != null) {
            Icon(icon, contentDescription = null, Modifier.size(20.dp))
            Text("  ")
        }
        Text(text, style = MaterialTheme.typography.labelLarge)
    }
}

/**
 * Two actions side by side, each half the width, or one above the other at
 * full width when large fonts would break their words across lines.
 */
@Composable
fun ActionPair(first: @Composable (Modifier) -> Unit, second: @Composable (Modifier) -> Unit) {
    if (LocalDensity.current.fontScale > 1.3f) {
        Column(Modifier.fillMaxWidth(), verticalArrangement = Arrangement.spacedBy(12.dp)) {
            first(Modifier.fillMaxWidth())
            second(Modifier.fillMaxWidth())
        }
    } else {
        Row(horizontalArrangement = Arrangement.spacedBy(12.dp)) {
            first(Modifier.weight(1f))
            second(Modifier.weight(1f))
        }
    }
}

/** A second action beside or below the main one; [inPlaceOfAnother] as for [PrimaryAction]. */
@Composable
fun SecondaryAction(text: String, onClick: () -> Unit, modifier: Modifier = Modifier, icon: ImageVector? = null, enabled: Boolean = true, inPlaceOfAnother: Boolean = false) {
    val guard = if (inPlaceOfAnother) rememberTapGuard(text) else null
    OutlinedButton(guard.click(onClick), guard.watching(modifier).heightIn(min = 56.dp), enabled = enabled, shape = MaterialTheme.shapes.medium) {
        if (icon != null) {
            Icon(icon, contentDescription = null, Modifier.size(20.dp))
            Text("  ")
        }
        Text(text, style = MaterialTheme.typography.labelLarge)
    }
}

/** A danger action (delete all). */
@Composable
fun DangerAction(text: String, onClick: () -> Unit, modifier: Modifier = Modifier) {
    Button(
        onClick,
        modifier.fillMaxWidth().heightIn(min = 56.dp),
        shape = MaterialTheme.shapes.medium,
        colors = ButtonDefaults.buttonColors(containerColor = MaterialTheme.colorScheme.error, contentColor = MaterialTheme.colorScheme.onError),
    ) { Text(text, style = MaterialTheme.typography.labelLarge) }
}

/** A big figure with a small label above it. */
@Composable
fun Stat(label: String, value: String, modifier: Modifier = Modifier, color: Color = MaterialTheme.colorScheme.onSurface) {
    Column(modifier, verticalArrangement = Arrangement.spacedBy(2.dp)) {
        Text(label, style = MaterialTheme.typography.labelMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
        Text(value, style = MaterialTheme.typography.headlineSmall, color = color)
    }
}

/** [text] with non-breaking hyphens: a sensor's serial such as SH-DEMO-0001 wraps whole, not at its hyphens. */
fun unbroken(text: String): String = text.replace('-', '\u2011')
