package app.secondheart.core

import kotlin.coroutines.resume
import kotlinx.coroutines.suspendCancellableCoroutine
import uniffi.second_heart.BleLink
import uniffi.second_heart.CadenceReading
import uniffi.second_heart.LiveFrame
import uniffi.second_heart.LiveListener
import uniffi.second_heart.LiveProgress
import uniffi.second_heart.LiveSessionCounter
import uniffi.second_heart.LiveSettings
import uniffi.second_heart.LiveSummary
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.TaskHandle

/** How live data ended. */
sealed interface SensorLiveOutcome {
    /** Its time was up, or it was stopped after it had started. */
    data class Done(val summary: LiveSummary) : SensorLiveOutcome

    /** It could not start or broke off; [error] says why (its `code()` for localised text). */
    data class Failed(val error: SecondHeartException) : SensorLiveOutcome
}

/**
 * Live data from the paired sensor [serial] on the library's own runtime.
 * Cancelling the calling coroutine, or [cancel] from any thread, goes
 * through the task handle: the sensor is told to stop and the link is
 * dropped. With a [counter] (`sessions().liveCounter()`), the core counts
 * each frame into the running session and records what it counts; the
 * frame's progress comes with it.
 */
class SensorLive(
    private val core: SecondHeart,
    private val serial: String,
    private val link: BleLink,
    private val settings: LiveSettings = LiveSettings(rateHz = 25u, seconds = null),
    private val counter: LiveSessionCounter? = null,
) {
    @Volatile
    private var task: TaskHandle? = null

    @Volatile
    private var cancelled = false

    /** Stops the stream. */
    fun cancel() {
        cancelled = true
        task?.cancel()
    }

    /**
     * Streams until the time is up or it is cancelled; [onFrame], [onCadence]
     * and [onNotCounted] (the counter could not count or save a frame; the
     * frame still follows, without progress) run on the library's threads.
     */
    suspend fun run(
        onFrame: (LiveFrame, LiveProgress?) -> Unit = { _, _ -> },
        onCadence: (CadenceReading) -> Unit = {},
        onNotCounted: (SecondHeartException) -> Unit = {},
    ): SensorLiveOutcome =
        suspendCancellableCoroutine { continuation ->
            val listener = object : LiveListener {
                override fun onFrame(frame: LiveFrame, progress: LiveProgress?) = onFrame(frame, progress)

                override fun onNotCounted(error: SecondHeartException) = onNotCounted(error)

                override fun onCadence(reading: CadenceReading) = onCadence(reading)

                override fun onFinished(summary: LiveSummary) {
                    if (continuation.isActive) continuation.resume(SensorLiveOutcome.Done(summary))
                }

                override fun onFailed(error: SecondHeartException) {
                    if (continuation.isActive) continuation.resume(SensorLiveOutcome.Failed(error))
                }
            }
            val handle = try {
                core.sensors().live(serial, link, settings, counter, listener)
            } catch (e: SecondHeartException) {
                // Not started: the settings are out of range, or another
                // stream or a sync holds the sensor (`sensor_busy`).
                continuation.resume(SensorLiveOutcome.Failed(e))
                return@suspendCancellableCoroutine
            }
            task = handle
            if (cancelled) handle.cancel()
            continuation.invokeOnCancellation { handle.cancel() }
        }
}
