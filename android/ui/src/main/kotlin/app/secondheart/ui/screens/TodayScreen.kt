package app.secondheart.ui.screens

import androidx.compose.foundation.ScrollState
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.rememberScrollState
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.role
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import androidx.compose.foundation.clickable
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.OutlinedTextField
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableIntStateOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.text.input.KeyboardType
import app.secondheart.state.DayUi
import app.secondheart.ui.components.DayStepper
import java.time.LocalDate
import app.secondheart.state.SocksUi
import app.secondheart.state.TodayUi
import app.secondheart.state.WaterUi
import app.secondheart.ui.components.Choices
import app.secondheart.ui.components.ProgressBar
import app.secondheart.ui.components.RingTile
import app.secondheart.ui.components.ScreenHeader
import app.secondheart.ui.components.SecondaryAction
import app.secondheart.ui.components.SectionCard
import app.secondheart.ui.components.unbroken
import app.secondheart.ui.theme.AppIcons
import app.secondheart.ui.theme.LocalMetricColors

/** What Today asks the app to do, besides opening other screens. */
interface TodayActions {
    fun logGlass()
    fun chooseSocks(id: String)
    fun socksOn()
    fun socksOff()
    fun socksOffAt(day: LocalDate, time: String)
}

/**
 * Today: the four rings, the current sitting stretch, the next break, water
 * and compression socks (both logged here), and the sensor.
 */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun TodayScreen(
    state: TodayUi,
    actions: TodayActions,
    onOpenDevices: () -> Unit,
    onOpenSettings: () -> Unit,
    onOpenLearn: () -> Unit,
    modifier: Modifier = Modifier,
    scroll: ScrollState = rememberScrollState(),
) {
    ScreenColumn(modifier, scroll) {
        ScreenHeader("Today", state.date) {
            IconButton(onOpenSettings, Modifier.size(48.dp)) {
                Icon(AppIcons.Settings, contentDescription = "Settings")
            }
        }
        Text(state.headline, style = MaterialTheme.typography.titleLarge, color = MaterialTheme.colorScheme.primary, modifier = Modifier.semantics { heading() })
        SectionCard(null) {
            FlowRow(
                Modifier.fillMaxWidth(),
                horizontalArrangement = Arrangement.SpaceEvenly,
                verticalArrangement = Arrangement.spacedBy(16.dp),
                maxItemsInEachRow = if (LocalDensity.current.fontScale > 1.3f) 1 else 2,
            ) {
                state.rings.forEach { RingTile(it, Modifier.weight(1f)) }
            }
        }
        state.sitting?.let { sitting ->
            val metrics = LocalMetricColors.current
            SectionCard("Sitting") {
                Text(sitting.label, style = MaterialTheme.typography.bodyLarge)
                val fraction = sitting.fraction
                if (fraction != null) ProgressBar(fraction, sitting.label, if (sitting.due) metrics.caution else metrics.steps)
                state.nextBreak?.let { Text(it, style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant) }
            }
        }
        if (state.sitting == null) {
            state.nextBreak?.let { SectionCard("Next break") { Text(it, style = MaterialTheme.typography.bodyLarge) } }
        }
        state.flight?.let { SectionCard("Flight") { Text(it, style = MaterialTheme.typography.bodyLarge) } }
        state.message?.let { Text(it, style = MaterialTheme.typography.bodyLarge, color = MaterialTheme.colorScheme.primary) }
        state.water?.let { WaterCard(it, actions::logGlass) }
        state.socks?.let { SocksCard(it, actions) }
        SectionCard(
            "How your second heart works",
            Modifier.heightIn(min = 48.dp).clickable(onClickLabel = "Open Learn", onClick = onOpenLearn).semantics { role = Role.Button },
            container = MaterialTheme.colorScheme.primaryContainer,
        ) {
            Text("The calf pump, its valves, what sitting does, and first aid for shock", style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onPrimaryContainer)
        }
        SectionCard(
            null,
            Modifier.heightIn(min = 48.dp).clickable(onClickLabel = "Open devices", onClick = onOpenDevices)
                .semantics { role = Role.Button },
        ) {
            Row(
                verticalAlignment = Alignment.CenterVertically,
                horizontalArrangement = Arrangement.spacedBy(16.dp),
                modifier = Modifier.clearAndSetSemantics { contentDescription = "${state.sensor.title}. ${state.sensor.detail}" },
            ) {
                Icon(
                    AppIcons.Bluetooth,
                    contentDescription = null,
                    tint = if (state.sensor.connected) MaterialTheme.colorScheme.primary else MaterialTheme.colorScheme.onSurfaceVariant,
                )
                Column(Modifier.weight(1f)) {
                    Text(unbroken(state.sensor.title), style = MaterialTheme.typography.titleSmall)
                    Text(state.sensor.detail, style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
                }
            }
        }
    }
}

/** Water today, with the button that logs a glass. */
@Composable
private fun WaterCard(water: WaterUi, onGlass: () -> Unit) {
    SectionCard("Water") {
        Text(water.drunk, style = MaterialTheme.typography.bodyLarge)
        ProgressBar(water.fraction, "Water: ${water.drunk}", LocalMetricColors.current.sets)
        SecondaryAction("Log a glass (250 mL)", onGlass, Modifier.fillMaxWidth())
    }
}

/**
 * Socks on since an earlier day: when did they come off? The day they went on first (an evening's "off"
 * forgotten is the likeliest), stepped up to today; what was typed outlives the screen being recreated.
 */
@Composable
private fun OffEarlier(days: List<DayUi>, actions: TodayActions) {
    var index by rememberSaveable(days.first().date) { mutableIntStateOf(0) }
    var time by rememberSaveable(days.first().date) { mutableStateOf("") }
    val day = days[index.coerceIn(days.indices)]
    HorizontalDivider(color = MaterialTheme.colorScheme.outlineVariant)
    Text(
        "Did they come off before now? Say when, and the time since counts without them.",
        style = MaterialTheme.typography.bodyMedium,
        color = MaterialTheme.colorScheme.onSurfaceVariant,
    )
    DayStepper(
        day.label,
        dayBefore = { index -= 1 }.takeIf { index > 0 },
        dayAfter = { index += 1 }.takeIf { index < days.lastIndex },
    )
    OutlinedTextField(
        time, { time = it }, Modifier.fillMaxWidth(),
        label = { Text("Came off at (hours:minutes)") }, singleLine = true,
        keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Number),
    )
    SecondaryAction("They came off then", { actions.socksOffAt(day.date, time) }, Modifier.fillMaxWidth())
}

/** Compression socks: on since when, or which band is going on; what the health answers say against them. */
@Composable
private fun SocksCard(socks: SocksUi, actions: TodayActions) {
    SectionCard("Compression socks") {
        Text(socks.status, style = MaterialTheme.typography.bodyLarge)
        socks.caution?.let { Text(it, style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.error) }
        if (socks.wearing) {
            // On since an earlier day, "off" could mean then or now: this one says now.
            val off = if (socks.offDays.isEmpty()) "I took them off" else "I took them off just now"
            SecondaryAction(off, actions::socksOff, Modifier.fillMaxWidth(), inPlaceOfAnother = true)
            if (socks.offDays.isNotEmpty()) OffEarlier(socks.offDays, actions)
        } else {
            Choices(socks.classes, "Socks", actions::chooseSocks)
            SecondaryAction("I put them on", actions::socksOn, Modifier.fillMaxWidth(), inPlaceOfAnother = true)
        }
    }
}
