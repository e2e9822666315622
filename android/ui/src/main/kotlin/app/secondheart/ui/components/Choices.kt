package app.secondheart.ui.components

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import app.secondheart.state.ChoiceUi

/** One of a few choices, as chips that wrap onto the next line; each reads "[group]: label" to a screen reader. */
@Composable
fun Choices(choices: List<ChoiceUi>, group: String, onChoose: (String) -> Unit) {
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
        choices.forEach { choice ->
            FilterChip(
                selected = choice.selected,
                onClick = { onChoose(choice.id) },
                label = { Text(choice.label) },
                modifier = Modifier.heightIn(min = 48.dp).semantics { contentDescription = "$group: ${choice.label}" },
            )
        }
    }
}

/**
 * One of a few choices whose labels are too long for chips (a sensor's model and serial), as radio
 * buttons one under another; each reads "[group]: label" to a screen reader.
 */
@Composable
fun RadioList(choices: List<ChoiceUi>, group: String, onChoose: (String) -> Unit) {
    Column(Modifier.selectableGroup()) {
        choices.forEach { choice ->
            Row(
                Modifier.fillMaxWidth().heightIn(min = 48.dp)
                    .selectable(choice.selected, role = Role.RadioButton, onClick = { if (!choice.selected) onChoose(choice.id) })
                    .semantics { contentDescription = "$group: ${choice.label}" },
                verticalAlignment = Alignment.CenterVertically,
                horizontalArrangement = Arrangement.spacedBy(8.dp),
            ) {
                RadioButton(selected = choice.selected, onClick = null)
                Text(unbroken(choice.label), style = MaterialTheme.typography.bodyLarge)
            }
        }
    }
}
