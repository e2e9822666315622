package app.secondheart.ui.screens

import androidx.compose.foundation.ScrollState
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.selection.toggleable
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Checkbox
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
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
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.unit.dp
import app.secondheart.state.FlightForm
import app.secondheart.state.FlightUi
import app.secondheart.state.QuestionUi
import app.secondheart.ui.components.PrimaryAction
import app.secondheart.ui.components.ScreenHeader
import app.secondheart.ui.components.SecondaryAction
import app.secondheart.ui.components.SectionCard
import app.secondheart.ui.components.Timeline
import app.secondheart.ui.theme.AppIcons

/** What the Flight screen asks of its model. */
interface FlightActions {
    /** Plans the flight in [form] (nothing saved). */
    fun plan(form: FlightForm)
    /** Starts the plan shown: reminders follow it. */
    fun start()
    /** Back to the form (a started flight stays started). */
    fun clear()
    /** Asks whether to cancel the started flight. */
    fun askCancel()
    /** Keeps the started flight asked about. */
    fun keepFlight()
    /** Cancels the started flight: the user confirmed. */
    fun cancelFlight()
}

/** Flight: the plan from the flight's details and the risk questions, then its timeline in both zones. */
@Composable
fun FlightScreen(
    state: FlightUi,
    initialForm: FlightForm,
    questions: List<QuestionUi>,
    actions: FlightActions,
    modifier: Modifier = Modifier,
    scroll: ScrollState = rememberScrollState(),
) {
    ScreenColumn(modifier, scroll) {
        ScreenHeader("Flight", state.title ?: "Plan a long flight")
        if (state.timeline.isEmpty()) {
            FlightFormCard(initialForm, questions, actions::plan)
        } else {
            state.next?.let { SectionCard(null, container = MaterialTheme.colorScheme.primaryContainer) { Text(it, style = MaterialTheme.typography.titleMedium, color = MaterialTheme.colorScheme.onPrimaryContainer) } }
            state.risk?.let { risk ->
                SectionCard("Your risk") {
                    // Yours first, in larger type; what the figures say of everyone on such a flight beneath it.
                    Text(risk, style = MaterialTheme.typography.titleMedium)
                    state.riskNote?.let {
                        Text(it, style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
                    }
                }
            }
            SectionCard("Timeline") {
                Timeline(state.timeline, state.homeZone, state.awayZone)
            }
            Row(horizontalArrangement = Arrangement.spacedBy(12.dp)) {
                SecondaryAction("New plan", actions::clear, Modifier.weight(1f))
                if (state.started) {
                    SecondaryAction("Cancel flight", actions::askCancel, Modifier.weight(1f), inPlaceOfAnother = true)
                } else {
                    PrimaryAction("Start flight", actions::start, Modifier.weight(1f), icon = AppIcons.Flight, inPlaceOfAnother = true)
                }
            }
        }
        if (state.confirmingCancel) {
            AlertDialog(
                onDismissRequest = actions::keepFlight,
                title = { Text("Cancel this flight?") },
                text = { Text("Its reminders stop, and your days stay in your own time zone. You can plan it again.") },
                confirmButton = {
                    TextButton(actions::cancelFlight, Modifier.heightIn(min = 48.dp)) {
                        Text("Cancel the flight", color = MaterialTheme.colorScheme.error)
                    }
                },
                dismissButton = { TextButton(actions::keepFlight, Modifier.heightIn(min = 48.dp)) { Text("Keep it") } },
            )
        }
        state.message?.let { Text(it, color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.bodyLarge) }
    }
}

/** The form as the platform keeps it while the activity is recreated (a turned phone, a changed language or font size). */
private val FlightFormSaver = listSaver<FlightForm, Any>(
    save = { listOf(it.depart, it.from, it.arrive, it.to, it.seat, ArrayList(it.risks.sorted()), it.moveEveryMin, it.sleep) },
    restore = { saved ->
        @Suppress("UNCHECKED_CAST")
        FlightForm(
            saved[0] as String, saved[1] as String, saved[2] as String, saved[3] as String, saved[4] as String,
            (saved[5] as List<String>).toSet(), saved[6] as Int, saved[7] as String,
        )
    },
)

@Composable
private fun FlightFormCard(initial: FlightForm, questions: List<QuestionUi>, onPlan: (FlightForm) -> Unit) {
    var form by rememberSaveable(stateSaver = FlightFormSaver) { mutableStateOf(initial) }
    SectionCard("Your flight") {
        OutlinedTextField(form.depart, { form = form.copy(depart = it) }, Modifier.fillMaxWidth(), label = { Text("Departs (local time)") }, singleLine = true)
        OutlinedTextField(form.from, { form = form.copy(from = it) }, Modifier.fillMaxWidth(), label = { Text("From (time zone)") }, singleLine = true)
        OutlinedTextField(form.arrive, { form = form.copy(arrive = it) }, Modifier.fillMaxWidth(), label = { Text("Arrives (local time)") }, singleLine = true)
        OutlinedTextField(form.to, { form = form.copy(to = it) }, Modifier.fillMaxWidth(), label = { Text("To (time zone)") }, singleLine = true)
        Text("Seat", style = MaterialTheme.typography.labelLarge)
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            listOf("window", "middle", "aisle").forEach { seat ->
                FilterChip(
                    selected = form.seat == seat,
                    onClick = { form = form.copy(seat = seat) },
                    label = { Text(seat.replaceFirstChar { it.uppercase() }) },
                    modifier = Modifier.heightIn(min = 48.dp),
                )
            }
        }
        Text("Move every", style = MaterialTheme.typography.labelLarge)
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            listOf(30, 45, 60).forEach { minutes ->
                FilterChip(
                    selected = form.moveEveryMin == minutes,
                    onClick = { form = form.copy(moveEveryMin = minutes) },
                    label = { Text("$minutes min") },
                    modifier = Modifier.heightIn(min = 48.dp),
                )
            }
        }
        OutlinedTextField(
            form.sleep, { form = form.copy(sleep = it) }, Modifier.fillMaxWidth(),
            label = { Text("Sleep, destination time (optional)") }, placeholder = { Text("23:00-06:00") }, singleLine = true,
        )
    }
    SectionCard("A few questions") {
        questions.forEach { question ->
            val id = question.id
            val checked = id in form.risks
            Row(
                Modifier.fillMaxWidth().heightIn(min = 48.dp).toggleable(checked, role = Role.Checkbox) {
                    form = form.copy(risks = if (it) form.risks + id else form.risks - id)
                },
                verticalAlignment = Alignment.CenterVertically,
                horizontalArrangement = Arrangement.spacedBy(12.dp),
            ) {
                Checkbox(checked, onCheckedChange = null)
                Text(question.text, Modifier.weight(1f), style = MaterialTheme.typography.bodyLarge)
            }
        }
    }
    PrimaryAction("Make my plan", { onPlan(form) }, icon = AppIcons.Flight)
}
