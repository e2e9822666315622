package app.secondheart.core

import java.nio.file.Path
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.second_heart.SecondHeart

class WalkRepositoryTest {
    @TempDir
    lateinit var dir: Path

    private lateinit var core: SecondHeart
    private val berlin = ZoneId.of("Europe/Berlin")
    private val clock = Clock.fixed(Instant.parse("2026-11-21T18:00:00Z"), berlin)
    private lateinit var walks: WalkRepository

    @BeforeEach
    fun open() {
        core = SecondHeart.open(dir.resolve("second-heart.db").toString(), AppClock(clock))
        walks = WalkRepository(core, Dispatchers.IO, clock)
    }

    @AfterEach
    fun close() = core.close()

    @Test
    fun `a walk logged from Kotlin comes back from Rust`() = runBlocking {
        val start = Instant.parse("2026-11-21T08:00:00Z")
        val outcome = walks.logWalk(start, berlin, Duration.ofMinutes(30), 3200)

        val logged = (outcome as LogWalkOutcome.Logged).walk
        assertEquals(start, logged.start)
        assertEquals("Europe/Berlin", logged.timeZone)
        assertEquals(1800u, logged.durationSeconds)
        assertEquals(3200u, logged.steps)

        val today = walks.today()
        assertEquals("2026-11-21", today.date)
        assertEquals(3200u, today.summary.steps)
        assertEquals(30u, today.summary.walkingMinutes)
        assertEquals(listOf(logged), walks.walksOn(LocalDate.of(2026, 11, 21)))
    }

    @Test
    fun `a walk that just ended is logged in the phone's zone`() = runBlocking {
        val outcome = walks.logFinishedWalk(Duration.ofMinutes(20), 2100)
        val logged = (outcome as LogWalkOutcome.Logged).walk
        assertEquals(Instant.parse("2026-11-21T17:40:00Z"), logged.start)
        assertEquals(2100u, walks.today().summary.steps)
    }

    @Test
    fun `walks are counted on the day they were lived in the user's zone`() = runBlocking {
        // 07:00 UTC is 23:00 the evening before in Los Angeles.
        val la = ZoneId.of("America/Los_Angeles")
        val laClock = Clock.fixed(Instant.parse("2026-11-21T18:00:00Z"), la)
        SecondHeart.open(dir.resolve("la.db").toString(), AppClock(laClock)).use { laCore ->
            val laWalks = WalkRepository(laCore, Dispatchers.IO, laClock)
            laWalks.logWalk(Instant.parse("2026-11-21T07:00:00Z"), berlin, Duration.ofMinutes(30), 3000)
            assertEquals("2026-11-21", laWalks.today().date)
            assertEquals(0u, laWalks.today().summary.steps)
            val before = laCore.history().days("2026-11-20", "2026-11-20").days.single()
            assertEquals(3000u, before.steps)
        }
    }

    @Test
    fun `walks logged from many coroutines at once are all kept`() = runBlocking {
        val start = Instant.parse("2026-11-21T09:00:00Z")
        (0 until 16).map { i ->
            async(Dispatchers.IO) {
                walks.logWalk(start.plusSeconds(600L * i), berlin, Duration.ofMinutes(5), 500)
            }
        }.awaitAll().forEach { assertTrue(it is LogWalkOutcome.Logged, "$it") }
        val today = walks.today()
        assertEquals(16, walks.walksOn(LocalDate.of(2026, 11, 21)).size)
        assertEquals(8000u, today.summary.steps)
    }
}
