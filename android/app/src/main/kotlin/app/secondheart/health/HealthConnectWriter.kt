package app.secondheart.health

import androidx.health.connect.client.HealthConnectClient
import androidx.health.connect.client.records.ExerciseSegment
import androidx.health.connect.client.records.ExerciseSessionRecord
import androidx.health.connect.client.records.HydrationRecord
import androidx.health.connect.client.records.StepsRecord
import androidx.health.connect.client.records.metadata.Metadata
import androidx.health.connect.client.time.TimeRangeFilter
import androidx.health.connect.client.units.Volume
import java.time.Instant
import java.time.ZoneId
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.SessionKind

/**
 * Writes a day to Health Connect as docs/health-platforms.md maps it: one
 * StepsRecord per minute with steps (client record id "minute:<utc ms>",
 * so a re-sync replaces instead of doubling), one walking
 * ExerciseSessionRecord per finished walk ("walk:<start ms>": row ids come
 * again after delete-all or a restore), one calisthenics
 * ExerciseSessionRecord per finished calf-raise or ankle-pump set with its
 * repetitions as a segment ("set:<start ms>"), and one HydrationRecord per
 * drink ("drink:<utc ms>"). Each write's records carry its time in ms as
 * their client record version, above every version written before: Health
 * Connect replaces a record only by a greater version (a constant one had
 * kept the first count of a minute). Only when the user turned it on;
 * nothing is read back or deleted but by delete-all: a minute whose steps
 * fell to none (a walk logged by hand deleted, or yielding to the sensor's
 * minutes) and a walk deleted from the log stay in Health Connect.
 *
 * Android Studio only: connect-client is an AAR whose AndroidX graph the
 * Maven build here does not resolve (see docs/health-platforms.md).
 */
class HealthConnectWriter(private val client: HealthConnectClient, private val app: SecondHeart) {
    /** The version of the last write: its time in ms, above every one before. */
    private var lastVersion = 0L

    /** Writes [date] (`YYYY-MM-DD`, the user's zone) and returns how many records were written. */
    suspend fun writeDay(date: String, zone: ZoneId): Int {
        val version = synchronized(this) { maxOf(System.currentTimeMillis(), lastVersion + 1).also { lastVersion = it } }
        val day = app.history().dayMinutes(date)
        // Each minute's start: the runs of consecutive minutes (two on a date lived twice).
        val starts = day.runs.flatMap { run -> (0 until run.minutes.toLong()).map { run.start.plusSeconds(60L * it) } }
        val steps = day.minutes.zip(starts).filter { (minute, _) -> minute.steps > 0u }.map { (minute, start) ->
            val offset = zone.rules.getOffset(start)
            StepsRecord(
                startTime = start,
                startZoneOffset = offset,
                endTime = start.plusSeconds(60),
                endZoneOffset = offset,
                count = minute.steps.toLong(),
                metadata = Metadata.manualEntry(clientRecordId = "minute:${start.toEpochMilli()}", clientRecordVersion = version),
            )
        }
        val walks = app.sessions().walksOn(date).map { walk ->
            val end: Instant = walk.start.plusSeconds(walk.durationSeconds.toLong())
            val walkZone = ZoneId.of(walk.timeZone)
            ExerciseSessionRecord(
                startTime = walk.start,
                startZoneOffset = walkZone.rules.getOffset(walk.start),
                endTime = end,
                endZoneOffset = walkZone.rules.getOffset(end),
                exerciseType = ExerciseSessionRecord.EXERCISE_TYPE_WALKING,
                title = "Walk",
                metadata = Metadata.manualEntry(clientRecordId = "walk:${walk.start.toEpochMilli()}", clientRecordVersion = version),
            )
        }
        val sets = app.sessions().setsOn(date).map { set ->
            ExerciseSessionRecord(
                startTime = set.started,
                startZoneOffset = zone.rules.getOffset(set.started),
                endTime = set.ended,
                endZoneOffset = zone.rules.getOffset(set.ended),
                exerciseType = ExerciseSessionRecord.EXERCISE_TYPE_CALISTHENICS,
                title = if (set.kind == SessionKind.CALF_RAISES) "Calf raises" else "Ankle pumps",
                segments = listOf(
                    ExerciseSegment(
                        startTime = set.started,
                        endTime = set.ended,
                        segmentType = ExerciseSegment.EXERCISE_SEGMENT_TYPE_OTHER_WORKOUT,
                        repetitions = set.reps.toInt(),
                    ),
                ),
                metadata = Metadata.manualEntry(clientRecordId = "set:${set.started.toEpochMilli()}", clientRecordVersion = version),
            )
        }
        val drinks = app.sessions().drinksOn(date).map { drink ->
            val offset = zone.rules.getOffset(drink.at)
            HydrationRecord(
                startTime = drink.at,
                startZoneOffset = offset,
                endTime = drink.at.plusSeconds(1),
                endZoneOffset = offset,
                volume = Volume.milliliters(drink.ml.toDouble()),
                metadata = Metadata.manualEntry(clientRecordId = "drink:${drink.at.toEpochMilli()}", clientRecordVersion = version),
            )
        }
        val records = steps + walks + sets + drinks
        if (records.isNotEmpty()) client.insertRecords(records)
        return records.size
    }

    /**
     * Deletes every record this app wrote, of each type it writes, for
     * delete-all: Health Connect deletes only the calling app's records.
     */
    suspend fun deleteAll() {
        val always = TimeRangeFilter.after(Instant.EPOCH)
        for (type in listOf(StepsRecord::class, ExerciseSessionRecord::class, HydrationRecord::class)) {
            client.deleteRecords(type, always)
        }
    }
}
