package app.secondheart.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.TextStyle
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import androidx.compose.ui.unit.sp
import app.secondheart.state.ExercisesUi
import app.secondheart.state.SetCounting
import app.secondheart.ui.components.ActionPair
import app.secondheart.ui.components.PrimaryAction
import app.secondheart.ui.components.RepCounter
import app.secondheart.ui.components.ScreenHeader
import app.secondheart.ui.components.SecondaryAction
import app.secondheart.ui.components.SectionCard
import app.secondheart.ui.theme.AppIcons

/** What Exercises asks the app to do. */
interface ExercisesActions {
    fun startCalfRaises()
    fun startAnklePumps()
    fun countRep()
    fun finishSet()
    fun dismissSet()
    fun answer(id: String, yes: Boolean)
    fun startElevation()
    fun stopElevation()
}

/** Exercises: a set with its rep counter, and leg elevation behind its safety questions. */
@Composable
fun ExercisesScreen(state: ExercisesUi, actions: ExercisesActions, modifier: Modifier = Modifier) {
    ScreenColumn(modifier) {
        ScreenHeader("Exercises", "Calf raises, ankle pumps, legs up")
        val set = state.set
        if (set == null) {
            SectionCard("Calf raises") {
                Text("20 slow raises onto your toes, holding each for 1 second at the top: the strongest squeeze the calf pump gets.", style = MaterialTheme.typography.bodyLarge)
                PrimaryAction("Start calf raises", actions::startCalfRaises, icon = AppIcons.Play, inPlaceOfAnother = true)
            }
            SectionCard("Ankle pumps") {
                Text("Seated: point your toes, then pull them up: 30 times, one every 2 seconds. Works on a plane or at a desk.", style = MaterialTheme.typography.bodyLarge)
                SecondaryAction("Start ankle pumps", actions::startAnklePumps, Modifier.fillMaxWidth(), icon = AppIcons.Play, inPlaceOfAnother = true)
            }
        } else {
            SectionCard(set.title) {
                RepCounter(set.reps, set.target, set.hold, set.cue, Modifier.fillMaxWidth())
                Text(set.source, style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant)
                if (!set.finished && set.counting == SetCounting.Sensor) {
                    SecondaryAction("Finish set", actions::finishSet, Modifier.fillMaxWidth(), icon = AppIcons.Check, inPlaceOfAnother = true)
                } else if (!set.finished) {
                    ActionPair(
                        { PrimaryAction("Count a rep", actions::countRep, it, inPlaceOfAnother = true) },
                        { SecondaryAction("Finish set", actions::finishSet, it, icon = AppIcons.Check, inPlaceOfAnother = true) },
                    )
                } else {
                    PrimaryAction("Done", actions::dismissSet, icon = AppIcons.Check, inPlaceOfAnother = true)
                }
            }
        }
        state.message?.let { Text(it, style = MaterialTheme.typography.bodyLarge, color = MaterialTheme.colorScheme.primary) }
        SectionCard("Legs up") {
            Text("Lying down with your legs raised above your heart lets the veins drain. A few questions first.", style = MaterialTheme.typography.bodyLarge)
            SafetyQuestions(state.elevation.questions, actions::answer)
            GateBanner(state.elevation.gate)
            val timer = state.elevation.timer
            if (timer != null) {
                Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(16.dp)) {
                    Text(timer, style = TextStyle(fontSize = 40.sp, fontWeight = FontWeight.Bold, fontFeatureSettings = "tnum"), modifier = Modifier.weight(1f))
                    SecondaryAction("Stop", actions::stopElevation, icon = AppIcons.Stop, inPlaceOfAnother = true)
                }
            } else {
                PrimaryAction(
                    "Start 15 minutes legs up",
                    actions::startElevation,
                    enabled = state.elevation.questions.all { it.answer != null },
                    inPlaceOfAnother = true,
                )
            }
        }
        if (state.done.isNotEmpty()) {
            SectionCard("Done today") {
                state.done.forEachIndexed { i, line ->
                    if (i > 0) HorizontalDivider(color = MaterialTheme.colorScheme.outlineVariant)
                    Text(line, style = MaterialTheme.typography.bodyLarge)
                }
            }
        }
    }
}
