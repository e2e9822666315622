package app.secondheart.state

import app.secondheart.core.SensorLive
import app.secondheart.core.SensorLiveOutcome
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Job
import kotlinx.coroutines.launch
import uniffi.second_heart.CadenceReading
import uniffi.second_heart.LiveFrame
import uniffi.second_heart.LiveProgress
import uniffi.second_heart.LiveSessionCounter
import uniffi.second_heart.PairedSensor
import uniffi.second_heart.SecondHeartException

/** What a live stream tells its screen, on the library's threads. */
interface LiveUpdates {
    /**
     * A frame arrived; [progress] is the running session as the core counts
     * it (null without a session). Never called once [LiveFeed.stop] has
     * returned, so a late frame cannot draw over what the screen showed after.
     */
    fun frame(frame: LiveFrame, progress: LiveProgress?)

    /** The sensor's own cadence reading. */
    fun cadence(reading: CadenceReading) {}

    /**
     * The running session's counter could not save what it counted, for
     * [reason]; told once until a frame is counted again. What it counted is
     * saved with the next frame that can be. (A frame it refuses is dropped
     * without a word.)
     */
    fun notCounted(reason: String) {}

    /**
     * The stream ended by itself; [error] says why when it broke off (or
     * never started: [afterFrames] is false when no frame had arrived). Not
     * called once [LiveFeed.stop] has returned.
     */
    fun ended(error: String?, afterFrames: Boolean)
}

/**
 * A screen's live data from a paired sensor, through the core
 * ([SensorLive]) in [scope]: [start] opens the stream (with the running
 * session's counter, which records each rep, hold and step into that
 * session as it is counted), [stop] cancels it — the core then tells the
 * sensor to stop and drops the link.
 *
 * Frames arrive on the library's threads while the screen may be finishing
 * the session on another: each stream has its own number, a frame is passed
 * on under [delivery] only while its stream is the current one, and [stop]
 * changes the number under the same lock. So once [stop] returns, the frame
 * being drawn has been drawn and no later one is.
 */
class LiveFeed(
    private val core: Core,
    private val radio: SensorRadio,
    private val scope: CoroutineScope,
    /**
     * Told after [serial] changes but for a [stop]: a stream started, ended on its own, or was stopped by a
     * [start] that started none in its place. A [stop] is not told: the write that asked for it (a Finish) tells
     * Today's observers, and told here first it would report the session as still running without the sensor
     * (a notification restarted for a moment).
     */
    private val serialChanged: () -> Unit = {},
) {
    @Volatile
    private var job: Job? = null

    /** Held while a frame is passed on, and while [stop] retires the stream. */
    private val delivery = Any()

    /** The current stream's number; a frame or end from an older one is dropped. */
    private var current = 0L

    /** The current stream's session counter, when it counts the running session. */
    private var counter: LiveSessionCounter? = null

    /** The current stream, for [stop] to tell it to stop. */
    private var live: SensorLive? = null

    /**
     * The streams stopped and not yet ended, until they have let the sensor
     * go (under [delivery]): a stream started and stopped while the one
     * before still winds down leaves both to wait for.
     */
    private val stopping = mutableListOf<Job>()

    /** The serial of the sensor streaming, or null. */
    @Volatile
    var serial: String? = null
        private set

    /** The sensor a session counts from (the core's: the one the user chose, else the paired one synced last), or null. */
    fun sensor(): PairedSensor? = core.app.sensors().forSessions()

    /**
     * Streams from the paired sensor [sensorSerial], or from the one a
     * session counts from ([sensor]) when it is null, counting the running
     * session when [countSession]; false when that sensor is not paired. A
     * radio that is unavailable ends the stream at once ([LiveUpdates.ended]
     * with its reason).
     */
    fun start(countSession: Boolean, updates: LiveUpdates, sensorSerial: String? = null): Boolean {
        val streamed = serial != null
        stop()
        var readied = false
        val (paired, counter, live) = try {
            val paired = (if (sensorSerial == null) sensor() else core.app.sensors().paired().firstOrNull { it.serial == sensorSerial })
                ?: return false
            val link = try {
                radio.link(paired.address)
            } catch (e: RadioUnavailable) {
                updates.ended(e.message ?: "Bluetooth is unavailable", afterFrames = false)
                return true
            }
            val counter = if (countSession) core.app.sessions().liveCounter() else null
            Triple(paired, counter, SensorLive(core.app, paired.serial, link, counter = counter)).also { readied = true }
        } finally {
            // A stream stopped here with none started in its place (whatever ended the start): no write follows
            // to tell the platform.
            if (streamed && !readied) serialChanged()
        }
        serial = paired.serial
        val stream = synchronized(delivery) {
            this.counter = counter
            this.live = live
            ++current
        }
        serialChanged()
        var framesSeen = false
        var countFailing = false
        val onFrame = { frame: LiveFrame, progress: LiveProgress? ->
            synchronized(delivery) {
                framesSeen = true
                if (progress != null) countFailing = false
                if (current == stream) updates.frame(frame, progress)
            }
        }
        val onCadence = { reading: CadenceReading -> synchronized(delivery) { if (current == stream) updates.cadence(reading) } }
        val onNotCounted = { error: SecondHeartException ->
            // A frame the counter refused is dropped, its count with it: only
            // a count that could not be saved (and will be, with a later frame) is told.
            if (error !is SecondHeartException.InvalidInput) {
                synchronized(delivery) {
                    if (!countFailing && current == stream) updates.notCounted(userReason(error))
                    countFailing = true
                }
            }
        }
        // Made before it starts and kept under the lock, so a [stop] from
        // another thread always finds the job it must wait for: assigned
        // after a running start, a stop in between would find none, return
        // at once, and a Forget right after would be refused as busy.
        val running = scope.launch(start = CoroutineStart.LAZY) {
            val outcome = live.run(onFrame, onCadence, onNotCounted)
            val ended = synchronized(delivery) {
                (current == stream).also { if (it) { serial = null; job = null } }
            }
            if (ended) {
                serialChanged()
                updates.ended((outcome as? SensorLiveOutcome.Failed)?.error?.let(::userReason), synchronized(delivery) { framesSeen })
            }
        }
        // Stopped meanwhile (the stream was retired before it ran): it never starts.
        val kept = synchronized(delivery) { (current == stream).also { if (it) job = running } }
        if (kept) running.start() else running.cancel()
        return true
    }

    /**
     * Stops the stream, if one runs; no frame of it reaches the screen after
     * this returns. The core then tells the sensor to stop and drops the
     * link ([stopAndJoin] waits for that). Returns the stream's session
     * counter, if it counted the session: `finish()` on it finishes the
     * session with all it counted.
     */
    fun stop(): LiveSessionCounter? {
        val (running, counted) = synchronized(delivery) {
            current++
            serial = null
            val stream = live
            live = null
            stopping.removeAll { it.isCompleted }
            job?.let { stopping += it }
            job = null
            (stream to counter).also { counter = null }
        }
        running?.cancel()
        return counted
    }

    /**
     * As [stop], and returns once the stream has let the sensor go, so a
     * sync or forget of it right after is not refused as busy.
     */
    suspend fun stopAndJoin(): LiveSessionCounter? {
        val counted = stop()
        synchronized(delivery) { stopping.toList() }.forEach { it.join() }
        return counted
    }
}
