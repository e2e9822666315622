package app.secondheart.state

import app.secondheart.core.AppClock
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneId
import java.util.Locale
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import uniffi.second_heart.SecondHeart

/** Flight: planned from the form, started at the gate, shown until it lands. */
class FlightModelTest : AppTest() {
    /** 08:00 in Berlin on Saturday 5 December 2026; the test moves it. */
    private class MovingClock : Clock() {
        @Volatile var now: Instant = Instant.parse("2026-12-05T07:00:00Z")

        /** The clock cannot be read (the core then refuses every call). */
        @Volatile var broken = false
        override fun instant(): Instant = if (broken) throw IllegalStateException("no time") else now
        override fun getZone(): ZoneId = ZoneId.of("Europe/Berlin")
        override fun withZone(zone: ZoneId): Clock = this
    }

    private val clock = MovingClock()
    private lateinit var model: FlightModel

    /** Berlin 10:00 to New York 13:00 (19:00 in Berlin). */
    private val form = FlightForm(from = "Europe/Berlin", depart = "2026-12-05 10:00", to = "America/New_York", arrive = "2026-12-05 13:00")

    @BeforeEach
    fun openAtTheGate() {
        app.close()
        app = SecondHeart.open(dir.resolve("flights.db").toString(), AppClock(clock))
        model = FlightModel(Core(app, AppClock(clock)), Formats(Locale.UK), scope, Dispatchers.IO)
    }

    private fun awaitState(what: String, done: (FlightUi) -> Boolean): FlightUi = runBlocking {
        try {
            withTimeout(10_000) { model.state.first(done) }
        } catch (e: kotlinx.coroutines.TimeoutCancellationException) {
            throw AssertionError("never $what: ${model.state.value}", e)
        }
    }

    @Test
    fun `a flight started at the gate stays started when the screen reloads, and goes when it lands`() {
        model.plan(form)
        val planned = awaitState("planned") { it.title != null }
        assertNull(planned.next, "a plan not started has no next item, and offers Start")
        model.start()
        val started = awaitState("started") { it.next != null }

        // Two hours later, still at the gate: the app comes back to the front.
        clock.now = clock.now.plus(Duration.ofMinutes(110))
        runBlocking { model.refresh() }
        val reloaded = model.state.value
        assertNotNull(reloaded.next, "still started: no Start offered again")
        assertEquals(started.title, reloaded.title)
        assertTrue(reloaded.timeline.any { it.state == TimelineState.Now }, "${reloaded.timeline}")

        // Landed: neither the flown flight nor its plan comes back to be started.
        clock.now = Instant.parse("2026-12-05T18:30:00Z")
        runBlocking { model.refresh() }
        val landed = model.state.value
        assertNull(landed.title)
        assertNull(landed.next)
        assertEquals(emptyList<TimelineItemUi>(), landed.timeline)
    }

    @Test
    fun `with the first leg started at the gate, New plan plans and starts the next leg`() {
        model.plan(form)
        awaitState("planned") { it.title != null }
        model.start()
        awaitState("started") { it.next != null }
        model.clear()
        val blank = awaitState("the form again") { it.title == null }
        assertEquals(emptyList<TimelineItemUi>(), blank.timeline)
        runBlocking { model.refresh() }
        assertNull(model.state.value.title, "a reload keeps the form, not the started leg")

        val second = form.copy(from = "America/New_York", depart = "2026-12-05 15:00", to = "America/Chicago", arrive = "2026-12-05 17:00")
        model.plan(second)
        val planned = awaitState("the second leg planned") { it.title?.startsWith("New York") == true }
        assertNull(planned.next, "the second leg offers Start")
        model.start()
        awaitState("the second leg started") { it.title?.startsWith("New York") == true && it.next != null }
        assertTrue(app.flights().notLanded() != null)
    }

    @Test
    fun `a date the calendar does not have is refused, not moved to the end of the month`() {
        model.plan(form.copy(depart = "2026-02-30 10:00", arrive = "2026-02-30 13:00"))
        val refused = awaitState("refused") { it.message != null }
        assertEquals("The departure time \"2026-02-30 10:00\" should look like 2026-12-05 10:00, on a date the calendar has.", refused.message)
        assertNull(refused.title, "no plan for 28 February")
    }

    /** The flight in [form] planned and started at the gate, and Cancel asked about. */
    private fun startedAndAskedToCancel() {
        model.plan(form)
        awaitState("planned") { it.title != null && !it.started }
        model.start()
        awaitState("started") { it.started }
        model.askCancel()
        awaitState("asked") { it.confirmingCancel }
    }

    @Test
    fun `Cancel flight asks first, then drops the started flight and its reminders`() {
        startedAndAskedToCancel()
        model.keepFlight()
        val kept = awaitState("kept") { !it.confirmingCancel }
        assertTrue(kept.started, "Keep it keeps the flight")
        assertNotNull(app.flights().notLanded())
        model.askCancel()
        awaitState("asked again") { it.confirmingCancel }
        model.cancelFlight()
        val cancelled = awaitState("back to the form") { it.title == null }
        assertFalse(cancelled.confirmingCancel)
        assertNull(app.flights().notLanded(), "nothing left to remind of")
    }

    @Test
    fun `a cancel the core refuses closes its dialog and says why, and the flight can be cancelled again`() {
        startedAndAskedToCancel()
        clock.broken = true
        model.cancelFlight()
        val refused = awaitState("refused") { it.message != null }
        assertFalse(refused.confirmingCancel, "the words are not left behind the dialog")
        clock.broken = false
        assertNotNull(app.flights().notLanded())
        model.askCancel()
        awaitState("asked again") { it.confirmingCancel }
        model.cancelFlight()
        awaitState("cancelled") { it.title == null }
        assertNull(app.flights().notLanded())
    }

    @Test
    fun `the form asks every question of the core's risk check, a birth in the last six weeks among them`() {
        val keys = model.questions.map { it.id }
        assertTrue("postpartum" in keys && "thrombophilia" in keys && "limited_mobility" in keys, "$keys")
        model.plan(form.copy(risks = setOf("postpartum")))
        val planned = awaitState("planned") { it.title != null }
        assertTrue(planned.risk!!.startsWith("Substantially increased risk"), planned.risk)
    }

    @Test
    fun `the prompts come as often as the form asks, and the sleep window is the destination's`() {
        model.plan(form.copy(moveEveryMin = 30))
        val often = awaitState("planned every 30 min") { it.title != null }.timeline.size
        model.plan(form.copy(moveEveryMin = 60))
        val seldom = awaitState("planned every 60 min") { it.title != null && it.timeline.size != often }.timeline.size
        assertTrue(often > seldom, "every 30 min: $often items, every 60: $seldom")
        model.plan(form.copy(sleep = "25:00-06:00"))
        val refused = awaitState("a sleep window refused") { it.message != null }
        assertTrue(refused.message!!.contains("25:00"), refused.message)
    }

    @Test
    fun `a time the clocks skip is refused, not moved an hour on`() {
        // Berlin's clocks go from 02:00 to 03:00 on 28 March 2027.
        model.plan(form.copy(depart = "2027-03-28 02:30", arrive = "2027-03-28 09:00"))
        val refused = awaitState("refused") { it.message != null }
        assertEquals("Invalid take-off: 2027-03-28 02:30 does not exist in Europe/Berlin: the clocks skip it that night", refused.message)
        assertNull(refused.title)
    }

    @Test
    fun `a landing typed without its date is the first such time after take-off`() {
        // 22:00 in Berlin is 05:00 the next day in Singapore: 17:00 there is that day's.
        model.plan(form.copy(depart = "2026-12-10 22:00", to = "Asia/Singapore", arrive = "17:00"))
        val planned = awaitState("planned") { it.title != null }
        assertEquals("Berlin → Singapore · 12 h", planned.title, "landing on the 11th at 09:00 UTC")
    }

    @Test
    fun `an unknown zone is refused naming the airport it is for`() {
        model.plan(form.copy(to = "Mars/Olympus"))
        val refused = awaitState("refused") { it.message != null }
        assertEquals("Invalid arrival zone: \"Mars/Olympus\" is not a time zone: use a name like Europe/Berlin", refused.message)
        assertNull(refused.title)
    }


    @Test
    fun `a plan not started and its health answers go with the data`() {
        model.plan(form.copy(risks = setOf("pregnant")))
        awaitState("planned") { it.title != null }
        assertEquals(setOf("pregnant"), model.form.risks)
        // Everything deleted (or a backup restored): nothing of the plan is left to show or start.
        model.dataReplaced()
        val cleared = awaitState("the plan cleared") { it.title == null }
        assertNull(cleared.risk, "$cleared")
        assertEquals(FlightForm(), model.form, "the form as submitted, its answers with it")
    }
}
