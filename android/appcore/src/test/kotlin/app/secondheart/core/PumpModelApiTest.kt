package app.secondheart.core

import java.nio.file.Path
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import uniffi.second_heart.Legs
import uniffi.second_heart.ModelListener
import uniffi.second_heart.ModelRequest
import uniffi.second_heart.ModelResult
import uniffi.second_heart.ProfileChanges
import uniffi.second_heart.PumpModel
import uniffi.second_heart.PumpingPosture
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.Sex
import uniffi.second_heart.SitBreak
import uniffi.second_heart.SitBreaks
import uniffi.second_heart.TaskHandle
import uniffi.second_heart.Valves

/** The pump model the Learn screen draws: every protocol, its errors, long runs and their cancellation. */
class PumpModelApiTest {
    @TempDir
    lateinit var dir: Path

    private val average = Legs(heightCm = 175.0, sex = Sex.MALE, valves = Valves.COMPETENT)

    private fun model(legs: Legs = average, points: UInt = 200u) = PumpModel(legs, points)

    /**
     * A listener a test waits on. With [holdFirstProgress] the first progress report blocks the
     * run until the test lets it go, so a test can cancel at a known moment.
     */
    private class Outcome(private val holdFirstProgress: Boolean = false) : ModelListener {
        val result = CompletableFuture<Any>()
        val progress = CopyOnWriteArrayList<Double>()
        val reported = CountDownLatch(1)
        val release = CountDownLatch(1)

        override fun onProgress(fraction: Double) {
            progress += fraction
            reported.countDown()
            if (holdFirstProgress) release.await(30, TimeUnit.SECONDS)
        }

        override fun onFinished(result: ModelResult) {
            this.result.complete(result)
        }

        override fun onFailed(error: SecondHeartException) {
            result.complete(error)
        }

        fun await(): Any = result.get(120, TimeUnit.SECONDS)
    }

    @Test
    fun `the user's model has the profile's legs and the stockings worn`() {
        SecondHeart.open(dir.resolve("second-heart.db").toString(), SettableClock(berlin("2026-11-21T09:00"))).use { core ->
            core.profile().update(ProfileChanges(heightCm = 158.0, sex = Sex.FEMALE))
            core.pumpModel().use { assertEquals(Legs(158.0, Sex.FEMALE, null, Valves.COMPETENT, 1.0, 0.0), it.legs()) }
            core.sessions().compressionOn(20u)
            core.pumpModel().use { assertEquals(20.0, it.legs().compressionMmhg) }
        }
    }

    @Test
    fun `every protocol answers with its figures and a chart that fits the screen`() {
        model().use { m ->
            val standing = m.standing()
            assertTrue(standing.standingAvpMmhg > standing.sittingAvpMmhg && standing.sittingAvpMmhg > standing.supineAvpMmhg, "$standing")
            val walk = m.walk(4.5, 2.0)
            assertTrue(walk.avpDropMmhg > 20.0 && walk.pumpedMl > 0.0, "$walk")
            assertTrue(walk.series.size in 150..200, "${walk.series.size} points")
            assertTrue(walk.series.zipWithNext().all { (a, b) -> a.tS < b.tS }, "in time order")
            val lowest = walk.series.minOf { it.ankleVenousPressureMmhg }
            val highest = walk.series.maxOf { it.ankleVenousPressureMmhg }
            assertTrue(highest - lowest > 20.0, "the chart shows the walk's dip: $lowest..$highest")
            val tiptoe = m.tiptoe(10u, 30.0)
            assertTrue(tiptoe.refillTimeS > 0.0 && tiptoe.avpAfterMmhg < standing.standingAvpMmhg, "$tiptoe")
            val apg = m.apg()
            assertTrue(apg.efPct > 0.0 && apg.efPct < 100.0 && apg.vvMl > 0.0, "$apg")
            val pumps = m.anklePumps(30.0, 2.0, PumpingPosture.SITTING)
            assertTrue(pumps.poplitealVelocityExerciseCmS > pumps.poplitealVelocityRestCmS, "$pumps")
            assertTrue(pumps.refillTimeS > 0.0, "seated pumps lower the ankle's pressure, and it refills: $pumps")
            val raise = m.passiveLegRaise(45.0, 3.0)
            assertTrue(raise.volumeShiftMl > 0.0 && raise.strokeVolumeChangePeakPct > 0.0, "$raise")
            val still = m.sit(2.0, null)
            val breaks = m.sit(2.0, SitBreaks(30u, SitBreak.WALK))
            assertTrue(breaks.pumpedMl > still.pumpedMl, "breaks pump blood: $breaks vs $still")
            assertTrue(breaks.legVolumeChangeMl < still.legVolumeChangeMl, "and swell the leg less")
            val scenario = m.runScenario(
                """{"timeline": [{"posture": "sitting", "seconds": 600},
                   {"posture": "standing", "seconds": 120, "activity": {"kind": "walk", "speed_kmh": 4.5}}]}""",
            )
            assertTrue(scenario.steps > 150uL && scenario.pumpedMl > 0.0 && scenario.series.isNotEmpty(), "$scenario")
        }
    }

    @Test
    fun `leaking valves keep the walking pressure up, as badly as they leak, and a model without a chart draws none`() {
        fun walking(legs: Legs) = model(legs, 0u).use { it.walk(4.5, 2.0) }
        val healthy = walking(average)
        val mild = walking(average.copy(valves = Valves.SUPERFICIAL_REFLUX, refluxSeverity = 0.3))
        val severe = walking(average.copy(valves = Valves.SUPERFICIAL_REFLUX, refluxSeverity = 1.0))
        assertTrue(healthy.walkingAvpMmhg < mild.walkingAvpMmhg && mild.walkingAvpMmhg < severe.walkingAvpMmhg, "$healthy $mild $severe")
        assertTrue(healthy.series.isEmpty())
    }

    @Test
    fun `hostile inputs are InvalidInput naming the field`() {
        fun field(block: () -> Unit) = assertThrows<SecondHeartException.InvalidInput>(block).also { assertEquals("invalid_input", it.code()) }.field
        assertEquals("height", field { model(average.copy(heightCm = Double.NaN)) })
        assertEquals("compression", field { model(average.copy(compressionMmhg = -5.0)) })
        assertEquals("reflux severity", field { model(average.copy(refluxSeverity = 2.0)) })
        assertEquals("chart points", field { model(points = 1u) })
        model().use { m ->
            assertEquals("walk", field { m.walk(Double.NaN, 5.0) })
            assertEquals("tiptoe", field { m.tiptoe(0u, 30.0) })
            assertEquals("ankle pumps", field { m.anklePumps(1e9, 2.0, PumpingPosture.SUPINE) })
            assertEquals("passive leg raise", field { m.passiveLegRaise(-45.0, 3.0) })
            assertEquals("sit", field { m.sit(Double.POSITIVE_INFINITY, null) })
            assertEquals("break", field { m.sit(2.0, SitBreaks(0u, SitBreak.CALF_RAISES)) })
            assertEquals("scenario", field { m.runScenario("{") })
            assertEquals("scenario", field { m.runScenario("""{"timeline": []}""") })
        }
    }

    @Test
    fun `a started run reports its progress and its result`() {
        model(points = 0u).use { m ->
            val outcome = Outcome()
            m.start(ModelRequest.Sit(2.0, null), outcome).use {
                val result = outcome.await()
                assertTrue(result is ModelResult.Sit, "$result")
                assertEquals(m.sit(2.0, null), (result as ModelResult.Sit).run)
            }
            assertTrue(outcome.progress.size >= 50, "${outcome.progress}")
            assertTrue(outcome.progress.zipWithNext().all { (a, b) -> a < b }, "progress only rises")

            val refused = Outcome()
            m.start(ModelRequest.Walk(40.0, 5.0), refused).use {
                val error = refused.await()
                assertTrue(error is SecondHeartException.InvalidInput, "$error")
            }
        }
    }

    /** Starts a day-long run, waits for its first progress, stops it with [stop] and returns what the listener heard. */
    private fun stopped(stop: (TaskHandle) -> Unit): Pair<Any, List<Double>> = model(points = 0u).use { m ->
        val outcome = Outcome(holdFirstProgress = true)
        val handle = m.start(ModelRequest.Sit(24.0, SitBreaks(60u, SitBreak.CALF_RAISES)), outcome)
        assertTrue(outcome.reported.await(60, TimeUnit.SECONDS), "the run reports progress")
        stop(handle)
        outcome.release.countDown()
        val result = outcome.await()
        handle.close()
        result to outcome.progress.toList()
    }

    @Test
    fun `a cancelled model run ends with Cancelled straight away`() {
        val (result, progress) = stopped { it.cancel() }
        assertTrue(result is SecondHeartException.Cancelled, "$result")
        assertEquals("cancelled", (result as SecondHeartException).code())
        assertEquals(listOf(0.01), progress.map { Math.floor(it * 100) / 100 }, "no work after the cancel: $progress")
    }

    @Test
    fun `closing the handle cancels the run too`() {
        val (result, _) = stopped { it.close() }
        assertTrue(result is SecondHeartException.Cancelled, "$result")
    }

    @Test
    fun `a run computed from a coroutine gives what the direct call gives, and cancelled, it returns once the core has stopped the run`() = runBlocking {
        val direct = model().use { it.walk(4.5, 2.0) }
        val computed = model().use { it.compute(ModelRequest.Walk(4.5, 2.0)) }
        assertEquals(direct, (computed as ModelResult.Walk).run)

        model().use { model ->
            // The run is held at its first progress report while the coroutine is cancelled.
            val progress = CopyOnWriteArrayList<Double>()
            val reported = CountDownLatch(1)
            val release = CountDownLatch(1)
            val long = async(Dispatchers.IO) {
                model.compute(ModelRequest.Sit(24.0, null)) { fraction ->
                    progress += fraction
                    reported.countDown()
                    if (progress.size == 1) release.await(30, TimeUnit.SECONDS)
                }
            }
            assertTrue(reported.await(60, TimeUnit.SECONDS), "the run reports progress")
            long.cancel()
            release.countDown()
            assertThrows<CancellationException> { runBlocking { long.await() } }
            // Returned once the core had stopped: no work after it returned, and the day-long run
            // stopped early. (The coroutine cancels the core's task on its own thread, so the run may
            // report once more between the release and that cancel.)
            val seen = progress.size
            Thread.sleep(300)
            assertEquals(seen, progress.size, "no progress after compute returned: $progress")
            assertTrue(progress.last() < 0.1, "stopped early: $progress")
            val sat = model.compute(ModelRequest.Sit(1.0, null)) as ModelResult.Sit
            assertTrue(sat.run.legVolumeChangeMl > 0.0, "${sat.run}")
        }
        val refused = assertThrows<SecondHeartException.InvalidInput> { runBlocking { model().use { it.compute(ModelRequest.Walk(Double.NaN, 2.0)) } } }
        assertEquals("walk", refused.field, "a run refused is the error the direct call gives")
    }
}
