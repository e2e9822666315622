package app.secondheart.ui

import app.secondheart.core.AppClock
import app.secondheart.state.AppModels
import app.secondheart.state.Core
import app.secondheart.state.DemoRadio
import app.secondheart.state.FirstRun
import java.io.File
import java.nio.file.Files
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneId
import java.time.ZonedDateTime
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicReference
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import uniffi.second_heart.FlightDetails
import uniffi.second_heart.ProfileChanges
import uniffi.second_heart.RiskFactors
import uniffi.second_heart.Seat
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.SessionEvent
import uniffi.second_heart.SessionKind
import uniffi.second_heart.SetTargets
import uniffi.second_heart.SyncListener
import uniffi.second_heart.SyncReport

/** A clock the tests move forward, as the user lives through a day. */
class TestClock(@Volatile var instant: Instant, private val zone: ZoneId) : Clock() {
    override fun getZone(): ZoneId = zone
    override fun withZone(zone: ZoneId): Clock = TestClock(instant, zone)
    override fun instant(): Instant = instant

    /** Moves the clock on by [minutes]. */
    fun advance(minutes: Long) {
        instant = instant.plus(Duration.ofMinutes(minutes))
    }

    /** Moves the clock on by [millis]. */
    fun advanceMillis(millis: Long) {
        instant = instant.plusMillis(millis)
    }
}

/**
 * A fresh database and the app's models over it. [filled] lives a day
 * through the core's API: a profile, the week before imported from a
 * pedometer app's file, a logged morning walk, a calf-raise
 * set, three glasses of water, a live walk with steps, a synced demo sensor and a planned flight,
 * ending at [DemoApp.NOW]. Every screen reads the time from the app's clock,
 * which never looks at the wall clock, so the screenshots come out the same
 * whenever they are rendered.
 */
class DemoApp private constructor(val dir: File, val clock: TestClock, firstRun: FirstRun = FirstRun.Done) : AutoCloseable {
    val app: SecondHeart = SecondHeart.open(File(dir, "second-heart.db").path, AppClock(clock))

    /** The demo sock sensor, on the same clock: it records the same day every run. */
    val radio = DemoRadio("SH-DEMO-0001", 8.0, clock = AppClock(clock))

    /** The radio the screens use: the demo sensor, its next link held part-way when a test asks. */
    val screensRadio = HeldRadio(radio)
    val models = AppModels(
        Core(app, AppClock(clock)), screensRadio, File(dir, "exports"), CoroutineScope(SupervisorJob() + Dispatchers.Unconfined), Dispatchers.Unconfined,
        firstRun = firstRun,
    )

    override fun close() {
        models.close()
        app.close()
        dir.deleteRecursively()
    }

    /** Pairs the demo sensor (which fetches what it stored) and waits for the end. */
    fun syncDemoSensor(): SyncReport = pairDemo(radio, "SH-DEMO-0001")

    /** Pairs the demo sensor [serial] behind [sensorRadio] (which fetches what it stored) and waits for the end. */
    fun pairDemo(sensorRadio: DemoRadio, serial: String): SyncReport {
        val done = CountDownLatch(1)
        val finished = AtomicReference<SyncReport?>()
        val failure = AtomicReference<SecondHeartException?>()
        val handle = app.sensors().pair(sensorRadio.link(serial), serial, object : SyncListener {
            override fun onProgress(recordsDone: UInt, recordsTotal: UInt) {}

            override fun onFinished(report: SyncReport) {
                finished.set(report)
                done.countDown()
            }

            override fun onFailed(error: SecondHeartException) {
                failure.set(error)
                done.countDown()
            }
        })
        check(done.await(60, TimeUnit.SECONDS)) { "the demo sync did not end" }
        handle.close()
        return finished.get() ?: throw IllegalStateException("demo sync failed: ${failure.get()?.message}")
    }

    /** Waits until the screens' newest link streams live data: the sensor's time may move on from here. */
    fun awaitStreaming() = await("the demo sensor to stream live data") { screensRadio.streaming() }

    /**
     * Lets the demo sensor's wearer act for [seconds] of the app's clock, in
     * steps of [stepMillis]; after each step, waits until the screens have
     * taken every frame the sensor sent in it; stops early once [done]
     * holds. The sensor's frames do not depend on how its time is stepped,
     * and no step runs ahead of the screens, so what they show is the same
     * on any machine, however loaded.
     */
    fun live(seconds: Double, stepMillis: Long = 200, done: () -> Boolean = { false }) {
        var left = (seconds * 1000).toLong()
        while (left > 0 && !done()) {
            clock.advanceMillis(minOf(stepMillis, left))
            left -= stepMillis
            screensRadio.flush()
            await("the screens to take every frame") { screensRadio.caughtUp() }
        }
    }

    /** [live] in one step: [seconds] of the wearer's time at once. */
    fun liveFor(seconds: Double) = live(seconds, stepMillis = (seconds * 1000).toLong())

    private fun await(what: String, done: () -> Boolean) {
        val deadline = System.nanoTime() + 60_000_000_000
        while (!done()) {
            check(System.nanoTime() < deadline) { "waited 60 s for $what" }
            Thread.sleep(2)
        }
    }

    companion object {
        val ZONE: ZoneId = ZoneId.of("Europe/Berlin")

        /** The demo's present: Tuesday 1 December 2026, 15:30 in Berlin. */
        val NOW: Instant = ZonedDateTime.of(2026, 12, 1, 15, 30, 0, 0, ZONE).toInstant()

        /** An empty app at [at] ([NOW] unless told), set up already. */
        fun empty(at: Instant = NOW): DemoApp =
            DemoApp(Files.createTempDirectory("second-heart-ui").toFile(), TestClock(at, ZONE))

        /** A new install at [NOW]: not set up ([firstRun], which the app keeps, says so). */
        fun newInstall(firstRun: FirstRun): DemoApp =
            DemoApp(Files.createTempDirectory("second-heart-ui").toFile(), TestClock(NOW, ZONE), firstRun)

        /** A day lived through the API, ending at [NOW]. */
        fun filled(): DemoApp {
            val now = NOW
            val start = now.minus(Duration.ofMinutes(150))
            val demo = DemoApp(Files.createTempDirectory("second-heart-ui").toFile(), TestClock(start, ZONE))
            val app = demo.app
            app.profile().update(ProfileChanges(heightCm = 172.0, stepsGoal = 8000u))
            // A walk logged after the fact: 40 minutes this morning.
            app.sessions().logWalk(start.minus(Duration.ofMinutes(100)), null, 40 * 60, 4300)
            // A calf-raise set: 20 raises, most held a full second.
            app.sessions().startSet(SessionKind.CALF_RAISES, SetTargets())
            repeat(20) { i -> demo.clock.instant = demo.clock.instant.plusSeconds(3); app.sessions().record(SessionEvent.Rep(if (i % 6 == 5) 0.7 else 1.2)) }
            app.sessions().record(SessionEvent.Finish)
            // Three glasses of water after the set.
            repeat(3) { app.sessions().drink(250u) }
            // A live walk at lunch, steps arriving each minute.
            demo.clock.advance(20)
            app.sessions().startWalk()
            repeat(25) { demo.clock.advance(1); app.sessions().record(SessionEvent.Steps(112u)) }
            app.sessions().record(SessionEvent.Finish)
            // The week before, from the pedometer app the user had before: imported.
            val pedometer = File(demo.dir, "pedometer.csv")
            pedometer.writeText("date,steps\n" + listOf(6_480, 9_215, 4_102, 11_356, 7_940, 8_633).mapIndexed { i, steps ->
                "${now.atZone(ZONE).toLocalDate().minusDays(6L - i)},$steps"
            }.joinToString("\n"))
            app.data().importStepsFile(pedometer.path, "pedometer.csv")
            // Saturday's morning walk was logged here too: the file counts only the rest of that day.
            app.sessions().logWalk(now.atZone(ZONE).toLocalDate().minusDays(3).atTime(9, 0).atZone(ZONE).toInstant(), null, 45 * 60, 4_000)
            // A long flight next week, planned (not started).
            val departure = now.plus(Duration.ofDays(3)).atZone(ZONE).withHour(10).withMinute(0).toInstant()
            app.flights().plan(flight(departure))
            // Back to now, and the sock sensor synced.
            demo.clock.instant = now
            demo.syncDemoSensor()
            return demo
        }

        /** Frankfurt to Los Angeles, 11 h 20 min, window seat, on the pill. */
        fun flight(departure: Instant) = FlightDetails(
            departure = departure,
            departureZone = "Europe/Berlin",
            arrival = departure.plus(Duration.ofMinutes(680)),
            hours = null,
            arrivalZone = "America/Los_Angeles",
            seat = Seat.WINDOW,
            moveEveryMin = 60u,
            sleep = null,
            riskFactors = RiskFactors(false, false, false, false, false, true, false, false, false, false),
        )
    }
}
