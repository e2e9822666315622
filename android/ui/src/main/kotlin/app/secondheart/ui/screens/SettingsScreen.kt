package app.secondheart.ui.screens

import androidx.compose.foundation.ScrollState
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.toggleable
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.unit.dp
import app.secondheart.state.SettingsUi
import app.secondheart.ui.components.Choices
import app.secondheart.ui.components.DangerAction
import app.secondheart.ui.components.PrimaryAction
import app.secondheart.ui.components.ScreenHeader
import app.secondheart.ui.components.SecondaryAction
import app.secondheart.ui.components.SectionCard

/** What Settings asks the app to do. */
interface SettingsActions {
    fun saveProfile(heightCm: String, stepsGoal: String)
    fun setReminders(on: Boolean)
    fun answer(id: String, yes: Boolean)
    fun chooseExportFormat(id: String)
    fun export()
    fun backup()
    fun restore()
    fun confirmRestore()
    fun keepCurrentData()
    fun importSteps()
    fun askDeleteAll()
    fun confirmDeleteAll()
    fun cancelDeleteAll()
}

/** Settings (also the first run): profile and goals, reminders, the health questions, export, backup and restore, importing steps, delete all. */
@Composable
fun SettingsScreen(
    state: SettingsUi,
    actions: SettingsActions,
    modifier: Modifier = Modifier,
    firstRun: Boolean = false,
    scroll: ScrollState = rememberScrollState(),
) {
    ScreenColumn(modifier, scroll) {
        ScreenHeader(if (firstRun) "Welcome" else "Settings", if (firstRun) "Set up Second Heart" else "Profile, reminders, your data")
        if (firstRun) {
            Text(
                "Your calves are your second heart. Second Heart helps you keep them pumping: walks, short exercises, breaks from sitting, and a plan for long flights. Everything stays on this phone.",
                style = MaterialTheme.typography.bodyLarge,
            )
        }
        // What was typed outlives the screen being recreated (a turned phone).
        var height by rememberSaveable(state.heightCm) { mutableStateOf(state.heightCm) }
        var goal by rememberSaveable(state.stepsGoal) { mutableStateOf(state.stepsGoal) }
        SectionCard("You and your goals") {
            OutlinedTextField(height, { height = it }, Modifier.fillMaxWidth(), label = { Text("Height (cm)") }, singleLine = true)
            OutlinedTextField(goal, { goal = it }, Modifier.fillMaxWidth(), label = { Text("Daily steps goal") }, singleLine = true)
            PrimaryAction("Save", { actions.saveProfile(height, goal) })
        }
        SectionCard("Reminders") {
            Row(
                Modifier.fillMaxWidth().heightIn(min = 48.dp).toggleable(state.remindersOn, role = Role.Switch, onValueChange = actions::setReminders),
                verticalAlignment = Alignment.CenterVertically,
            ) {
                Column(Modifier.weight(1f)) {
                    Text("Remind me to move", style = MaterialTheme.typography.bodyLarge)
                    Text("Quiet hours ${state.quietHours}", style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
                }
                Switch(state.remindersOn, onCheckedChange = null)
            }
        }
        SectionCard("Health questions") {
            Text("These decide whether the app suggests compression socks or raising your legs.", style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
            SafetyQuestions(state.questions, actions::answer)
            GateBanner(state.compressionGate)
        }
        if (!firstRun) {
            SectionCard("Your data") {
                Text(
                    "Everything stays on this device. Export writes your last 30 days to a file, and you choose where it goes.",
                    style = MaterialTheme.typography.bodyMedium,
                    color = MaterialTheme.colorScheme.onSurfaceVariant,
                )
                Choices(state.exportFormats, "Export format", actions::chooseExportFormat)
                // One at a time: the phone shows one "save as" or "open" dialog at a time.
                val idle = !(state.exporting || state.backingUp || state.restoring || state.importing)
                SecondaryAction(if (state.exporting) "Exporting…" else "Export my data", actions::export, Modifier.fillMaxWidth(), enabled = idle)
                Text(
                    "A backup keeps everything, to restore on this phone or a new one. Restoring replaces what is here.",
                    style = MaterialTheme.typography.bodyMedium,
                    color = MaterialTheme.colorScheme.onSurfaceVariant,
                )
                SecondaryAction(if (state.backingUp) "Backing up…" else "Back up everything", actions::backup, Modifier.fillMaxWidth(), enabled = idle)
                SecondaryAction(if (state.restoring) "Restoring…" else "Restore a backup", actions::restore, Modifier.fillMaxWidth(), enabled = idle)
                Text(
                    "Steps another app counted: import its daily totals from a CSV file (date and steps). A day counts them only above what was recorded here.",
                    style = MaterialTheme.typography.bodyMedium,
                    color = MaterialTheme.colorScheme.onSurfaceVariant,
                )
                SecondaryAction(if (state.importing) "Importing…" else "Import steps from a file", actions::importSteps, Modifier.fillMaxWidth(), enabled = idle)
                DangerAction("Delete all data", actions::askDeleteAll)
            }
        }
        state.message?.let { Text(it, style = MaterialTheme.typography.bodyLarge, color = MaterialTheme.colorScheme.primary) }
    }
    if (state.confirmingRestore) {
        AlertDialog(
            onDismissRequest = actions::keepCurrentData,
            title = { Text("Replace your data with the backup?") },
            text = { Text("What this phone holds now (walks, sets, flights, sensor records and your profile) is replaced by the backup's. This cannot be undone.") },
            confirmButton = {
                TextButton(actions::confirmRestore, Modifier.heightIn(min = 48.dp)) { Text("Replace with the backup", color = MaterialTheme.colorScheme.error) }
            },
            dismissButton = { TextButton(actions::keepCurrentData, Modifier.heightIn(min = 48.dp)) { Text("Keep my data") } },
        )
    }
    if (state.confirmingDelete) {
        AlertDialog(
            onDismissRequest = actions::cancelDeleteAll,
            title = { Text("Delete all data?") },
            text = { Text("Walks, sets, flights, sensor records and your profile are erased from this device. This cannot be undone.") },
            confirmButton = {
                TextButton(actions::confirmDeleteAll, Modifier.heightIn(min = 48.dp)) { Text("Delete everything", color = MaterialTheme.colorScheme.error) }
            },
            dismissButton = { TextButton(actions::cancelDeleteAll, Modifier.heightIn(min = 48.dp)) { Text("Keep my data") } },
        )
    }
}
