package app.secondheart.ui.screens

import androidx.compose.foundation.ScrollState
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.toggleable
import androidx.compose.foundation.text.KeyboardOptions
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
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import app.secondheart.state.ChoiceUi
import app.secondheart.state.ProfileForm
import app.secondheart.state.ReminderForm
import app.secondheart.state.SettingsSection
import app.secondheart.state.SettingsUi
import app.secondheart.ui.theme.AppIcons
import app.secondheart.ui.components.Choices
import app.secondheart.ui.components.DangerAction
import app.secondheart.ui.components.PrimaryAction
import app.secondheart.ui.components.ScreenHeader
import app.secondheart.ui.components.SecondaryAction
import app.secondheart.ui.components.SectionCard

/** What Settings asks the app to do. */
interface SettingsActions {
    /** Saves the body and goals as typed. */
    fun saveProfile(form: ProfileForm)
    fun setReminders(on: Boolean)

    /** Opens the phone's page for the app's notifications (they are blocked). */
    fun openNotificationSettings()

    /** Opens the phone's page where the user lets reminders come on time. */
    fun openReminderTimingSettings()
    /** Saves the minutes still before a reminder and the quiet hours as typed. */
    fun saveReminders(form: ReminderForm)
    fun answer(id: String, yes: Boolean)

    /** Saves the ankle–brachial index as typed; empty takes it away. */
    fun saveAnkleBrachialIndex(text: String)
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

/**
 * Settings: profile and goals, reminders, the health questions, export, backup and restore, importing steps,
 * delete all. Before the app is set up ([SettingsUi.firstRun]) it is the welcome: what the app does, the profile
 * and the health questions, then Start, which saves the profile; reminders start at their defaults.
 */
@Composable
fun SettingsScreen(
    state: SettingsUi,
    actions: SettingsActions,
    modifier: Modifier = Modifier,
    scroll: ScrollState = rememberScrollState(),
    onBack: (() -> Unit)? = null,
) {
    val firstRun = state.firstRun
    ScreenColumn(modifier, scroll) {
        ScreenHeader(
            if (firstRun) "Welcome" else "Settings",
            if (firstRun) "Set up Second Heart" else "Profile, reminders, your data",
            onBack = onBack,
        )
        if (firstRun) {
            Text(
                "Your calves are your second heart. Second Heart helps you keep them pumping: walks, short exercises, breaks from sitting, and a plan for long flights. Everything stays on this phone.",
                style = MaterialTheme.typography.bodyLarge,
            )
            Text(
                "Your height and sex size the model of your calves; the goals are yours to change at any time in Settings.",
                style = MaterialTheme.typography.bodyMedium,
                color = MaterialTheme.colorScheme.onSurfaceVariant,
            )
        }
        // What was typed outlives the screen being recreated (a turned phone), each field until its stored value changes.
        val p = state.profile
        var height by rememberSaveable(p.heightCm) { mutableStateOf(p.heightCm) }
        var weight by rememberSaveable(p.weightKg) { mutableStateOf(p.weightKg) }
        var born by rememberSaveable(p.birthYear) { mutableStateOf(p.birthYear) }
        var sex by rememberSaveable(p.sex) { mutableStateOf(p.sex) }
        var steps by rememberSaveable(p.stepsGoal) { mutableStateOf(p.stepsGoal) }
        var active by rememberSaveable(p.activeMinutesGoal) { mutableStateOf(p.activeMinutesGoal) }
        var sets by rememberSaveable(p.calfRaiseSetsGoal) { mutableStateOf(p.calfRaiseSetsGoal) }
        var litres by rememberSaveable(p.pumpedLitresGoal) { mutableStateOf(p.pumpedLitresGoal) }
        var water by rememberSaveable(p.hydrationGoalMl) { mutableStateOf(p.hydrationGoalMl) }
        var breaks by rememberSaveable(p.breaksPerSittingHour) { mutableStateOf(p.breaksPerSittingHour) }
        SectionCard("You and your goals") {
            NumberField(height, { height = it }, "Height (cm)")
            NumberField(weight, { weight = it }, "Weight (kg, optional)")
            NumberField(born, { born = it }, "Year of birth (optional)", whole = true)
            Text("Sex (sizes the model of your calves)", style = MaterialTheme.typography.labelLarge)
            Choices(listOf(ChoiceUi("female", "Female", sex == "female"), ChoiceUi("male", "Male", sex == "male")), "Sex") { sex = it }
            NumberField(steps, { steps = it }, "Daily steps goal", whole = true)
            NumberField(active, { active = it }, "Active minutes a day", whole = true)
            NumberField(sets, { sets = it }, "Calf-raise sets a day", whole = true)
            NumberField(litres, { litres = it }, "Litres pumped a day")
            NumberField(water, { water = it }, "Water a day (mL)", whole = true)
            NumberField(breaks, { breaks = it }, "Breaks an hour of sitting")
            if (!firstRun) {
                PrimaryAction("Save", { actions.saveProfile(ProfileForm(height, weight, born, sex, steps, active, sets, litres, water, breaks)) })
                SectionMessage(state, SettingsSection.Profile)
            }
        }
        val r = state.reminders
        var after by rememberSaveable(r.remindAfterMin) { mutableStateOf(r.remindAfterMin) }
        var quietFrom by rememberSaveable(r.quietFrom) { mutableStateOf(r.quietFrom) }
        var quietUntil by rememberSaveable(r.quietUntil) { mutableStateOf(r.quietUntil) }
        // Reminders start at their defaults; Settings has them once the app is set up.
        if (!firstRun) {
            SectionCard("Reminders") {
                Row(
                    Modifier.fillMaxWidth().heightIn(min = 48.dp).toggleable(state.remindersOn, role = Role.Switch, onValueChange = actions::setReminders),
                    verticalAlignment = Alignment.CenterVertically,
                ) {
                    Column(Modifier.weight(1f)) {
                        Text("Remind me to move", style = MaterialTheme.typography.bodyLarge)
                        Text("Quiet hours ${r.quietFrom}–${r.quietUntil}", style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
                    }
                    Switch(state.remindersOn, onCheckedChange = null)
                }
                if (state.remindersBlocked) {
                    PhoneSettingNote(
                        "Notifications are off for Second Heart, so no reminder can show. Turn them on in the phone's settings.",
                        MaterialTheme.colorScheme.error,
                        "Turn on notifications",
                        actions::openNotificationSettings,
                    )
                }
                if (state.remindersLate) {
                    PhoneSettingNote(
                        "The phone lets reminders come only roughly on time, up to five minutes late. Allow alarms and reminders for Second Heart to have them at their minute.",
                        MaterialTheme.colorScheme.onSurfaceVariant,
                        "Allow on-time reminders",
                        actions::openReminderTimingSettings,
                    )
                }
                NumberField(after, { after = it }, "Remind after sitting (min)", whole = true)
                Row(horizontalArrangement = Arrangement.spacedBy(12.dp)) {
                    OutlinedTextField(quietFrom, { quietFrom = it }, Modifier.weight(1f), label = { Text("Quiet from") }, placeholder = { Text("22:00") }, singleLine = true)
                    OutlinedTextField(quietUntil, { quietUntil = it }, Modifier.weight(1f), label = { Text("Quiet until") }, placeholder = { Text("07:00") }, singleLine = true)
                }
                SecondaryAction("Save reminders", { actions.saveReminders(ReminderForm(after, quietFrom, quietUntil)) }, Modifier.fillMaxWidth())
                SectionMessage(state, SettingsSection.Reminders)
            }
        }
        SectionCard("Health questions") {
            Text("These decide whether the app suggests compression socks or raising your legs.", style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
            SafetyQuestions(state.questions, actions::answer)
            // The index a doctor measured is for Settings: the welcome's Start saves the profile alone, and an
            // index typed there and never saved would have left the compression gate open unsaid.
            if (!firstRun) {
                var index by rememberSaveable(state.ankleBrachialIndex) { mutableStateOf(state.ankleBrachialIndex) }
                OutlinedTextField(
                    index,
                    { index = it },
                    Modifier.fillMaxWidth(),
                    label = { Text("Ankle–brachial index") },
                    placeholder = { Text("0.95") },
                    supportingText = { Text("If a doctor measured it; empty it to take it away") },
                    singleLine = true,
                )
                SecondaryAction("Save index", { actions.saveAnkleBrachialIndex(index) }, Modifier.fillMaxWidth())
                SectionMessage(state, SettingsSection.Health)
            }
            GateBanner(state.compressionGate)
        }
        if (firstRun) {
            Text(
                "Reminders to move come after ${state.reminders.remindAfterMin} minutes of sitting, never from ${state.reminders.quietFrom} to ${state.reminders.quietUntil}: change them in Settings.",
                style = MaterialTheme.typography.bodyMedium,
                color = MaterialTheme.colorScheme.onSurfaceVariant,
            )
            PrimaryAction("Start", { actions.saveProfile(ProfileForm(height, weight, born, sex, steps, active, sets, litres, water, breaks)) }, icon = AppIcons.Forward)
            // A new phone, or one whose damaged data was cleared: the backup brings the profile and everything else.
            SecondaryAction(if (state.restoring) "Restoring…" else "Restore a backup instead", actions::restore, Modifier.fillMaxWidth(), enabled = !state.restoring)
            // The welcome shows its one section's worth: whatever was said (a figure refused, a read that failed) is here.
            state.message?.let { Text(it, style = MaterialTheme.typography.bodyLarge, color = MaterialTheme.colorScheme.primary) }
        } else {
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
                SectionMessage(state, SettingsSection.Data)
            }
        }
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

/** What the last action of [section] said, under its buttons, where the user tapped. */
@Composable
private fun SectionMessage(state: SettingsUi, section: SettingsSection) {
    val message = state.message
    if (message != null && state.messageSection == section) {
        Text(message, style = MaterialTheme.typography.bodyLarge, color = MaterialTheme.colorScheme.primary)
    }
}

/** A one-line field for a number, labelled; [whole] numbers get the number pad. */
@Composable
private fun NumberField(value: String, onChange: (String) -> Unit, label: String, whole: Boolean = false) {
    // Whole numbers get the phone's number pad; measurements keep the full keyboard, whose decimal
    // separator follows the user's language ("1,5" as well as "1.5").
    OutlinedTextField(
        value,
        onChange,
        Modifier.fillMaxWidth(),
        label = { Text(label) },
        singleLine = true,
        keyboardOptions = if (whole) KeyboardOptions(keyboardType = KeyboardType.Number) else KeyboardOptions.Default,
    )
}

/** What a setting of the phone does to the reminders, in [color], and the button to the phone's page for it. */
@Composable
private fun PhoneSettingNote(text: String, color: Color, action: String, onAction: () -> Unit) {
    Text(text, style = MaterialTheme.typography.bodyMedium, color = color)
    SecondaryAction(action, onAction, Modifier.fillMaxWidth())
}
