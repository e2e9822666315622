package app.secondheart.core

import kotlin.coroutines.resume
import kotlinx.coroutines.suspendCancellableCoroutine
import uniffi.second_heart.BleLink
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.SyncListener
import uniffi.second_heart.SyncReport

/** How a sensor sync ended. */
sealed interface SensorSyncOutcome {
    /** Everything the sensor held is stored. */
    data class Done(val report: SyncReport) : SensorSyncOutcome

    /** The user cancelled; what was stored stays and the next sync resumes. */
    data object Cancelled : SensorSyncOutcome

    /** It could not finish; [error] says why (its `code()` for localised text). */
    data class Failed(val error: SecondHeartException) : SensorSyncOutcome {
        /** The English message, ready to show. */
        val reason: String get() = error.toString()
    }
}

/**
 * One sync of one sensor into [core], on the library's own runtime.
 * Cancelling the calling coroutine, or [cancel] from any thread (a
 * notification action, the UI), goes through the same task handle: the
 * sensor is told to stop, the link is dropped, and what was stored stays.
 */
class SensorSync(
    private val core: SecondHeart,
    /** Where the sensor was found (the platform's address or identifier). */
    private val address: String,
    private val link: BleLink,
    /** The paired sensor to sync; null pairs whatever sensor answers (a first sync). */
    private val serial: String? = null,
) {
    @Volatile
    private var task: uniffi.second_heart.TaskHandle? = null

    @Volatile
    private var cancelled = false

    /** Stops the sync. */
    fun cancel() {
        cancelled = true
        task?.cancel()
    }

    /** Runs the sync; [onProgress] hears (records done, records to fetch). */
    suspend fun run(onProgress: (done: Int, total: Int) -> Unit = { _, _ -> }): SensorSyncOutcome =
        suspendCancellableCoroutine { continuation ->
            val listener = object : SyncListener {
                override fun onProgress(recordsDone: UInt, recordsTotal: UInt) =
                    onProgress(recordsDone.toInt(), recordsTotal.toInt())

                override fun onFinished(report: SyncReport) {
                    continuation.resume(SensorSyncOutcome.Done(report))
                }

                override fun onFailed(error: SecondHeartException) {
                    val outcome = when (error) {
                        is SecondHeartException.SyncCancelled -> SensorSyncOutcome.Cancelled
                        else -> SensorSyncOutcome.Failed(error)
                    }
                    continuation.resume(outcome)
                }
            }
            val handle = try {
                if (serial == null) core.sensors().pair(link, address, listener) else core.sensors().sync(serial, link, listener)
            } catch (e: SecondHeartException) {
                // Not started: a live stream or another sync holds the sensor (`sensor_busy`).
                continuation.resume(SensorSyncOutcome.Failed(e))
                return@suspendCancellableCoroutine
            }
            task = handle
            if (cancelled) handle.cancel()
            continuation.invokeOnCancellation { handle.cancel() }
        }
}
