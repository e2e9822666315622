package app.secondheart.desktop

import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.ui.unit.dp
import androidx.compose.ui.window.Window
import androidx.compose.ui.window.application
import androidx.compose.ui.window.rememberWindowState
import app.secondheart.core.AppClock
import app.secondheart.state.AppModels
import app.secondheart.state.Core
import app.secondheart.state.DemoRadio
import app.secondheart.ui.SecondHeartApp
import java.io.File
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import uniffi.second_heart.SecondHeart

/**
 * The desktop app: the same screens in a phone-sized window, over a
 * database in the user's data directory, with the demo sensor to pair and
 * sync (`android/run-desktop.sh` builds the library and opens it).
 */
fun main() {
    val dir = File(System.getenv("XDG_DATA_HOME") ?: "${System.getProperty("user.home")}/.local/share", "second-heart")
    dir.mkdirs()
    val clock = AppClock()
    val app = SecondHeart.open(File(dir, "desktop.db").path, clock)
    val models = AppModels(
        Core(app, clock),
        DemoRadio(pace = 4),
        File(dir, "exports"),
        CoroutineScope(SupervisorJob() + Dispatchers.Main),
        Dispatchers.IO,
    )
    application {
        LaunchedEffect(Unit) { models.reloadAll() }
        Window(
            onCloseRequest = { models.close(); exitApplication() },
            title = "Second Heart",
            state = rememberWindowState(width = 420.dp, height = 880.dp),
        ) {
            SecondHeartApp(models, dark = isSystemInDarkTheme())
        }
    }
}
