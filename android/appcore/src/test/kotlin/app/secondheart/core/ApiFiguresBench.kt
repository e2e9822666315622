package app.secondheart.core

import java.time.Clock
import java.time.Instant
import java.time.LocalDate
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.condition.EnabledIfSystemProperty
import uniffi.second_heart.SecondHeart

/**
 * The two speed figures of the app API as Kotlin sees them (through JNA and
 * the generated bindings): a day's minute series (1,440 points) and Today,
 * both on a year of sensor data. A measurement that prints, not a test: its
 * name keeps it out of Surefire's default run, and it only runs when handed
 * the year-long database the core's `companion` benchmark writes
 * (`-Dbench.db=...`; the commands are in docs/api.md, "Speed").
 */
@EnabledIfSystemProperty(named = "bench.db", matches = ".+")
class ApiFiguresBench {
    @Test
    fun `prints the minute-series and Today figures on a year of data`() {
        val path = System.getProperty("bench.db")
        // The benchmark's "now": two hours before the end of its year of minutes.
        val at = Instant.parse(System.getProperty("bench.now", "2026-11-21T22:00:00Z"))
        SecondHeart.open(path, AppClock(Clock.fixed(at, BERLIN))).use { core ->
            val yesterday = LocalDate.parse(core.today().view().date).minusDays(1).toString()
            val points = core.history().dayMinutes(yesterday).minutes.size
            println("ApiFiguresBench on $path at $at (${System.getProperty("jna.library.path")})")
            figure("a day's minute series ($points points)") { core.history().dayMinutes(yesterday) }
            figure("Today view, a year of minute data") { core.today().view() }
        }
    }

    /** Warms [call] up, then times rounds of it and prints the median and best round, per call. */
    private fun figure(name: String, call: () -> Any) {
        repeat(WARM_UP) { call() }
        val perCallMs =
            List(ROUNDS) {
                val started = System.nanoTime()
                repeat(PER_ROUND) { call() }
                (System.nanoTime() - started) / 1e6 / PER_ROUND
            }.sorted()
        println("  %-40s median %.3f ms, best %.3f ms (%d rounds of %d calls)".format(name, perCallMs[ROUNDS / 2], perCallMs.first(), ROUNDS, PER_ROUND))
    }

    private companion object {
        const val WARM_UP = 300
        const val ROUNDS = 15
        const val PER_ROUND = 100
    }
}
