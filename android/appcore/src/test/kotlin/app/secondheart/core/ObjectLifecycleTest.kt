package app.secondheart.core

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.second_heart.FfiConverterTypeClock
import uniffi.second_heart.FfiConverterTypeTodayListener
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.TodayListener
import uniffi.second_heart.TodayView

/**
 * 10,000 handles, with every service and a Today subscription each,
 * created and closed: memory stays flat. A leak test, not a speed test.
 */
class ObjectLifecycleTest {
    @TempDir
    lateinit var dir: Path

    private fun rssKb(): Long =
        Files.readAllLines(Paths.get("/proc/self/status"))
            .single { it.startsWith("VmRSS:") }
            .split(Regex("\\s+"))[1]
            .toLong()

    /** Heap in use after garbage collection: the least of three readings, as the collector settles. */
    private fun heapBytes(): Long {
        val runtime = Runtime.getRuntime()
        return (1..3).minOf {
            System.gc()
            Thread.sleep(200)
            runtime.totalMemory() - runtime.freeMemory()
        }
    }

    private val quiet = object : TodayListener {
        override fun todayChanged(today: TodayView) = Unit
    }

    private fun cycle(path: String, clock: SettableClock, i: Int) {
        SecondHeart.open(path, clock).use { core ->
            core.profile().use { it.get() }
            core.today().use { if (i % 100 == 0) it.view() }
            core.sessions().close()
            core.flights().close()
            core.reminders().close()
            core.history().close()
            core.data().close()
            core.sensors().close()
            core.observeToday(quiet).use { }
        }
    }

    @Test
    fun `10,000 handles and their services created and closed leave memory flat`() {
        val path = dir.resolve("second-heart.db").toString()
        val clock = SettableClock(berlin("2026-11-21T12:00"))
        SecondHeart.open(path, clock).use { it.sessions().logWalk(berlin("2026-11-21T08:00"), null, 1800, 3200) }
        // Warm up first: the JIT, SQLite's and the allocator's first growth are not a leak.
        repeat(2_000) { cycle(path, clock, it) }
        val listenersBefore = FfiConverterTypeTodayListener.handleMap.size
        val clocksBefore = FfiConverterTypeClock.handleMap.size
        val heapBefore = heapBytes()
        val rssBefore = rssKb()
        repeat(5) { round ->
            repeat(2_000) { cycle(path, clock, it) }
            println("ObjectLifecycleTest round $round: heap ${heapBytes() / 1_000_000} MB, RSS ${rssKb() / 1000} MB")
        }
        val heapAfter = heapBytes()
        val rssAfter = rssKb()
        val heapGrowthMb = (heapAfter - heapBefore) / 1e6
        val rssGrowthMb = (rssAfter - rssBefore) / 1e3
        println("ObjectLifecycleTest: heap ${heapBefore / 1_000_000} -> ${heapAfter / 1_000_000} MB, RSS ${rssBefore / 1000} -> ${rssAfter / 1000} MB")
        assertTrue(heapGrowthMb < 32.0, "JVM heap grew by $heapGrowthMb MB")
        assertTrue(rssGrowthMb < 50.0, "process RSS grew by $rssGrowthMb MB")
        // The foreign objects handed to Rust (clock, listeners) are all released.
        // (Earlier tests' unclosed objects may be released meanwhile: no more, possibly fewer.)
        assertTrue(FfiConverterTypeTodayListener.handleMap.size <= listenersBefore)
        assertTrue(FfiConverterTypeClock.handleMap.size <= clocksBefore)
        SecondHeart.open(path, clock).use { assertEquals(3200u, it.today().view().summary.steps) }
    }
}
