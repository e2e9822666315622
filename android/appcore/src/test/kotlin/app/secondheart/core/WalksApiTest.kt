package app.secondheart.core

import java.nio.file.Path
import java.time.Clock
import java.time.Instant
import java.time.ZoneId
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.SecondHeartException

/** Walks logged from Kotlin through the core's API: what comes back, on which day, from many threads, and overlaps. */
class WalksApiTest {
    @TempDir
    lateinit var dir: Path

    private lateinit var core: SecondHeart
    private val clock = Clock.fixed(Instant.parse("2026-11-21T18:00:00Z"), ZoneId.of("Europe/Berlin"))

    @BeforeEach
    fun open() {
        core = SecondHeart.open(dir.resolve("second-heart.db").toString(), AppClock(clock))
    }

    @AfterEach
    fun close() = core.close()

    @Test
    fun `a walk logged from Kotlin comes back from Rust`() {
        val start = Instant.parse("2026-11-21T08:00:00Z")
        val logged = core.sessions().logWalk(start, "Europe/Berlin", 1800, 3200)
        assertEquals(start, logged.start)
        assertEquals("Europe/Berlin", logged.timeZone)
        assertEquals(1800u, logged.durationSeconds)
        assertEquals(3200u, logged.steps)

        val today = core.today().view()
        assertEquals("2026-11-21", today.date)
        assertEquals(3200u, today.summary.steps)
        assertEquals(30u, today.summary.walkingMinutes)
        assertEquals(listOf(logged), core.sessions().walksOn("2026-11-21"))
    }

    @Test
    fun `a walk logged by hand is deleted with its steps, and a second delete is refused`() {
        val logged = core.sessions().logWalk(Instant.parse("2026-11-21T08:00:00Z"), null, 1800, 3200)
        assertEquals(true, logged.byHand)
        assertEquals(false, logged.recordedBySensor)
        assertEquals(logged, core.sessions().deleteWalk(logged.id))
        assertEquals(0u, core.today().view().summary.steps)
        assertEquals(emptyList<uniffi.second_heart.Walk>(), core.sessions().walksOn("2026-11-21"))
        assertThrows<SecondHeartException.Conflict> { core.sessions().deleteWalk(logged.id) }
    }

    @Test
    fun `walks are counted on the day they were lived in the user's zone`() {
        // 07:00 UTC is 23:00 the evening before in Los Angeles.
        val laClock = Clock.fixed(Instant.parse("2026-11-21T18:00:00Z"), ZoneId.of("America/Los_Angeles"))
        SecondHeart.open(dir.resolve("la.db").toString(), AppClock(laClock)).use { la ->
            la.sessions().logWalk(Instant.parse("2026-11-21T07:00:00Z"), "Europe/Berlin", 1800, 3000)
            assertEquals("2026-11-21", la.today().view().date)
            assertEquals(0u, la.today().view().summary.steps)
            assertEquals(3000u, la.history().days("2026-11-20", "2026-11-20").days.single().steps)
        }
    }

    @Test
    fun `walks logged from many threads at once are all kept`() = runBlocking {
        val start = Instant.parse("2026-11-21T09:00:00Z")
        (0 until 16).map { i ->
            async(Dispatchers.IO) { core.sessions().logWalk(start.plusSeconds(600L * i), "Europe/Berlin", 300, 500) }
        }.awaitAll()
        assertEquals(16, core.sessions().walksOn("2026-11-21").size)
        assertEquals(8000u, core.today().view().summary.steps)
    }

    @Test
    fun `the same walk logged twice from many threads is kept once`() = runBlocking {
        val start = Instant.parse("2026-11-21T09:00:00Z")
        val answers = (0 until 8).map {
            async(Dispatchers.IO) { runCatching { core.sessions().logWalk(start, "Europe/Berlin", 1800, 3000) } }
        }.awaitAll()
        assertEquals(1, answers.count { it.isSuccess })
        answers.mapNotNull { it.exceptionOrNull() }.forEach { assertEquals("conflict", (it as SecondHeartException).code()) }
        assertEquals(3000u, core.today().view().summary.steps)
        val refused = assertThrows<SecondHeartException.Conflict> { core.sessions().logWalk(start.plusSeconds(900), null, 1800, 3000) }
        assertEquals("a walk from 10:00 to 10:30 on Sat 21 Nov 2026 (Europe/Berlin) is logged already and overlaps this one; nothing was logged", refused.reason)
    }
}
