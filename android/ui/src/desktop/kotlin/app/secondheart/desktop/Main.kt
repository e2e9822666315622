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
import app.secondheart.state.SensorRadio
import app.secondheart.state.WithDemoSensor
import app.secondheart.state.openFailure
import app.secondheart.ui.SecondHeartApp
import app.secondheart.ui.screens.OpenFailedScreen
import app.secondheart.ui.theme.SecondHeartTheme
import java.io.File
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import uniffi.second_heart.SecondHeart

/**
 * The desktop app: the same screens in a phone-sized window, over a
 * database in the user's data directory (`android/run-desktop.sh` builds the
 * library and opens it). Devices scans the computer's Bluetooth (BlueZ on
 * Linux; the adapter in `SECOND_HEART_ADAPTER`, else the first) and pairs a
 * real sensor; without an adapter it says so and offers the demo sensor,
 * which `SECOND_HEART_DEMO=1` picks from the start.
 */
fun main() {
    val dir = File(System.getenv("XDG_DATA_HOME") ?: "${System.getProperty("user.home")}/.local/share", "second-heart")
    dir.mkdirs()
    val clock = AppClock()
    val app = try {
        SecondHeart.open(File(dir, "desktop.db").path, clock)
    } catch (e: Exception) {
        // A database from a newer app, a damaged file, a full disk (or a panic, UniFFI's InternalException): said, and left as it is.
        return application {
            Window(onCloseRequest = ::exitApplication, title = "Second Heart", state = rememberWindowState(width = 420.dp, height = 880.dp)) {
                SecondHeartTheme(isSystemInDarkTheme()) { OpenFailedScreen(openFailure(e, canRetry = false)) }
            }
        }
    }
    val models = AppModels(
        Core(app, clock),
        radio(clock),
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

/** The computer's Bluetooth with the demo sensor in its place when there is none; the demo sensor alone on request. */
private fun radio(clock: AppClock): SensorRadio {
    val demo = DemoRadio(pace = 4, clock = clock)
    if (System.getenv("SECOND_HEART_DEMO") == "1") return demo
    return WithDemoSensor(DesktopRadio(System.getenv("SECOND_HEART_ADAPTER")), demo)
}
