package app.secondheart.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.selection.toggleable
import androidx.compose.material3.Checkbox
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
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
import app.secondheart.state.FLIGHT_RISKS
import app.secondheart.state.FlightForm
import app.secondheart.state.FlightUi
import app.secondheart.ui.components.PrimaryAction
import app.secondheart.ui.components.ScreenHeader
import app.secondheart.ui.components.SecondaryAction
import app.secondheart.ui.components.SectionCard
import app.secondheart.ui.components.Timeline
import app.secondheart.ui.theme.AppIcons

/** Flight: the plan from the flight's details and the risk questions, then its timeline in both zones. */
@Composable
fun FlightScreen(state: FlightUi, initialForm: FlightForm, onPlan: (FlightForm) -> Unit, onStart: () -> Unit, onClear: () -> Unit, modifier: Modifier = Modifier) {
    ScreenColumn(modifier) {
        ScreenHeader("Flight", state.title ?: "Plan a long flight")
        if (state.timeline.isEmpty()) {
            FlightFormCard(initialForm, onPlan)
        } else {
            state.next?.let { SectionCard(null, container = MaterialTheme.colorScheme.primaryContainer) { Text(it, style = MaterialTheme.typography.titleMedium, color = MaterialTheme.colorScheme.onPrimaryContainer) } }
            state.risk?.let { SectionCard("Your risk") { Text(it, style = MaterialTheme.typography.bodyLarge) } }
            SectionCard("Timeline") {
                Timeline(state.timeline, state.homeZone, state.awayZone)
            }
            Row(horizontalArrangement = Arrangement.spacedBy(12.dp)) {
                SecondaryAction("New plan", onClear, Modifier.weight(1f))
                if (state.next == null) PrimaryAction("Start flight", onStart, Modifier.weight(1f), icon = AppIcons.Flight)
            }
        }
        state.message?.let { Text(it, color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.bodyLarge) }
    }
}

/** The form as the platform keeps it while the activity is recreated (a turned phone, a changed language or font size). */
private val FlightFormSaver = listSaver<FlightForm, Any>(
    save = { listOf(it.depart, it.from, it.arrive, it.to, it.seat, ArrayList(it.risks.sorted())) },
    restore = { saved ->
        @Suppress("UNCHECKED_CAST")
        FlightForm(saved[0] as String, saved[1] as String, saved[2] as String, saved[3] as String, saved[4] as String, (saved[5] as List<String>).toSet())
    },
)

@Composable
private fun FlightFormCard(initial: FlightForm, onPlan: (FlightForm) -> Unit) {
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
    }
    SectionCard("A few questions") {
        FLIGHT_RISKS.forEach { (id, question) ->
            val checked = id in form.risks
            Row(
                Modifier.fillMaxWidth().heightIn(min = 48.dp).toggleable(checked, role = Role.Checkbox) {
                    form = form.copy(risks = if (it) form.risks + id else form.risks - id)
                },
                verticalAlignment = Alignment.CenterVertically,
            ) {
                Checkbox(checked, onCheckedChange = null)
                Text(question, Modifier.weight(1f), style = MaterialTheme.typography.bodyLarge)
            }
        }
    }
    PrimaryAction("Make my plan", { onPlan(form) }, icon = AppIcons.Flight)
}
