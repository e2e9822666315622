package app.secondheart.health

import androidx.health.connect.client.HealthConnectClient
import androidx.health.connect.client.records.ExerciseSessionRecord
import androidx.health.connect.client.records.StepsRecord
import androidx.health.connect.client.records.metadata.Metadata
import java.time.Instant
import java.time.ZoneId
import uniffi.second_heart.SecondHeart

/**
 * Writes a day to Health Connect as docs/health-platforms.md maps it: one
 * StepsRecord per minute with steps (client record id "minute:<utc ms>",
 * so a re-sync replaces instead of doubling) and one walking
 * ExerciseSessionRecord per finished walk ("walk:<id>"). Only when the user
 * turned it on; nothing is read back.
 *
 * Android Studio only: connect-client is an AAR whose AndroidX graph the
 * Maven build here does not resolve (see docs/health-platforms.md).
 */
class HealthConnectWriter(private val client: HealthConnectClient, private val app: SecondHeart) {
    /** Writes [date] (`YYYY-MM-DD`, the user's zone) and returns how many records were written. */
    suspend fun writeDay(date: String, zone: ZoneId): Int {
        val steps = app.history().dayMinutes(date).filter { it.steps > 0u }.map { minute ->
            val offset = zone.rules.getOffset(minute.minute)
            StepsRecord(
                startTime = minute.minute,
                startZoneOffset = offset,
                endTime = minute.minute.plusSeconds(60),
                endZoneOffset = offset,
                count = minute.steps.toLong(),
                metadata = Metadata.manualEntry(clientRecordId = "minute:${minute.minute.toEpochMilli()}", clientRecordVersion = 1),
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
                metadata = Metadata.manualEntry(clientRecordId = "walk:${walk.id}", clientRecordVersion = 1),
            )
        }
        val records = steps + walks
        if (records.isNotEmpty()) client.insertRecords(records)
        return records.size
    }
}
