package app.secondheart.core

import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId
import java.time.ZoneOffset
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import uniffi.second_heart.DaySummary
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.Walk

/** What became of a walk the user asked to log. */
sealed interface LogWalkOutcome {
    /** Stored; [walk] is what the database now holds. */
    data class Logged(val walk: Walk) : LogWalkOutcome

    /** Refused before anything was written; [reason] is ready to show under the form. */
    data class Rejected(val reason: String) : LogWalkOutcome
}

/**
 * The app's access to walks. Every call runs on [io], off the main thread,
 * because the Rust core does blocking SQLite work.
 */
class WalkRepository(
    private val core: SecondHeart,
    private val io: CoroutineDispatcher = Dispatchers.IO,
    private val clock: Clock = Clock.systemDefaultZone(),
) {
    /** Logs a walk that began at [start] in [zone]. */
    suspend fun logWalk(start: Instant, zone: ZoneId, duration: Duration, steps: Long): LogWalkOutcome =
        withContext(io) {
            try {
                LogWalkOutcome.Logged(core.logWalk(start, zone.ianaName(), duration.seconds, steps, clock.instant()))
            } catch (e: SecondHeartException.InvalidInput) {
                LogWalkOutcome.Rejected(e.message.orEmpty())
            } catch (e: SecondHeartException.UnknownTimeZone) {
                LogWalkOutcome.Rejected(e.message.orEmpty())
            }
        }

    /** Logs a walk that has just ended, in the phone's current zone. */
    suspend fun logFinishedWalk(duration: Duration, steps: Long): LogWalkOutcome =
        logWalk(clock.instant().minus(duration), clock.zone, duration, steps)

    /** Today's totals in [zone] (by default the phone's current zone). */
    suspend fun today(zone: ZoneId = clock.zone): DaySummary = day(LocalDate.now(clock.withZone(zone)), zone)

    /** The totals of [date] as lived in [zone]. */
    suspend fun day(date: LocalDate, zone: ZoneId): DaySummary =
        withContext(io) { core.daySummary(date.toString(), zone.ianaName()) }

    /** The walks that touched [date] in [zone], oldest first. */
    suspend fun walksOn(date: LocalDate, zone: ZoneId): List<Walk> =
        withContext(io) { core.walksOn(date.toString(), zone.ianaName()) }
}

/** The IANA name the core expects; java.time writes UTC as "Z". */
internal fun ZoneId.ianaName(): String =
    when (val zone = normalized()) {
        ZoneOffset.UTC -> "UTC"
        else -> zone.id
    }
