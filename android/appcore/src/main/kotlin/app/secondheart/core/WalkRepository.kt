package app.secondheart.core

import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.TodayView
import uniffi.second_heart.Walk

/** What became of a walk the user asked to log. */
sealed interface LogWalkOutcome {
    /** Stored; [walk] is what the database now holds. */
    data class Logged(val walk: Walk) : LogWalkOutcome

    /** Refused before anything was written; [reason] is ready to show under the form. */
    data class Rejected(val reason: String) : LogWalkOutcome
}

/**
 * The app's access to walks and today. Every call runs on [io], off the main
 * thread, because the Rust core does blocking SQLite work. [clock] must be
 * the one the core was opened with.
 */
class WalkRepository(
    private val core: SecondHeart,
    private val io: CoroutineDispatcher = Dispatchers.IO,
    private val clock: Clock = Clock.systemDefaultZone(),
) {
    private val sessions = core.sessions()

    /** Logs a walk that began at [start] in [zone]. */
    suspend fun logWalk(start: Instant, zone: ZoneId, duration: Duration, steps: Long): LogWalkOutcome =
        withContext(io) {
            try {
                LogWalkOutcome.Logged(sessions.logWalk(start, zone.ianaName(), duration.seconds, steps))
            } catch (e: SecondHeartException.InvalidInput) {
                LogWalkOutcome.Rejected(e.toString())
            }
        }

    /** Logs a walk that has just ended, in the phone's current zone. */
    suspend fun logFinishedWalk(duration: Duration, steps: Long): LogWalkOutcome =
        logWalk(clock.instant().minus(duration), clock.zone, duration, steps)

    /** Today as the Today screen draws it, in the user's zone. */
    suspend fun today(): TodayView = withContext(io) { core.today().view() }

    /** The walks that touched [date] in the user's zone, oldest first. */
    suspend fun walksOn(date: LocalDate): List<Walk> = withContext(io) { sessions.walksOn(date.toString()) }
}
