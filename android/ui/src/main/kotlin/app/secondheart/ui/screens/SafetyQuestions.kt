package app.secondheart.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import app.secondheart.state.GateUi
import app.secondheart.state.SafetyQuestionUi
import app.secondheart.ui.theme.AppIcons

/** Yes/no questions, each answer a 48 dp radio row read out with its question. */
@Composable
fun SafetyQuestions(questions: List<SafetyQuestionUi>, onAnswer: (id: String, yes: Boolean) -> Unit) {
    Column(verticalArrangement = Arrangement.spacedBy(12.dp)) {
        questions.forEach { q ->
            Column(Modifier.selectableGroup()) {
                Text(q.text, style = MaterialTheme.typography.bodyLarge)
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    listOf(true to "Yes", false to "No").forEach { (yes, label) ->
                        Row(
                            Modifier.heightIn(min = 48.dp)
                                .selectable(q.answer == yes, role = Role.RadioButton, onClick = { onAnswer(q.id, yes) })
                                .semantics { contentDescription = "$label: ${q.text}" }
                                .padding(end = 12.dp),
                            verticalAlignment = Alignment.CenterVertically,
                            horizontalArrangement = Arrangement.spacedBy(8.dp),
                        ) {
                            RadioButton(selected = q.answer == yes, onClick = null)
                            Text(label, style = MaterialTheme.typography.bodyLarge)
                        }
                    }
                }
            }
        }
    }
}

/** A gate's decision as a coloured banner; nothing while questions are open. */
@Composable
fun GateBanner(gate: GateUi) {
    val (text, container, content) = when (gate) {
        GateUi.Unanswered -> return
        is GateUi.Open -> Triple(gate.note, MaterialTheme.colorScheme.primaryContainer, MaterialTheme.colorScheme.onPrimaryContainer)
        is GateUi.Closed -> Triple(gate.reason, MaterialTheme.colorScheme.errorContainer, MaterialTheme.colorScheme.onErrorContainer)
    }
    Surface(color = container, contentColor = content, shape = MaterialTheme.shapes.medium, modifier = Modifier.fillMaxWidth()) {
        Row(Modifier.padding(16.dp), horizontalArrangement = Arrangement.spacedBy(12.dp)) {
            Icon(if (gate is GateUi.Open) AppIcons.Check else AppIcons.Warning, contentDescription = null, Modifier.size(22.dp))
            Text(text, style = MaterialTheme.typography.bodyLarge)
        }
    }
}
