package app.secondheart.state

import java.io.File
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import uniffi.second_heart.TodayListener
import uniffi.second_heart.TodaySubscription
import uniffi.second_heart.TodayView

/**
 * Every screen's model over one open core. Today follows the core's
 * observer (no polling); the other screens reload after a change.
 */
class AppModels(
    val core: Core,
    radio: SensorRadio,
    exportDir: File,
    private val scope: CoroutineScope,
    io: CoroutineDispatcher,
    formats: Formats = Formats(),
) : AutoCloseable {
    val today = TodayModel(core, formats, scope, io)
    val walk = WalkModel(core, formats, radio, scope, io)
    val exercises = ExercisesModel(core, formats, radio, scope, io)
    val flight = FlightModel(core, formats, scope, io)
    val devices = DevicesModel(core, formats, radio, scope, io)
    val history = HistoryModel(core, formats, scope, io)
    val settings = SettingsModel(core, formats, exportDir, scope, io, onDataChanged = ::reloadAll)

    /** Learn runs the pump model (seconds for hours of sitting): it loads when opened, not with the data screens. */
    val learn = LearnModel(core, formats, scope, io)

    private val subscription: TodaySubscription = core.app.observeToday(object : TodayListener {
        override fun todayChanged(today: TodayView) {
            this@AppModels.today.publish(today)
        }
    })

    /** Reads every screen's state once (first frame, screenshots). */
    suspend fun refreshAll() {
        listOf(today, walk, exercises, flight, devices, history, settings).forEach { it.refresh() }
    }

    /** Reloads every screen in the background. */
    fun reloadAll() {
        listOf(today, walk, exercises, flight, devices, history, settings).forEach { it.reload() }
    }

    /** The screens whose session clocks refresh once a second while shown. */
    private val clocks = listOf(walk, exercises)

    /**
     * The app went to the background (Android's onStop): Devices' live data
     * only shows, so it stops and lets the sensor and its radio go, as when
     * the user leaves the screen, and the session clocks stop refreshing. A
     * walk's or a set's counting stream runs on (its foreground service
     * keeps it).
     */
    fun background() {
        devices.stopLive()
        scope.launch { clocks.forEach { it.stopTicking() } }
    }

    /** The app is in sight again (Android's onStart): every screen reloads, and a running session's clock moves again. */
    fun foreground() = reloadAll()

    /** Stops observing Today and the clocks' refreshing, before the core closes. */
    override fun close() {
        subscription.cancel()
        runBlocking { clocks.forEach { it.stopTicking() } }
    }
}
