package app.secondheart.ui

import androidx.compose.foundation.ScrollState
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableIntStateOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.Saver
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.saveable.rememberSaveableStateHolder
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import app.secondheart.state.AppModels
import app.secondheart.state.FlightForm
import app.secondheart.state.ProfileForm
import app.secondheart.state.ReminderForm
import app.secondheart.state.LearnInput
import app.secondheart.state.WalkLogForm
import app.secondheart.state.WalkRowUi
import app.secondheart.ui.screens.DevicesActions
import app.secondheart.ui.screens.DevicesScreen
import app.secondheart.ui.screens.ExercisesActions
import app.secondheart.ui.screens.ExercisesScreen
import app.secondheart.ui.screens.FlightActions
import app.secondheart.ui.screens.FlightScreen
import app.secondheart.ui.screens.HistoryScreen
import app.secondheart.ui.screens.LearnActions
import app.secondheart.ui.screens.LearnScreen
import app.secondheart.ui.screens.SettingsActions
import app.secondheart.ui.screens.SettingsScreen
import app.secondheart.ui.screens.TodayActions
import app.secondheart.ui.screens.TodayScreen
import app.secondheart.ui.screens.WalkActions
import app.secondheart.ui.screens.WalkScreen
import app.secondheart.ui.theme.SecondHeartTheme
import java.time.LocalDate

private val DestinationSaver = Saver<Destination, String>({ it.name }, Destination::valueOf)

/**
 * The whole app over [models]: the bottom bar, the current screen, plain-state navigation.
 *
 * Back (the arrow of the screens off the bar, opened from Today, and the phone's back through
 * [systemBack], which the Android app gives `BackHandler`) goes to Today from every other screen;
 * on Today it is the phone's. The phone's back first closes the walk log form, as its Cancel does.
 */
@Composable
fun SecondHeartApp(
    models: AppModels,
    dark: Boolean,
    start: Destination = Destination.Today,
    systemBack: @Composable (enabled: Boolean, onBack: () -> Unit) -> Unit = { _, _ -> },
) {
    // The screen shown outlives the activity being recreated (a turned phone), by its name.
    var current by rememberSaveable(stateSaver = DestinationSaver) { mutableStateOf(start) }
    val go: (Destination) -> Unit = { to ->
        // Live data on Devices is for watching: it stops when the user
        // leaves, so it neither runs the battery down off screen nor holds
        // the sensor a walk or a set is about to count from.
        if (current == Destination.Devices && to != Destination.Devices) models.devices.stopLive()
        current = to
        models.screenFor(to)?.reload()
    }
    val back = { go(Destination.Today) }
    val walk by models.walk.state.collectAsState()
    val walkForm = current == Destination.Walk && walk.logForm != null
    val settings by models.settings.state.collectAsState()
    // Not set up yet: the welcome alone, no bar; Start opens the app on Today (after everything was deleted
    // from Settings too, not on the Settings the welcome replaced).
    val welcome = settings.firstRun
    LaunchedEffect(welcome) { if (welcome) current = Destination.Today }
    // Each screen keeps what was typed or chosen on it (a flight's form, a walk being logged, a profile
    // edit, how far it was scrolled) while another is shown, as a turned phone keeps it; data replaced
    // (a restore, everything deleted) takes it with it, but for the screen that replaced it.
    val screens = rememberSaveableStateHolder()
    val replacements by models.dataReplacements.collectAsState()
    // The replacements already cleared for, kept as the phone turns (the models outlive the activity): a
    // turned phone after a restore clears nothing more.
    var cleared by rememberSaveable { mutableIntStateOf(replacements) }
    LaunchedEffect(replacements) {
        // A new process counts from 0 again, while what was saved outlived the old one.
        if (replacements < cleared) cleared = replacements
        if (replacements > cleared) {
            cleared = replacements
            Destination.entries.filter { it != current }.forEach { screens.removeState(it.name) }
        }
    }
    systemBack(!welcome && (walkForm || current != Destination.Today)) {
        if (walkForm) models.walk.closeLogForm() else back()
    }
    SecondHeartTheme(dark) {
        if (welcome) {
            Welcome(models)
        } else {
            AppShell(current, go) {
                screens.SaveableStateProvider(current.name) { Screen(models, current, back, go) }
            }
        }
    }
}

/** The welcome before the app is set up: Settings' first run alone, without the bar, on [scroll]. */
@Composable
fun Welcome(models: AppModels, scroll: ScrollState = rememberScrollState()) {
    val settings by models.settings.state.collectAsState()
    Scaffold(containerColor = MaterialTheme.colorScheme.background) { padding ->
        SettingsScreen(settings, settingsActions(models), Modifier.padding(padding), scroll = scroll)
    }
}

private fun AppModels.screenFor(d: Destination) = when (d) {
    Destination.Today -> today
    Destination.Walk -> walk
    Destination.Exercises -> exercises
    Destination.Flight -> flight
    Destination.Devices -> devices
    Destination.History -> history
    Destination.Settings -> settings
    Destination.Learn -> learn
}

/** One destination's screen, collecting its model's state; [back] is the arrow of the screens off the bar. */
@Composable
fun Screen(models: AppModels, destination: Destination, back: () -> Unit = {}, navigate: (Destination) -> Unit) {
    when (destination) {
        Destination.Today -> {
            val state by models.today.state.collectAsState()
            val unavailable by models.today.unavailable.collectAsState()
            val today = state
            if (today == null) Loading(unavailable) else TodayScreen(
                today,
                todayActions(models),
                { navigate(Destination.Devices) },
                { navigate(Destination.Settings) },
                { navigate(Destination.Learn) },
            )
        }
        Destination.Walk -> {
            val state by models.walk.state.collectAsState()
            WalkScreen(state, walkActions(models))
        }
        Destination.Exercises -> {
            val state by models.exercises.state.collectAsState()
            ExercisesScreen(state, exercisesActions(models))
        }
        Destination.Flight -> {
            val state by models.flight.state.collectAsState()
            FlightScreen(state, models.flight.form, models.flight.questions, flightActions(models))
        }
        Destination.Devices -> {
            val state by models.devices.state.collectAsState()
            DevicesScreen(state, devicesActions(models), onBack = back)
        }
        Destination.History -> {
            val state by models.history.state.collectAsState()
            HistoryScreen(state, models.history::show)
        }
        Destination.Settings -> {
            val state by models.settings.state.collectAsState()
            SettingsScreen(state, settingsActions(models), onBack = back)
        }
        Destination.Learn -> {
            val state by models.learn.state.collectAsState()
            LearnScreen(state, learnActions(models), onBack = back)
        }
    }
}

/** A spinner, and [problem] beneath it when the first read failed (it is tried again each minute). */
@Composable
internal fun Loading(problem: String?) {
    Box(Modifier.fillMaxSize().padding(24.dp), contentAlignment = Alignment.Center) {
        Column(horizontalAlignment = Alignment.CenterHorizontally, verticalArrangement = Arrangement.spacedBy(16.dp)) {
            CircularProgressIndicator()
            if (problem != null) {
                Text(problem, style = MaterialTheme.typography.bodyLarge, textAlign = TextAlign.Center)
                Text("Trying again every minute.", style = MaterialTheme.typography.bodyMedium, textAlign = TextAlign.Center)
            }
        }
    }
}

/** The Today screen's actions on its model. */
fun todayActions(models: AppModels) = object : TodayActions {
    override fun logGlass() = models.today.logGlass()
    override fun chooseSocks(id: String) = models.today.chooseSocks(id)
    override fun socksOn() = models.today.socksOn()
    override fun socksOff() = models.today.socksOff()
    override fun socksOffAt(day: LocalDate, time: String) = models.today.socksOffAt(day, time)
}

/** The Walk screen's actions on its model. */
fun walkActions(models: AppModels) = object : WalkActions {
    override fun openAppPermissions() = models.walk.openAppPermissions()
    override fun start() = models.walk.start()
    override fun pause() = models.walk.pause()
    override fun resume() = models.walk.resume()
    override fun finish() = models.walk.finish()
    override fun openLogForm() = models.walk.openLogForm()
    override fun closeLogForm() = models.walk.closeLogForm()
    override fun logWalk(form: WalkLogForm) = models.walk.logWalk(form)
    override fun askToDelete(row: WalkRowUi) = models.walk.askToDelete(row)
    override fun cancelDelete() = models.walk.cancelDelete()
    override fun deleteWalk(id: Long) = models.walk.deleteWalk(id)
    override fun dayOfWalk(day: LocalDate) = models.walk.dayOfWalk(day)
    override fun today(): LocalDate = models.walk.today()
}

/** The Exercises screen's actions on its model. */
fun exercisesActions(models: AppModels) = object : ExercisesActions {
    override fun startCalfRaises() = models.exercises.startCalfRaises()
    override fun startAnklePumps() = models.exercises.startAnklePumps()
    override fun countRep() = models.exercises.rep(null)
    override fun finishSet() = models.exercises.finishSet()
    override fun dismissSet() = models.exercises.dismissSet()
    override fun answer(id: String, yes: Boolean) = models.exercises.answer(id, yes)
    override fun startElevation() = models.exercises.startElevation()
    override fun stopElevation() = models.exercises.stopElevation()
}

/** The Devices screen's actions on its model. */
fun devicesActions(models: AppModels) = object : DevicesActions {
    override fun openAppPermissions() = models.devices.openAppPermissions()
    override fun scan() = models.devices.scan()
    override fun pair(id: String) = models.devices.pair(id)
    override fun sync(id: String) = models.devices.sync(id)
    override fun cancelSync() = models.devices.cancelSync()
    override fun showLive(id: String) = models.devices.showLive(id)
    override fun stopLive() = models.devices.stopLive()
    override fun askForget(id: String) = models.devices.askForget(id)
    override fun cancelForget() = models.devices.cancelForget()
    override fun forget(id: String) = models.devices.forget(id)
    override fun countSessionsFrom(serial: String?) = models.devices.countSessionsFrom(serial)
    override fun keepHistoryAndResync(serial: String) = models.devices.keepHistoryAndResync(serial)
}

/** The Flight screen's actions on its model. */
fun flightActions(models: AppModels) = object : FlightActions {
    override fun plan(form: FlightForm) = models.flight.plan(form)
    override fun start() = models.flight.start()
    override fun clear() = models.flight.clear()
    override fun askCancel() = models.flight.askCancel()
    override fun keepFlight() = models.flight.keepFlight()
    override fun cancelFlight() = models.flight.cancelFlight()
}

/** The Settings screen's actions on its model. */
fun settingsActions(models: AppModels) = object : SettingsActions {
    override fun saveProfile(form: ProfileForm) = models.settings.saveProfile(form)
    override fun saveReminders(form: ReminderForm) = models.settings.saveReminders(form)
    override fun setReminders(on: Boolean) = models.settings.setReminders(on)
    override fun openNotificationSettings() = models.settings.openNotificationSettings()
    override fun openReminderTimingSettings() = models.settings.openReminderTimingSettings()
    override fun answer(id: String, yes: Boolean) = models.settings.answer(id, yes)
    override fun saveAnkleBrachialIndex(text: String) = models.settings.saveAnkleBrachialIndex(text)
    override fun chooseExportFormat(id: String) = models.settings.chooseExportFormat(id)
    override fun export() = models.settings.export()
    override fun backup() = models.settings.backup()
    override fun restore() = models.settings.restore()
    override fun confirmRestore() = models.settings.confirmRestore()
    override fun keepCurrentData() = models.settings.keepCurrentData()
    override fun importSteps() = models.settings.importSteps()
    override fun askDeleteAll() = models.settings.askDeleteAll()
    override fun confirmDeleteAll() = models.settings.confirmDeleteAll()
    override fun cancelDeleteAll() = models.settings.cancelDeleteAll()
}

/** The Learn screen's actions on its model. */
fun learnActions(models: AppModels) = object : LearnActions {
    override fun set(input: LearnInput, value: Float) = models.learn.set(input, value)
    override fun chooseValves(id: String) = models.learn.chooseValves(id)
    override fun chooseBreak(id: String) = models.learn.chooseBreak(id)
}
