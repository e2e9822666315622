package app.secondheart.core

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.time.Duration
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.second_heart.DailySummary
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.SessionEvent
import uniffi.second_heart.SessionKind
import uniffi.second_heart.SetTargets

/**
 * One day lived through the Kotlin API and through the `second-heart` CLI
 * gives the same Today: both front ends call the same core use cases.
 *
 * The scenario, in Europe/Berlin on 2026-11-21: stockings (20 mmHg) on at
 * 07:30; a 30-minute walk of 3,200 steps from 08:00; a calf-raise set of 20
 * reps held 1 s, 09:00–09:02; 250 mL drinks at 10:00 and 14:00; stockings
 * off at 17:30; Today read at 18:00.
 */
class SameTodayAsCliTest {
    @TempDir
    lateinit var dir: Path

    /** The CLI binary, built next to the library the tests load. */
    private val cli: Path =
        Paths.get(System.getProperty("jna.library.path") ?: "../target/debug", "second-heart").toAbsolutePath()

    private fun repTimes(): List<String> = (1..20).map { i -> "2026-11-21T09:%02d:%02d".format(i * 6 / 60, i * 6 % 60) }

    private fun throughKotlin(): DailySummary {
        val clock = SettableClock(berlin("2026-11-21T07:30"))
        return SecondHeart.open(dir.resolve("kotlin.db").toString(), clock).use { core ->
            val sessions = core.sessions()
            sessions.compressionOn(20u)
            clock.setLocal("2026-11-21T08:30")
            sessions.logWalk(berlin("2026-11-21T08:00"), null, Duration.ofMinutes(30).seconds, 3200)
            clock.setLocal("2026-11-21T09:00")
            sessions.startSet(SessionKind.CALF_RAISES, SetTargets())
            repTimes().forEach {
                clock.setLocal(it)
                sessions.record(SessionEvent.Rep(1.0))
            }
            clock.setLocal("2026-11-21T09:02")
            sessions.record(SessionEvent.Finish)
            clock.setLocal("2026-11-21T10:00")
            sessions.drink(250u)
            clock.setLocal("2026-11-21T14:00")
            sessions.drink(250u)
            clock.setLocal("2026-11-21T17:30")
            sessions.compressionOff()
            clock.setLocal("2026-11-21T18:00")
            core.today().view().summary
        }
    }

    private fun run(vararg args: String): String {
        val command = listOf(cli.toString(), "--db", dir.resolve("cli.db").toString()) + args
        val process = ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start()
        val out = process.inputStream.bufferedReader().readText()
        val err = process.errorStream.bufferedReader().readText()
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "$command did not end")
        assertEquals(0, process.exitValue(), "$command failed: $err")
        return out
    }

    private fun throughCli(): Map<*, *> {
        val tz = arrayOf("--tz", "Europe/Berlin")
        run("wear", "on", "--mmhg", "20", "--at", "2026-11-21 07:30", *tz)
        run("walk", "log", "--start", "2026-11-21 08:00", "--minutes", "30", "--steps", "3200", *tz)
        run("set", "start", "--kind", "calf-raises", "--at", "2026-11-21 09:00", *tz)
        // RFC 3339 for the reps: the local form has minutes only.
        repTimes().forEach { run("set", "rep", "--hold-s", "1", "--at", "$it+01:00", *tz) }
        run("set", "finish", "--at", "2026-11-21 09:02", *tz)
        run("drink", "250", "--at", "2026-11-21 10:00", *tz)
        run("drink", "250", "--at", "2026-11-21 14:00", *tz)
        run("wear", "off", "--at", "2026-11-21 17:30", *tz)
        // Today read at the same moment as in Kotlin.
        return Json.parse(run("--json", "today", "--at", "2026-11-21 18:00", *tz)) as Map<*, *>
    }

    @Test
    fun `the CLI and Kotlin give the same Today for the same day`() {
        assertTrue(Files.isExecutable(cli), "build the CLI first (cargo build -p second-heart-cli): $cli")
        val kotlin = throughKotlin()
        val cli = throughCli()
        // `today --json` prints the Today view; the day's figures are its summary.
        val summary = cli["summary"] as Map<*, *>
        fun number(key: String) = (summary[key] as Double)

        // What the day holds, as the user lived it.
        assertEquals(3200u, kotlin.steps)
        assertEquals(30u, kotlin.activeMinutes)
        assertEquals(1u, kotlin.calfRaiseSets)
        assertEquals(500u, kotlin.hydrationMl)
        assertEquals(600u, kotlin.compressionMinutes)
        assertTrue(kotlin.pumpedLitres > 0.0)

        // The same numbers from the other front end.
        assertEquals("2026-11-21", cli["date"])
        assertEquals(kotlin.steps.toDouble(), number("steps"))
        assertEquals(kotlin.activeMinutes.toDouble(), number("active_minutes"))
        assertEquals(kotlin.calfRaiseSets.toDouble(), number("calf_raise_sets"))
        assertEquals(kotlin.hydrationMl.toDouble(), number("hydration_ml"))
        assertEquals(kotlin.compressionMinutes.toDouble(), number("compression_minutes"))
        assertEquals(kotlin.pumpedLitres, number("pumped_litres"), 0.01)
        assertEquals(kotlin.walkingMinutes.toDouble(), number("walking_minutes"))
    }
}
