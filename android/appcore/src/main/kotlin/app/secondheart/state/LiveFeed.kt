package app.secondheart.state

import app.secondheart.core.SensorLive
import app.secondheart.core.SensorLiveOutcome
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.launch
import uniffi.second_heart.CadenceReading
import uniffi.second_heart.LiveFrame
import uniffi.second_heart.LiveProgress

/** What a live stream tells its screen, on the library's threads. */
interface LiveUpdates {
    /** A frame arrived; [progress] is the running session as the core counts it (null without a session). */
    fun frame(frame: LiveFrame, progress: LiveProgress?)

    /** The sensor's own cadence reading. */
    fun cadence(reading: CadenceReading) {}

    /** The stream ended by itself; [error] says why when it broke off. Not called after [LiveFeed.stop]. */
    fun ended(error: String?)
}

/**
 * A screen's live data from the first paired sensor, through the core
 * ([SensorLive]) in [scope]: [start] opens the stream (with the running
 * session's counter, which records each rep, hold and step into that
 * session as it is counted), [stop] cancels it — the core then tells the
 * sensor to stop and drops the link.
 */
class LiveFeed(private val core: Core, private val radio: SensorRadio, private val scope: CoroutineScope) {
    @Volatile
    private var job: Job? = null

    /** The serial of the sensor streaming, or null. */
    @Volatile
    var serial: String? = null
        private set

    /**
     * Streams from the paired sensor, counting the running session when
     * [countSession]; false when no sensor is paired.
     */
    fun start(countSession: Boolean, updates: LiveUpdates): Boolean {
        stop()
        val paired = core.app.sensors().paired().firstOrNull() ?: return false
        val counter = if (countSession) core.app.sessions().liveCounter() else null
        val live = SensorLive(core.app, paired.serial, radio.link(paired.address), counter = counter)
        serial = paired.serial
        job = scope.launch {
            val outcome = live.run(updates::frame, updates::cadence)
            serial = null
            job = null
            updates.ended((outcome as? SensorLiveOutcome.Failed)?.error?.let { it.message ?: it.toString() })
        }
        return true
    }

    /** Stops the stream, if one runs. */
    fun stop() {
        val running = job ?: return
        job = null
        serial = null
        running.cancel()
    }
}
