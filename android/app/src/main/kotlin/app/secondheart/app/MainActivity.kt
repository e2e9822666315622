package app.secondheart.app

import android.app.Application
import android.content.ActivityNotFoundException
import android.content.Intent
import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.isSystemInDarkTheme
import app.secondheart.android.AndroidRadio
import app.secondheart.android.DocumentSaver
import app.secondheart.android.Feature
import app.secondheart.android.Permissions
import app.secondheart.android.PhoneReminders
import app.secondheart.android.PhoneSession
import app.secondheart.android.ReminderNotifier
import app.secondheart.android.ReminderScheduler
import app.secondheart.core.AppClock
import app.secondheart.state.AppModels
import app.secondheart.state.Core
import app.secondheart.ui.SecondHeartApp
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.MainScope
import uniffi.second_heart.SecondHeart

/** Opens the database once for the process and holds every screen's model. */
class SecondHeartApplication : Application() {
    lateinit var models: AppModels
        private set

    /** Break reminders as alarms, from the process's start: an alarm may wake it with no screen. */
    lateinit var reminders: PhoneReminders
        private set

    /** Settings' export goes where the user picks in the system's "save as" dialog, which the activity opens. */
    lateinit var saver: DocumentSaver
        private set

    override fun onCreate() {
        super.onCreate()
        val clock = AppClock()
        val core = Core(SecondHeart.open(filesDir.resolve("second-heart.db").path, clock), clock)
        saver = DocumentSaver(this)
        models = AppModels(core, AndroidRadio(this), cacheDir.resolve("exports"), MainScope(), Dispatchers.IO, platform = PhoneSession(this), exportSaver = saver)
        ReminderNotifier(this).createChannels()
        reminders = PhoneReminders(core, ReminderScheduler(this))
    }
}

/** The one activity: the shared Compose screens (android/ui), as on the desktop. */
class MainActivity : ComponentActivity() {
    private val ask = registerForActivityResult(ActivityResultContracts.RequestMultiplePermissions()) {
        (application as SecondHeartApplication).models.reloadAll()
        (application as SecondHeartApplication).reminders.reschedule()
    }

    /** Opens the "save as" dialog for the saver, from this instance. */
    private var openSaveAs: ((Intent) -> Unit)? = null

    /** The "save as" dialog of an export; its answer reaches the saver even after the activity was recreated. */
    private val saveAs = registerForActivityResult(ActivityResultContracts.StartActivityForResult()) { result ->
        (application as SecondHeartApplication).saver.picked(result.data?.data.takeIf { result.resultCode == RESULT_OK })
    }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val saver = (application as SecondHeartApplication).saver
        openSaveAs = { intent ->
            runOnUiThread {
                try {
                    check(!isDestroyed) { "the screen closed" }
                    saveAs.launch(intent)
                } catch (e: ActivityNotFoundException) {
                    saver.failed(e)
                } catch (e: IllegalStateException) {
                    saver.failed(e)
                }
            }
        }
        saver.open = openSaveAs
        val models = (application as SecondHeartApplication).models
        val missing = Feature.entries.flatMap { Permissions.missing(this, it) }
        if (missing.isNotEmpty()) ask.launch(missing.toTypedArray())
        Permissions.exactAlarmSettings(this)?.let(::startActivity)
        setContent { SecondHeartApp(models, dark = isSystemInDarkTheme()) }
    }

    /** In sight (at launch too): every screen reloads, and a running walk's clock moves. */
    override fun onStart() {
        super.onStart()
        (application as SecondHeartApplication).models.foreground()
        (application as SecondHeartApplication).reminders.reschedule()
    }

    override fun onDestroy() {
        // Another instance of the activity may have taken the dialog over.
        val saver = (application as SecondHeartApplication).saver
        if (saver.open === openSaveAs) {
            saver.open = null
            // Closed for good (not turned): a dialog still open has no one to answer to.
            if (isFinishing) saver.picked(null)
        }
        super.onDestroy()
    }

    /** Out of sight (not merely turning the screen): Devices' live data and the session clocks stop. */
    override fun onStop() {
        super.onStop()
        if (!isChangingConfigurations) (application as SecondHeartApplication).models.background()
    }
}
