package app.secondheart.ui

import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.NavigationBarItemDefaults
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.graphics.vector.ImageVector
import app.secondheart.ui.theme.AppIcons

/** Where the app is. Plain state: navigation-compose's test scene breaks on teardown here. */
enum class Destination(val label: String, val icon: ImageVector, val inBar: Boolean) {
    Today("Today", AppIcons.Today, true),
    Walk("Walk", AppIcons.Walk, true),
    Exercises("Exercises", AppIcons.Exercise, true),
    Flight("Flight", AppIcons.Flight, true),
    History("History", AppIcons.History, true),
    Learn("Learn", AppIcons.Learn, false),
    Devices("Devices", AppIcons.Bluetooth, false),
    Settings("Settings", AppIcons.Settings, false),
}

/** The scaffold every screen sits in: content above a bottom bar of the main destinations. */
@Composable
fun AppShell(current: Destination, onNavigate: (Destination) -> Unit, content: @Composable () -> Unit) {
    Scaffold(
        containerColor = MaterialTheme.colorScheme.background,
        bottomBar = {
            NavigationBar(containerColor = MaterialTheme.colorScheme.surfaceContainer) {
                // With large text only the current tab keeps its label; the others are read out by their icon's label.
                val roomy = LocalDensity.current.fontScale < 1.5f
                Destination.entries.filter { it.inBar }.forEach { d ->
                    val labelled = roomy || current == d
                    NavigationBarItem(
                        selected = current == d,
                        onClick = { onNavigate(d) },
                        icon = { Icon(d.icon, contentDescription = if (labelled) null else d.label) },
                        label = if (labelled) {
                            { Text(d.label, style = MaterialTheme.typography.labelMedium, maxLines = 1, softWrap = false) }
                        } else {
                            null
                        },
                        colors = NavigationBarItemDefaults.colors(
                            selectedTextColor = MaterialTheme.colorScheme.onSurface,
                            unselectedTextColor = MaterialTheme.colorScheme.onSurfaceVariant,
                            unselectedIconColor = MaterialTheme.colorScheme.onSurfaceVariant,
                            selectedIconColor = MaterialTheme.colorScheme.onPrimaryContainer,
                            indicatorColor = MaterialTheme.colorScheme.primaryContainer,
                        ),
                    )
                }
            }
        },
    ) { padding ->
        Box(Modifier.fillMaxSize().padding(padding)) { content() }
    }
}
