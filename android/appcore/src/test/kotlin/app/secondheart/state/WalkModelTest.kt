package app.secondheart.state

import app.secondheart.core.AppClock
import java.time.Clock
import java.time.Instant
import java.time.LocalDate
import java.time.ZoneId
import java.util.Locale
import java.util.concurrent.CopyOnWriteArrayList
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import uniffi.second_heart.BleLink
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.Walk

/** Walk: a walk done without the app (the phone left at home), logged by hand. */
class WalkModelTest : AppTest() {
    /** Thursday 3 December 2026, 18:00 in Berlin. */
    private val clock = Clock.fixed(Instant.parse("2026-12-03T17:00:00Z"), ZoneId.of("Europe/Berlin"))

    /** The clock's day in Berlin. */
    private val today = LocalDate.of(2026, 12, 3)

    private lateinit var model: WalkModel

    /** No sensor paired and no radio: the phone counts. */
    private val noRadio = object : SensorRadio {
        override suspend fun scan(onFound: (FoundSensor) -> Unit) = throw RadioUnavailable("no radio in this test")
        override fun link(id: String): BleLink = throw RadioUnavailable("no radio in this test")
    }

    @BeforeEach
    fun openAtSixInTheEvening() = openAt(clock)

    /** The core and the screen running by [at], as in the app. */
    private fun openAt(at: Clock) {
        app.close()
        app = SecondHeart.open(dir.resolve("walks.db").toString(), AppClock(at))
        model = WalkModel(Core(app, AppClock(at)), Formats(Locale.UK), noRadio, scope, Dispatchers.IO)
    }

    /** Waits until the screen shows what [done] accepts ([what], said if it never does). */
    private fun awaitState(what: String, done: (WalkUi) -> Boolean): WalkUi = runBlocking {
        try {
            withTimeout(10_000) { model.state.first(done) }
        } catch (e: kotlinx.coroutines.TimeoutCancellationException) {
            throw AssertionError("never $what: ${model.state.value}", e)
        }
    }

    @Test
    fun `the form opens as a half-hour walk that just ended, and logs what the user typed`() {
        model.openLogForm()
        assertEquals(WalkLogForm(day = today, start = "17:30", minutes = "30", steps = ""), model.state.value.logForm)

        model.logWalk(WalkLogForm(day = today, start = "7:15", minutes = "45", steps = "4,800"))
        val logged = awaitState("logged") { it.message?.startsWith("Walk logged") == true }
        assertEquals("Walk logged: 45 min from 07:15, 4,800 steps", logged.message)
        assertNull(logged.logForm, "the form closes")
        val stored = app.sessions().walksOn("2026-12-03").single()
        assertEquals(listOf(WalkRowUi("07:15 · 45 min", "4,800 steps · 107 steps/min", stored.id)), logged.recent)
        assertEquals(Instant.parse("2026-12-03T06:15:00Z"), stored.start, "07:15 in Berlin")
        assertEquals("Europe/Berlin", stored.timeZone)
    }

    @Test
    fun `a walk logged by hand that the sensor recorded too says the day counts the sensor's steps`() {
        val walk = Walk(
            id = 1, start = Instant.parse("2026-12-03T06:15:00Z"), timeZone = "Europe/Berlin",
            durationSeconds = 2_700u, steps = 4_800u, cadenceStepsPerMin = 106.7,
            byHand = true, recordedBySensor = true,
        )
        assertEquals(
            WalkRowUi("07:15 · 45 min", "4,800 steps logged · the day counts your sensor's instead", 1),
            model.row(walk),
        )
        assertEquals(
            WalkRowUi("07:15 · 45 min", "4,800 steps · 107 steps/min", null),
            model.row(walk.copy(recordedBySensor = false, byHand = false)),
            "a walk the app followed is not deleted",
        )
        // Walks of the days before are named by their day.
        val back = { days: Long -> walk.copy(start = walk.start.minus(java.time.Duration.ofDays(days))) }
        assertEquals("Yesterday · 07:15 · 45 min", model.row(back(1)).title)
        assertEquals("Mon 30 Nov · 07:15 · 45 min", model.row(back(3)).title)
    }

    @Test
    fun `a walk logged by mistake is deleted once the user confirms, with its steps`() {
        model.logWalk(WalkLogForm(day = today, start = "7:15", minutes = "45", steps = "4,800"))
        val logged = awaitState("logged") { it.message?.startsWith("Walk logged") == true }.recent.single()
        assertEquals(app.sessions().walksOn("2026-12-03").single().id, logged.deletableId)

        model.askToDelete(logged)
        assertEquals(logged, model.state.value.confirmingDelete)
        model.cancelDelete()
        assertNull(model.state.value.confirmingDelete)
        assertEquals(1, app.sessions().walksOn("2026-12-03").size, "kept")

        model.deleteWalk(logged.deletableId!!)
        assertEquals(1, app.sessions().walksOn("2026-12-03").size, "not asked: nothing deleted")

        model.askToDelete(logged)
        model.deleteWalk(logged.deletableId!!)
        model.deleteWalk(logged.deletableId!!)
        val deleted = awaitState("deleted") { it.message?.startsWith("Walk deleted") == true }
        assertEquals("Walk deleted: 45 min from 07:15, 4,800 steps", deleted.message)
        assertEquals(emptyList<WalkRowUi>(), deleted.recent)
        assertNull(deleted.confirmingDelete, "the question closes")
        assertEquals(0u, app.today().view().summary.steps)
        // The second tap found the question gone: it said nothing over the first's answer.
        runBlocking { model.refresh() }
        assertEquals("Walk deleted: 45 min from 07:15, 4,800 steps", model.state.value.message)
    }

    @Test
    fun `a walk logged on the wrong day is listed with its day, to be deleted`() {
        model.logWalk(WalkLogForm(day = today.minusDays(2), start = "7:15", minutes = "45", steps = "4,800"))
        val listed = awaitState("logged") { it.message?.startsWith("Walk logged") == true }.recent.single()
        assertEquals("Tue 1 Dec · 07:15 · 45 min", listed.title)
        assertEquals(app.sessions().walksOn(today.minusDays(2).toString()).single().id, listed.deletableId)
    }

    @Test
    fun `the question about deleting a walk goes with the walk`() {
        model.logWalk(WalkLogForm(day = today, start = "7:15", minutes = "45", steps = "4,800"))
        val logged = awaitState("logged") { it.message?.startsWith("Walk logged") == true }.recent.single()
        model.askToDelete(logged)
        // Deleted elsewhere (another screen, the CLI) while the question was open.
        app.sessions().deleteWalk(logged.deletableId!!)
        runBlocking { model.refresh() }
        assertNull(model.state.value.confirmingDelete)
    }

    @Test
    fun `what the screen said yesterday is not said again the next morning`() {
        val moving = MovingClock(clock)
        openAt(moving)
        model.logWalk(WalkLogForm(day = today, start = "7:15", minutes = "45", steps = "4800"))
        awaitState("logged") { it.message?.startsWith("Walk logged") == true }
        moving.now = moving.now.plus(java.time.Duration.ofHours(15))
        model.reload()
        awaitState("the message gone the next morning") { it.message == null }
    }

    @Test
    fun `start on a screen still saying Ready while a walk runs shows the walk`() {
        // Started, but the screen never showed it (an error after the start, or another front end).
        app.sessions().startWalk()
        model.start()
        awaitState("the walk shown") { it.phase == WalkPhase.Walking }
    }

    @Test
    fun `a walk yesterday counts on yesterday`() {
        model.openLogForm()
        model.logWalk(WalkLogForm(day = today.minusDays(1), start = "18:00", minutes = "20", steps = "2000"))
        assertEquals("Walk logged: 20 min from 18:00 yesterday, 2,000 steps", awaitState("logged") { it.message != null }.message)
        assertEquals(listOf(2000u), app.sessions().walksOn("2026-12-02").map { it.steps })
        assertEquals(
            listOf("Yesterday · 18:00 · 20 min"),
            model.state.value.recent.map { it.title },
            "the recent walks name its day",
        )
    }

    @Test
    fun `a walk days back counts on its day, which the form names as the user steps back to it`() {
        assertEquals(listOf("Today · Thu 3 Dec", "Yesterday · Wed 2 Dec", "Mon 30 Nov"), listOf(0L, 1L, 3L).map { model.dayOfWalk(today.minusDays(it)) })
        assertEquals("Wed 3 Dec 2025", model.dayOfWalk(today.minusYears(1)), "another year's day says its year")
        model.openLogForm()
        model.logWalk(WalkLogForm(day = today.minusDays(3), start = "10:00", minutes = "30", steps = "3000"))
        assertEquals("Walk logged: 30 min from 10:00 on Mon 30 Nov, 3,000 steps", awaitState("logged") { it.message != null }.message)
        assertEquals(listOf(3000u), app.sessions().walksOn("2026-11-30").map { it.steps })
    }

    @Test
    fun `what does not read, or what the core refuses, is said and the form keeps what was typed`() {
        model.openLogForm()
        val unreadable = WalkLogForm(day = today, start = "half past seven", minutes = "45", steps = "4800")
        model.logWalk(unreadable)
        val said = awaitState("refused") { it.message != null }
        assertEquals("Enter when the walk started as hours and minutes (08:30), and its minutes and steps as whole numbers.", said.message)
        assertEquals(unreadable, said.logForm)

        // Ends at 18:30, half an hour from now.
        val future = WalkLogForm(day = today, start = "17:45", minutes = "45", steps = "4800")
        model.logWalk(future)
        val refused = awaitState("the core refused") { it.message?.startsWith("Invalid") == true }
        assertTrue(refused.message!!.contains("in the future"), refused.message)
        assertEquals(future, refused.logForm)

        val tooFast = WalkLogForm(day = today, start = "08:00", minutes = "10", steps = "9000")
        model.logWalk(tooFast)
        val cadence = awaitState("the core refused the cadence") { it.message?.contains("steps a minute") == true }
        assertEquals(tooFast, cadence.logForm)
        assertEquals(emptyList<Any>(), app.sessions().walksOn("2026-12-03"), "nothing was stored")

        model.closeLogForm()
        assertNull(model.state.value.logForm)
        assertNull(model.state.value.message)
    }

    @Test
    fun `a walk from a trip logged back home is read by the trip's clock`() {
        // In Tokyo on Tuesday 1 December, the app used at 07:00 and at noon there (it noted the zone, then saw it
        // still in force), back in Berlin since.
        for (at in listOf("2026-11-30T22:00:00Z", "2026-12-01T03:00:00Z")) {
            openAt(Clock.fixed(Instant.parse(at), ZoneId.of("Asia/Tokyo")))
            app.sessions().walksOn("2026-12-01")
        }
        openAt(clock)
        model.logWalk(WalkLogForm(day = today.minusDays(2), start = "08:00", minutes = "30", steps = "3000"))
        assertEquals("Walk logged: 30 min from 08:00 on Tue 1 Dec, 3,000 steps", awaitState("logged") { it.message != null }.message)
        val stored = app.sessions().walksOn("2026-12-01").single()
        assertEquals(Instant.parse("2026-11-30T23:00:00Z"), stored.start, "08:00 in Tokyo, not in Berlin")
        assertEquals("Asia/Tokyo", stored.timeZone)
    }

    @Test
    fun `a time the clocks skipped is refused, and the form keeps it`() {
        // 02:30 on the Sunday the clocks went forward did not happen in Berlin.
        val skipped = WalkLogForm(day = LocalDate.of(2026, 3, 29), start = "02:30", minutes = "20", steps = "2000")
        model.logWalk(skipped)
        val refused = awaitState("the core refused") { it.message?.contains("did not happen") == true }
        assertTrue(refused.message!!.contains("Europe/Berlin"), refused.message)
        assertEquals(skipped, refused.logForm, "the form keeps what was typed")
        assertEquals(emptyList<Any>(), app.sessions().walksOn("2026-03-29"), "nothing was stored")
    }

    @Test
    fun `starting a walk closes the form`() {
        model.openLogForm()
        model.start()
        val walking = awaitState("walking") { it.phase == WalkPhase.Walking }
        assertNull(walking.logForm)
        model.finish()
        val saved = awaitState("saved") { it.phase == WalkPhase.Ready && it.message?.startsWith("Walk saved") == true }
        assertNull(saved.logForm)
    }

    @Test
    fun `steps the phone reports once the walk is paused, and second taps on Start, Pause, Resume and Finish, say nothing wrong`() {
        val messages = CopyOnWriteArrayList<String>()
        val watching = scope.launch(Dispatchers.Unconfined) { model.state.collect { it.message?.let(messages::add) } }
        model.start()
        model.start()
        model.steps(100)
        model.pause()
        model.pause()
        // The phone's counter stops a moment after the tap: these came late.
        model.steps(5)
        model.resume()
        model.resume()
        model.finish()
        model.finish()
        model.steps(3)
        // Actions run one after another: once this one has answered, all of the above have.
        model.logWalk(WalkLogForm(day = today, start = "7:00", minutes = "10", steps = "500"))
        awaitState("the last action answered") { it.message?.startsWith("Walk logged") == true }
        watching.cancel()
        assertTrue(messages.any { it.startsWith("Walk saved: 100 steps") }, messages.toString())
        assertEquals(emptyList<String>(), messages.filterNot { it.startsWith("Walk saved: 100 steps") || it.startsWith("Walk logged") }, "nothing went wrong")
        assertEquals(listOf(100L, 500L), app.sessions().walksOn("2026-12-03").map { it.steps.toLong() }.sorted())
    }

    @Test
    fun `after Finish the card shows the walk just saved, its time and steps beside its litres`() {
        walkedTenMinutes()
        model.finish()
        val saved = awaitState("saved") { it.message?.startsWith("Walk saved") == true }
        assertEquals("1,200" to "10:00", saved.steps to saved.elapsed, "$saved")
        assertEquals("120 /min", saved.cadence)
        assertTrue(saved.pumped.endsWith(" L"), saved.pumped)
    }

    @Test
    fun `a walk under way past midnight names the evening's walk as yesterday's`() {
        val moving = MovingClock(clock)
        openAt(moving)
        moving.now = Instant.parse("2026-12-03T22:50:00Z")
        model.logWalk(WalkLogForm(day = today, start = "23:00", minutes = "30", steps = "3000"))
        awaitState("logged") { it.message?.startsWith("Walk logged") == true }
        model.start()
        awaitState("walking") { it.phase == WalkPhase.Walking && it.recent.firstOrNull()?.title == "23:00 · 30 min" }
        // Ten past midnight, steps counted: the rows are read again for the new day.
        moving.now = Instant.parse("2026-12-03T23:10:00Z")
        model.steps(100)
        awaitState("the evening's walk named yesterday's") { it.recent.firstOrNull()?.title == "Yesterday · 23:00 · 30 min" }
    }

    /** A walk started on a clock the test moves, 1,200 steps counted in its first ten minutes; the clock. */
    private fun walkedTenMinutes(): MovingClock {
        val moving = MovingClock(clock)
        openAt(moving)
        model.start()
        awaitState("started") { it.phase == WalkPhase.Walking }
        moving.now = moving.now.plus(java.time.Duration.ofMinutes(10))
        model.steps(1200)
        awaitState("walking") { it.phase == WalkPhase.Walking && it.steps == "1,200" }
        return moving
    }

    @Test
    fun `Start on a walk that ended by itself long ago starts a new one, the old saved at its end`() {
        val moving = walkedTenMinutes()
        // Left running all afternoon: the core says it has ended by itself.
        moving.now = moving.now.plus(java.time.Duration.ofHours(4))
        assertTrue(app.sessions().status()!!.progress.endedByItself)
        // Before any tap, the screen says so: its stopwatch has stopped at that end.
        model.reload()
        val left = awaitState("said") { it.message != null }
        assertEquals("This walk ended by itself a while after its last step: Finish saves it as it was then", left.message)
        assertEquals(WalkPhase.Walking, left.phase)
        // Start is no second tap (it had done nothing): the new walk starts.
        model.start()
        awaitState("the new walk") { it.phase == WalkPhase.Walking && it.steps == "0" && it.message == null }
        val walks = app.sessions().walksOn("2026-12-03")
        assertEquals(listOf(1200L), walks.map { it.steps.toLong() }, "the first saved at its end")
        assertEquals(false, app.sessions().status()!!.progress.endedByItself)
    }

    @Test
    fun `Finish on a walk left running past its end saves it at that end, and the screen says so`() {
        val moving = walkedTenMinutes()
        moving.now = moving.now.plus(java.time.Duration.ofHours(4))
        model.finish()
        val saved = awaitState("saved") { it.phase == WalkPhase.Ready && it.message != null }
        assertTrue(saved.message!!.startsWith("Walk saved: 1,200 steps"), saved.message)
        assertTrue(saved.message!!.endsWith("It ended by itself a while after its last step."), saved.message)
        val walk = app.sessions().walksOn("2026-12-03").single()
        assertTrue(walk.durationSeconds < 3_600u, "saved at its end, not four hours on: ${walk.durationSeconds}")
    }

    @Test
    fun `steps that come long after the walk's last ones find it saved, and the screen says so`() {
        val moving = walkedTenMinutes()
        // The phone in a drawer all evening; its counter reports again at ten.
        moving.now = moving.now.plus(java.time.Duration.ofHours(4))
        model.steps(300)
        val saved = awaitState("saved") { it.phase == WalkPhase.Ready && it.message != null }
        assertTrue(saved.message!!.startsWith("Walk saved: 1,200 steps"), saved.message)
        assertTrue(saved.message!!.endsWith("It ended by itself a while after its last step."), saved.message)
        val walk = app.sessions().walksOn("2026-12-03").single()
        assertEquals(1200L, walk.steps.toLong(), "the late steps are not the walk's")
        assertEquals(Instant.parse("2026-12-03T17:00:00Z"), walk.start)
    }

    @Test
    fun `a start typed without a colon is read, and a second tap logs nothing more`() {
        model.openLogForm()
        model.logWalk(WalkLogForm(day = today, start = "9.05", minutes = "10", steps = "1000"))
        assertEquals("Walk logged: 10 min from 09:05, 1,000 steps", awaitState("logged") { it.message != null }.message)

        model.openLogForm()
        val form = WalkLogForm(day = today, start = "0715", minutes = "45", steps = "4800")
        model.logWalk(form)
        model.logWalk(form)
        // The second tap is dropped while the first is stored, or refused by the core once it is
        // (how the taps fall against the work is up to the scheduler): either way the walk is logged once.
        awaitState("logged, the second tap dropped or refused") { s ->
            s.message == "Walk logged: 45 min from 07:15, 4,800 steps" || s.message?.startsWith("A walk from 07:15 to 08:00") == true
        }
        assertEquals(listOf(4800u, 1000u), app.sessions().walksOn("2026-12-03").map { it.steps }, "each walk once, oldest first")
    }

    @Test
    fun `a start typed in Arabic-Indic digits is read as the minutes and steps are`() {
        model.openLogForm()
        model.logWalk(WalkLogForm(day = today, start = "٠٧:١٥", minutes = "٤٥", steps = "٤٨٠٠"))
        assertEquals("Walk logged: 45 min from 07:15, 4,800 steps", awaitState("logged") { it.message != null }.message)
    }

    @Test
    fun `just after midnight the form starts yesterday`() {
        // 00:10 in Berlin on Friday 4 December.
        openAt(Clock.fixed(Instant.parse("2026-12-03T23:10:00Z"), ZoneId.of("Europe/Berlin")))
        model.openLogForm()
        assertEquals(WalkLogForm(day = LocalDate.of(2026, 12, 3), start = "23:40", minutes = "30", steps = ""), model.state.value.logForm)
        assertEquals("Yesterday · Thu 3 Dec", model.dayOfWalk(LocalDate.of(2026, 12, 3)))
    }
}
