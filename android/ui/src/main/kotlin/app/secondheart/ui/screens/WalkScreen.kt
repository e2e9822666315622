package app.secondheart.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.listSaver
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.text.TextStyle
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import androidx.compose.ui.unit.sp
import app.secondheart.state.WalkLogForm
import app.secondheart.state.WalkPhase
import app.secondheart.state.WalkRowUi
import app.secondheart.state.WalkUi
import app.secondheart.ui.components.ActionPair
import app.secondheart.ui.components.DayStepper
import app.secondheart.ui.components.PrimaryAction
import app.secondheart.ui.components.ScreenHeader
import app.secondheart.ui.components.SecondaryAction
import app.secondheart.ui.components.SectionCard
import app.secondheart.ui.components.Stat
import app.secondheart.ui.theme.AppIcons
import app.secondheart.ui.theme.LocalMetricColors
import java.time.LocalDate

/** What Walk asks of its model: a live walk's controls, and logging one done without the app. */
interface WalkActions {
    fun start()
    fun pause()
    fun resume()
    fun finish()
    fun openLogForm()
    fun closeLogForm()
    fun logWalk(form: WalkLogForm)

    /** Asks whether to delete [row], a walk logged by hand. */
    fun askToDelete(row: WalkRowUi)
    fun cancelDelete()

    /** Deletes the walk logged by hand [id] (the user confirmed). */
    fun deleteWalk(id: Long)

    /** [day] as the form names it ("Yesterday · Wed 2 Dec"). */
    fun dayOfWalk(day: LocalDate): String

    /** The user's today: the form steps no later. */
    fun today(): LocalDate

    /** Opens the phone's settings for the app, where the step count refused to it is allowed. */
    fun openAppPermissions()
}

/** Walk: start, pause, finish; live steps and cadence; what the calves pumped; a walk done without the app logged by hand. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun WalkScreen(state: WalkUi, actions: WalkActions, modifier: Modifier = Modifier) {
    val metrics = LocalMetricColors.current
    ScreenColumn(modifier) {
        val form = state.logForm
        ScreenHeader("Walk", if (form == null) state.source else "Log a walk done without the app")
        if (form == null && state.stepsRefused) SecondaryAction("Open the phone's settings", actions::openAppPermissions, Modifier.fillMaxWidth())
        // The form takes the stopwatch's place while it is open.
        if (form == null) SectionCard(null) {
            // Display-sized already: large fonts grow it a fifth at most (as Android 14's non-linear scaling
            // does), so an hour's "1:04:30" keeps one line and Finish stays in sight.
            val fontScale = LocalDensity.current.fontScale
            Text(
                state.elapsed,
                style = TextStyle(fontSize = (64f * minOf(fontScale, 1.2f) / fontScale).sp, fontWeight = FontWeight.Bold, fontFeatureSettings = "tnum"),
                // No live region: TalkBack would read every second of the walk aloud.
                modifier = Modifier.fillMaxWidth(),
                color = MaterialTheme.colorScheme.onSurface,
                maxLines = 1,
                softWrap = false,
            )
            // With large fonts the figures wrap to a second line rather than squeeze the last one out.
            FlowRow(
                Modifier.fillMaxWidth(),
                horizontalArrangement = Arrangement.SpaceBetween,
                verticalArrangement = Arrangement.spacedBy(8.dp),
            ) {
                Stat("Steps", state.steps, color = metrics.steps)
                Stat("Cadence", state.cadence)
                Stat("Calves pumped", state.pumped, color = metrics.pumped)
            }
        }
        when (state.phase) {
            WalkPhase.Ready -> if (form == null) {
                PrimaryAction("Start walk", actions::start, icon = AppIcons.Play, inPlaceOfAnother = true)
                SecondaryAction("Log a walk done without the app", actions::openLogForm, Modifier.fillMaxWidth(), icon = AppIcons.Add)
            }
            WalkPhase.Walking -> ActionPair(
                { SecondaryAction("Pause", actions::pause, it, icon = AppIcons.Pause, inPlaceOfAnother = true) },
                { PrimaryAction("Finish", actions::finish, it, icon = AppIcons.Stop, inPlaceOfAnother = true) },
            )
            WalkPhase.Paused -> ActionPair(
                { SecondaryAction("Resume", actions::resume, it, icon = AppIcons.Play, inPlaceOfAnother = true) },
                { PrimaryAction("Finish", actions::finish, it, icon = AppIcons.Stop, inPlaceOfAnother = true) },
            )
        }
        if (form != null) LogWalkCard(form, actions)
        state.message?.let { Text(it, style = MaterialTheme.typography.bodyLarge, color = MaterialTheme.colorScheme.primary) }
        if (state.recent.isNotEmpty()) {
            SectionCard("Recent walks") {
                state.recent.forEachIndexed { i, walk ->
                    if (i > 0) HorizontalDivider(color = MaterialTheme.colorScheme.outlineVariant)
                    Row(verticalAlignment = Alignment.CenterVertically) {
                        Column(Modifier.weight(1f), verticalArrangement = Arrangement.spacedBy(2.dp)) {
                            Text(walk.title, style = MaterialTheme.typography.titleSmall)
                            Text(walk.detail, style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
                        }
                        // Only a walk logged by hand: one the app followed is its session's record.
                        if (walk.deletableId != null) IconButton({ actions.askToDelete(walk) }, Modifier.size(48.dp)) {
                            Icon(AppIcons.Delete, "Delete the walk logged at ${walk.title}", tint = MaterialTheme.colorScheme.onSurfaceVariant)
                        }
                    }
                }
            }
        }
        state.confirmingDelete?.let { row ->
            val id = row.deletableId ?: return@let
            AlertDialog(
                onDismissRequest = actions::cancelDelete,
                title = { Text("Delete this walk?") },
                text = { Text("${row.title}, ${row.detail}. It was logged by hand; its steps leave the day's figures.") },
                confirmButton = {
                    TextButton({ actions.deleteWalk(id) }, Modifier.heightIn(min = 48.dp)) {
                        Text("Delete walk", color = MaterialTheme.colorScheme.error)
                    }
                },
                dismissButton = { TextButton(actions::cancelDelete, Modifier.heightIn(min = 48.dp)) { Text("Keep it") } },
            )
        }
    }
}

/** The form as the platform keeps it while the activity is recreated (a turned phone, a changed language or font size). */
private val WalkLogFormSaver = listSaver<WalkLogForm, Any>(
    save = { listOf(it.day.toEpochDay(), it.start, it.minutes, it.steps) },
    restore = { WalkLogForm(LocalDate.ofEpochDay(it[0] as Long), it[1] as String, it[2] as String, it[3] as String) },
)

/** The form for a walk done without the app: the day, when it started, how long, its steps; what was typed outlives the screen being recreated. */
@Composable
private fun LogWalkCard(initial: WalkLogForm, actions: WalkActions) {
    var form by rememberSaveable(initial, stateSaver = WalkLogFormSaver) { mutableStateOf(initial) }
    SectionCard("Your walk") {
        Text("It counts toward its day like a walk the app tracked.", style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
        // The day, stepped back from today: one tap for yesterday, more for the days before.
        DayStepper(
            actions.dayOfWalk(form.day),
            dayBefore = { form = form.copy(day = form.day.minusDays(1)) },
            dayAfter = { form = form.copy(day = form.day.plusDays(1)) }.takeIf { form.day < actions.today() },
        )
        OutlinedTextField(
            form.start, { form = form.copy(start = it) }, Modifier.fillMaxWidth(),
            label = { Text("Started at (hours:minutes)") }, singleLine = true,
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Number),
        )
        Row(horizontalArrangement = Arrangement.spacedBy(12.dp)) {
            OutlinedTextField(
                form.minutes, { form = form.copy(minutes = it) }, Modifier.weight(1f),
                label = { Text("Minutes") }, singleLine = true,
                keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Number),
            )
            OutlinedTextField(
                form.steps, { form = form.copy(steps = it) }, Modifier.weight(1f),
                label = { Text("Steps") }, singleLine = true,
                keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Number),
            )
        }
    }
    ActionPair(
        { SecondaryAction("Cancel", actions::closeLogForm, it) },
        { PrimaryAction("Log walk", { actions.logWalk(form) }, it, icon = AppIcons.Walk) },
    )
}
