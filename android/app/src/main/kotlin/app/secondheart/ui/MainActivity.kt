package app.secondheart.ui

import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import androidx.lifecycle.viewmodel.compose.viewModel

/** The home screen: today's card and a form to log a walk. */
class MainActivity : ComponentActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        setContent { MaterialTheme { TodayScreen() } }
    }
}

@Composable
private fun TodayScreen(model: TodayViewModel = viewModel()) {
    val state by model.state.collectAsState()
    var minutes by remember { mutableStateOf("") }
    var steps by remember { mutableStateOf("") }
    Column(Modifier.padding(24.dp), verticalArrangement = Arrangement.spacedBy(16.dp)) {
        state.fatalError?.let { Text(it, color = MaterialTheme.colorScheme.error) }
        state.card?.let { card ->
            Card {
                Column(Modifier.padding(16.dp)) {
                    Text(card.title, style = MaterialTheme.typography.titleMedium)
                    Text(card.steps, style = MaterialTheme.typography.headlineLarge)
                    Text("${card.walking} · ${card.walks}")
                }
            }
        }
        Text("Log a walk you just finished", style = MaterialTheme.typography.titleSmall)
        OutlinedTextField(
            value = minutes,
            onValueChange = { minutes = it },
            label = { Text("Minutes") },
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Number),
        )
        OutlinedTextField(
            value = steps,
            onValueChange = { steps = it },
            label = { Text("Steps") },
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Number),
        )
        state.formError?.let { Text(it, color = MaterialTheme.colorScheme.error) }
        Button(onClick = { model.logWalk(minutes, steps) }) { Text("Log walk") }
    }
}
