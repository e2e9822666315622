package app.secondheart.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import androidx.compose.foundation.layout.heightIn
import app.secondheart.state.COUNT_FROM_SYNCED_LAST
import app.secondheart.state.DevicesUi
import app.secondheart.state.LiveDataUi
import app.secondheart.ui.components.Stat
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.liveRegion
import app.secondheart.ui.components.PrimaryAction
import app.secondheart.ui.components.ProgressBar
import app.secondheart.ui.components.RadioList
import app.secondheart.ui.components.ScreenHeader
import app.secondheart.ui.components.SecondaryAction
import app.secondheart.ui.components.SectionCard
import app.secondheart.ui.components.unbroken
import app.secondheart.ui.theme.AppIcons
import app.secondheart.ui.theme.LocalMetricColors

/** What Devices asks the app to do. */
interface DevicesActions {
    fun scan()
    fun pair(id: String)
    fun sync(id: String)
    fun cancelSync()
    fun showLive(id: String)
    fun stopLive()
    /** Asks whether to forget the paired sensor [id] (its records go with it). */
    fun askForget(id: String)
    /** Keeps the sensor asked about. */
    fun cancelForget()
    /** Forgets [id] and deletes its records: the user confirmed. */
    fun forget(id: String)
    /** Walks and sets count from [serial] from now on, or from the sensor synced last when null. */
    fun countSessionsFrom(serial: String?)
    /** The reset sensor [serial]'s history is kept, and it syncs afresh. */
    fun keepHistoryAndResync(serial: String)

    /** Opens the phone's settings for the app, where a refused permission is allowed. */
    fun openAppPermissions()
}

/** Devices: scan, pair, sync with progress and cancel, live data, forget, and which sensor walks and sets count from. */
@Composable
fun DevicesScreen(state: DevicesUi, actions: DevicesActions, modifier: Modifier = Modifier, onBack: (() -> Unit)? = null) {
    ScreenColumn(modifier) {
        ScreenHeader("Devices", "Sock and ankle sensors", onBack = onBack)
        state.sync?.let { sync ->
            SectionCard("Syncing ${sync.serial}") {
                ProgressBar(sync.fraction, "Sync progress: ${sync.text}", LocalMetricColors.current.steps)
                Text(sync.text, style = MaterialTheme.typography.bodyLarge)
                SecondaryAction("Cancel sync", actions::cancelSync, Modifier.fillMaxWidth(), icon = AppIcons.Close)
            }
        }
        state.message?.let { Text(it, style = MaterialTheme.typography.bodyLarge, color = MaterialTheme.colorScheme.primary) }
        if (state.permissionRefused) SecondaryAction("Open the phone's settings", actions::openAppPermissions, Modifier.fillMaxWidth())
        state.resetSensor?.let { serial ->
            // Offered only with no radio operation running, as Sync now is.
            SecondaryAction(
                "Keep its history and sync it afresh",
                { actions.keepHistoryAndResync(serial) },
                Modifier.fillMaxWidth().semantics { contentDescription = "Keep the history of $serial and sync it afresh" },
                enabled = state.sync == null && state.live == null,
            )
        }
        val paired = state.devices.filter { it.paired }
        val found = state.devices.filterNot { it.paired }
        if (paired.isNotEmpty()) {
            SectionCard("Paired") {
                paired.forEachIndexed { i, d ->
                    if (i > 0) HorizontalDivider(color = MaterialTheme.colorScheme.outlineVariant)
                    DeviceRow(d.name, d.detail)
                    // One radio operation a sensor: while a sync or live data
                    // runs, the others wait (stop live data to sync).
                    val idle = state.sync == null && state.live == null
                    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                        PrimaryAction("Sync now", { actions.sync(d.id) }, Modifier.weight(1f), enabled = idle)
                        SecondaryAction("Live", { actions.showLive(d.id) }, Modifier.semantics { contentDescription = "Live data from ${d.name}" }, enabled = idle)
                        TextButton({ actions.askForget(d.id) }, Modifier.heightIn(min = 56.dp).semantics { contentDescription = "Forget ${d.name}" }, enabled = idle) {
                            Text("Forget", color = if (idle) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurface.copy(alpha = 0.38f))
                        }
                    }
                }
            }
        }
        if (state.countFrom.isNotEmpty()) {
            SectionCard("Count walks and sets from") {
                RadioList(state.countFrom, "Count walks and sets from") { id ->
                    actions.countSessionsFrom(id.takeIf { it != COUNT_FROM_SYNCED_LAST })
                }
            }
        }
        state.live?.let { LiveCard(it, actions::stopLive) }
        state.confirmingForget?.let { d ->
            AlertDialog(
                onDismissRequest = actions::cancelForget,
                title = { Text("Forget ${d.name}?") },
                text = { Text("Its records are deleted from this phone. You can pair it again later.") },
                confirmButton = {
                    TextButton({ actions.forget(d.id) }, Modifier.heightIn(min = 48.dp)) {
                        Text("Forget and delete its records", color = MaterialTheme.colorScheme.error)
                    }
                },
                dismissButton = { TextButton(actions::cancelForget, Modifier.heightIn(min = 48.dp)) { Text("Keep it") } },
            )
        }
        SectionCard(if (state.scanning) "Looking for sensors…" else "Nearby") {
            if (found.isEmpty()) {
                Text(
                    if (state.scanning) "Wake your sensor: take the sock off its charger." else "Wake your sensor, then scan.",
                    style = MaterialTheme.typography.bodyLarge,
                    color = MaterialTheme.colorScheme.onSurfaceVariant,
                )
            }
            found.forEach { d ->
                Row(verticalAlignment = Alignment.CenterVertically) {
                    Column(Modifier.weight(1f)) { DeviceRow(d.name, d.detail) }
                    // As Sync now and Live: one radio operation at a time (a tap meanwhile would do nothing).
                    SecondaryAction(
                        "Pair",
                        { actions.pair(d.id) },
                        Modifier.semantics { contentDescription = "Pair ${d.name}" },
                        enabled = state.sync == null && state.live == null,
                    )
                }
            }
            if (!state.scanning) PrimaryAction("Scan", actions::scan, icon = AppIcons.Bluetooth)
        }
    }
}

@Composable
private fun DeviceRow(name: String, detail: String) {
    Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(12.dp)) {
        Icon(AppIcons.Bluetooth, contentDescription = null, tint = MaterialTheme.colorScheme.primary)
        Column {
            Text(unbroken(name), style = MaterialTheme.typography.titleSmall)
            Text(detail, style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
        }
    }
}

/** Live data from a paired sensor: posture, sock pressures, the calf muscle, cadence. */
@Composable
private fun LiveCard(live: LiveDataUi, onStop: () -> Unit) {
    val metrics = LocalMetricColors.current
    SectionCard("Live from ${live.serial}") {
        // Read as one when TalkBack reaches it; only a change of posture is
        // announced by itself (the pressures and frames change many times a
        // second, and a live region over them would never fall silent).
        Column(Modifier.semantics(mergeDescendants = true) {}, verticalArrangement = Arrangement.spacedBy(12.dp)) {
            Row(Modifier.fillMaxWidth(), horizontalArrangement = Arrangement.SpaceBetween) {
                // A merging node of its own: the card's merge stops at it, so the live region stays on the posture alone.
                Stat("Posture", live.posture, Modifier.semantics(mergeDescendants = true) { liveRegion = LiveRegionMode.Polite })
                Stat("Cadence", live.cadence, color = metrics.steps)
            }
            Text(live.pressure, style = MaterialTheme.typography.bodyLarge)
            Text("Calf muscle", style = MaterialTheme.typography.labelMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
            ProgressBar(live.contraction, "Calf muscle contraction ${(live.contraction * 100).toInt()} %", metrics.pumped)
            Text(live.frames, style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
        }
        SecondaryAction("Stop live data", onStop, Modifier.fillMaxWidth(), icon = AppIcons.Stop)
    }
}
