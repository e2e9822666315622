package app.secondheart.core

import uniffi.second_heart.BleLink
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.SensorSyncReport
import uniffi.second_heart.SyncCancellation
import uniffi.second_heart.SyncProgressListener

/** How a sensor sync ended. */
sealed interface SensorSyncOutcome {
    /** Everything the sensor held is stored. */
    data class Done(val report: SensorSyncReport) : SensorSyncOutcome

    /** The user cancelled; what was stored stays and the next sync resumes. */
    data object Cancelled : SensorSyncOutcome

    /** It could not finish; [reason] is ready to show. The next sync resumes. */
    data class Failed(val reason: String) : SensorSyncOutcome
}

/**
 * One sync of one sensor into [core]. [cancel] may be called from any
 * thread (a notification action, the UI); the sync stops cleanly.
 */
class SensorSync(private val core: SecondHeart, private val link: BleLink) {
    private val cancellation = SyncCancellation()

    @Volatile
    private var cancelled = false

    /** Stops the sync. */
    fun cancel() {
        cancelled = true
        cancellation.cancel()
    }

    /** Runs the sync; [onProgress] hears (records done, records to fetch). */
    suspend fun run(onProgress: (done: Int, total: Int) -> Unit = { _, _ -> }): SensorSyncOutcome {
        val listener = object : SyncProgressListener {
            override fun onProgress(recordsDone: UInt, recordsTotal: UInt) =
                onProgress(recordsDone.toInt(), recordsTotal.toInt())
        }
        return try {
            SensorSyncOutcome.Done(core.syncSensor(link, cancellation, listener))
        } catch (e: SecondHeartException.Sync) {
            if (cancelled) SensorSyncOutcome.Cancelled else SensorSyncOutcome.Failed(e.message.orEmpty())
        }
    }
}
