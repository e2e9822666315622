package app.secondheart.app

import android.app.Application
import android.content.ActivityNotFoundException
import android.content.Intent
import android.os.Bundle
import android.widget.Toast
import androidx.activity.ComponentActivity
import androidx.activity.compose.BackHandler
import androidx.activity.compose.setContent
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import app.secondheart.android.AndroidRadio
import app.secondheart.android.DocumentDialogs
import app.secondheart.android.Feature
import app.secondheart.android.Permissions
import app.secondheart.android.PhoneFirstRun
import app.secondheart.android.PhoneReminderAccess
import app.secondheart.android.PhoneReminders
import app.secondheart.android.PhoneSession
import app.secondheart.android.ReminderNotifier
import app.secondheart.android.ReminderScheduler
import app.secondheart.core.AppClock
import app.secondheart.state.AppModels
import app.secondheart.state.Core
import app.secondheart.state.OpenFailure
import app.secondheart.state.openFailure
import app.secondheart.ui.SecondHeartApp
import app.secondheart.ui.screens.OpenFailedScreen
import app.secondheart.ui.theme.SecondHeartTheme
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.MainScope
import uniffi.second_heart.SecondHeart

/** Opens the database once for the process and holds every screen's model. */
class SecondHeartApplication : Application() {
    /** Every screen's model; null when the data could not be opened ([openError] says why). */
    var models: AppModels? = null
        private set

    /** Break reminders as alarms, from the process's start: an alarm may wake it with no screen. Null without data. */
    var reminders: PhoneReminders? = null
        private set

    /** Why the data could not be opened at launch (a newer app's database, a damaged file, a full disk), if it could not. */
    var openError: OpenFailure? = null
        private set

    /** Settings' export and backup go where the user picks in the system's "save as" dialog, and a restore takes the backup picked in its "open" dialog; the activity opens them. */
    lateinit var documents: DocumentDialogs
        private set

    override fun onCreate() {
        super.onCreate()
        documents = DocumentDialogs(this)
        ReminderNotifier(this).createChannels()
        openCore()
    }

    /**
     * Opens the data and every screen's model, unless open already; false
     * when it cannot be opened ([openError] says why, the data left as it
     * is: it had crashed the app at every launch, alarm and boot). Without a
     * core, an alarm shows the reminder it carries and its actions do nothing.
     */
    fun openCore(): Boolean {
        if (models != null) return true
        val clock = AppClock()
        val database = filesDir.resolve("second-heart.db")
        val firstRun = PhoneFirstRun(this).apply { settle(databaseExisted = database.exists()) }
        val core = try {
            Core(SecondHeart.open(database.path, clock), clock)
        } catch (e: Exception) {
            // SecondHeartException, or UniFFI's InternalException for a panic.
            openError = openFailure(e)
            return false
        }
        openError = null
        models = AppModels(
            core, AndroidRadio(this), cacheDir.resolve("exports"), MainScope(), Dispatchers.IO,
            platform = PhoneSession(this), exportSaver = documents, documentOpener = documents,
            reminderAccess = PhoneReminderAccess(this), firstRun = firstRun,
        )
        reminders = PhoneReminders(core, ReminderScheduler(this))
        return true
    }
}

/** The one activity: the shared Compose screens (android/ui), as on the desktop. */
class MainActivity : ComponentActivity() {
    private val ask = registerForActivityResult(ActivityResultContracts.RequestMultiplePermissions()) {
        (application as SecondHeartApplication).models?.reloadAll()
        (application as SecondHeartApplication).reminders?.reschedule()
    }

    /** Opens a document dialog ("save as", "open") for Settings, from this instance. */
    private var openDialog: ((Intent) -> Unit)? = null

    /** A document dialog of an export, a backup or a restore; its answer reaches Settings even after the activity was recreated. */
    private val documentDialog = registerForActivityResult(ActivityResultContracts.StartActivityForResult()) { result ->
        val document = result.data?.data.takeIf { result.resultCode == RESULT_OK }
        if (!(application as SecondHeartApplication).documents.picked(document) && document != null) {
            // The app was ended behind the dialog: what asked for the file is gone.
            Toast.makeText(this, "Second Heart restarted while the file dialog was open, so nothing was saved or read: please try again.", Toast.LENGTH_LONG).show()
        }
    }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val documents = (application as SecondHeartApplication).documents
        openDialog = { intent ->
            runOnUiThread {
                try {
                    check(!isDestroyed) { "the screen closed" }
                    documentDialog.launch(intent)
                } catch (e: ActivityNotFoundException) {
                    documents.failed(e)
                } catch (e: IllegalStateException) {
                    documents.failed(e)
                }
            }
        }
        val app = application as SecondHeartApplication
        val models = app.models ?: run {
            // The data could not be opened: why, and a way to try again once the user freed space or updated.
            setContent {
                var failure by remember { mutableStateOf(app.openError ?: openFailure(IllegalStateException("the data could not be read"))) }
                SecondHeartTheme(isSystemInDarkTheme()) {
                    OpenFailedScreen(
                        failure,
                        onRetry = {
                            if (app.openCore()) recreate()
                            failure = app.openError ?: failure
                        },
                    )
                }
            }
            return
        }
        // Asked when the app opens, not again when the screen turns. Exact alarms are offered where they
        // matter, in Settings by the reminders, when the phone allows only inexact ones.
        if (savedInstanceState == null) {
            val missing = Feature.entries.flatMap { Permissions.missing(this, it) }
            if (missing.isNotEmpty()) ask.launch(missing.toTypedArray())
        }
        setContent {
            SecondHeartApp(models, dark = isSystemInDarkTheme(), systemBack = { enabled, onBack -> BackHandler(enabled, onBack) })
        }
    }

    /**
     * In sight (at launch too): every screen reloads, a running walk's clock
     * moves, and Settings' document dialogs open from this screen (Android
     * blocks an activity started from one out of sight: without a screen, an
     * export says to open the app instead of waiting for a dialog that never
     * shows).
     */
    override fun onStart() {
        super.onStart()
        (application as SecondHeartApplication).documents.open = openDialog
        (application as SecondHeartApplication).models?.foreground()
        (application as SecondHeartApplication).reminders?.reschedule()
    }

    override fun onDestroy() {
        // Closed for good (not turned): a dialog still open has no one to answer to.
        if (isFinishing) (application as SecondHeartApplication).documents.picked(null)
        super.onDestroy()
    }

    /** Out of sight (not merely turning the screen): Devices' live data and the session clocks stop. */
    override fun onStop() {
        super.onStop()
        // Another instance of the activity may have taken the dialogs over already.
        val documents = (application as SecondHeartApplication).documents
        if (documents.open === openDialog) documents.open = null
        if (!isChangingConfigurations) (application as SecondHeartApplication).models?.background()
    }
}
