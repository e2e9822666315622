package app.secondheart.state

import app.secondheart.core.AppClock
import java.util.Locale
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.second_heart.SessionEvent
import uniffi.second_heart.garmentClasses

/** Today: compression socks logged with a tap. */
class TodayModelTest : AppTest() {
    private fun TodayModel.until(what: String, done: (TodayUi) -> Boolean): TodayUi = runBlocking {
        try {
            withTimeout(10_000) { state.first { it != null && done(it) }!! }
        } catch (e: kotlinx.coroutines.TimeoutCancellationException) {
            throw AssertionError("never $what: ${state.value}", e)
        }
    }

    @Test
    fun `a second tap on socks on or off, finding them so already, shows Today without an error`() {
        val model = TodayModel(Core(app, AppClock()), Formats(Locale.UK), scope, Dispatchers.IO)
        model.reload()
        model.until("Today shown") { it.socks?.wearing == false }

        // The first tap of a double tap has put them on.
        app.sessions().compressionOn(garmentClasses().first().mmhg)
        model.socksOn()
        val on = model.until("the socks shown on") { it.socks?.wearing == true }
        assertNull(on.message, "no error for the second tap")

        app.sessions().compressionOff()
        model.socksOff()
        val off = model.until("the socks shown off") { it.socks?.wearing == false }
        assertNull(off.message, "no error for the second tap")
    }

    @Test
    fun `socks put on while the clock ran a day ahead come off once it is set right, and the screen says they were removed`() {
        val clock = SetClock(java.time.Instant.parse("2026-12-06T07:00:00Z"))
        app.close()
        app = uniffi.second_heart.SecondHeart.open(dir.resolve("ahead.db").toString(), AppClock(clock))
        val model = TodayModel(Core(app, AppClock(clock)), Formats(Locale.UK), scope, Dispatchers.IO)
        app.sessions().compressionOn(garmentClasses().first().mmhg)
        clock.now = java.time.Instant.parse("2026-12-05T09:00:00Z")
        model.socksOff()
        val off = model.until("the socks shown off") { it.socks?.wearing == false && it.message != null }
        assertEquals("Socks removed: they went on at 08:00, later than the phone's clock says it is now", off.message)
    }

    /** A clock the test sets. */
    private class SetClock(@Volatile var now: java.time.Instant) : java.time.Clock() {
        override fun instant(): java.time.Instant = now
        override fun getZone(): java.time.ZoneId = java.time.ZoneId.of("Europe/Berlin")
        override fun withZone(zone: java.time.ZoneId): java.time.Clock = this
    }

    @Test
    fun `a few steps that pumped under a tenth of a litre do not read as 0_0 L`() {
        val clock = SetClock(java.time.Instant.parse("2026-12-05T10:00:00Z"))
        app.close()
        app = uniffi.second_heart.SecondHeart.open(dir.resolve("few.db").toString(), AppClock(clock))
        val model = TodayModel(Core(app, AppClock(clock)), Formats(Locale.UK), scope, Dispatchers.IO)
        app.sessions().logWalk(java.time.Instant.parse("2026-12-05T09:50:00Z"), null, 60, 5)
        model.reload()
        val shown = model.until("Today shown") { it.rings.isNotEmpty() }
        assertTrue(app.today().view().summary.pumpedLitres in 0.0001..0.05, "a few steps pumped a little")
        assertEquals("A short walk starts your calf pump", shown.headline)
    }

    @Test
    fun `a ring whose goal is 0 is drawn empty on a day that recorded nothing`() {
        app.profile().update(uniffi.second_heart.ProfileChanges(stepsGoal = 0u))
        val model = TodayModel(Core(app, AppClock()), Formats(Locale.UK), scope, Dispatchers.IO)
        model.reload()
        val shown = model.until("Today shown") { it.rings.isNotEmpty() }
        assertEquals(0f, shown.rings.first { it.kind == RingKind.Steps }.fraction)
    }

    @Test
    fun `a double tap on a glass logs one glass`() {
        val model = TodayModel(Core(app, AppClock()), Formats(Locale.UK), scope, Dispatchers.IO)
        model.logGlass()
        model.logGlass()
        model.until("the glass logged") { it.message != null }
        runBlocking { model.refresh() }
        assertEquals(250u, app.today().view().summary.hydrationMl, "one glass, not two")
    }

    @Test
    fun `while a walk is active Today shows no next break, and after it the next one`() {
        val model = TodayModel(Core(app, AppClock()), Formats(Locale.UK), scope, Dispatchers.IO)
        app.sessions().startWalk()
        model.reload()
        val walking = model.until("Today shown") { true }
        assertNull(walking.nextBreak, "the break for a Finish forgotten is not shown")

        app.sessions().record(SessionEvent.Finish)
        model.reload()
        val after = model.until("the next break shown") { it.nextBreak != null }
        assertTrue(after.nextBreak!!.startsWith("Next break "), after.nextBreak)
    }

    @Test
    fun `a next break moved past the night says it is tomorrow`() {
        // 21:40 in Berlin, last walked until 21:30: due at 22:15, in the quiet hours, so at 07:45 tomorrow.
        val clock = SetClock(java.time.Instant.parse("2026-12-05T20:40:00Z"))
        app.close()
        app = uniffi.second_heart.SecondHeart.open(dir.resolve("evening.db").toString(), AppClock(clock))
        val model = TodayModel(Core(app, AppClock(clock)), Formats(Locale.UK), scope, Dispatchers.IO)
        app.sessions().logWalk(java.time.Instant.parse("2026-12-05T20:00:00Z"), null, 30 * 60, 3_000)
        model.reload()
        val shown = model.until("the next break shown") { it.nextBreak != null }
        assertTrue(shown.nextBreak!!.startsWith("Next break 07:45 tomorrow · "), shown.nextBreak)
    }

    @Test
    fun `a long sit shows a break due as the core's interval says, and none with reminders off`() {
        val clock = SetClock(java.time.Instant.parse("2026-12-05T09:00:00Z"))
        app.close()
        app = uniffi.second_heart.SecondHeart.open(dir.resolve("sitting.db").toString(), AppClock(clock))
        val model = TodayModel(Core(app, AppClock(clock)), Formats(Locale.UK), scope, Dispatchers.IO)
        // A walk from 08:00 to 08:30 in Berlin, then an hour and a half still.
        app.sessions().logWalk(java.time.Instant.parse("2026-12-05T07:00:00Z"), null, 30 * 60, 3_000)
        clock.now = java.time.Instant.parse("2026-12-05T09:00:00Z")
        model.reload()
        val due = model.until("the stretch shown") { it.sitting?.label?.startsWith("Sitting for") == true }
        assertEquals(1f, due.sitting!!.fraction)
        assertTrue(due.sitting!!.due, "90 min still, against 45")

        app.profile().update(uniffi.second_heart.ProfileChanges(remindersEnabled = false))
        model.reload()
        val off = model.until("the stretch shown without reminders") { it.sitting?.fraction == null }
        assertEquals(false, off.sitting!!.due, "nothing is due with reminders off")
    }

    /** The system's clock, one the core cannot read while [broken]. */
    private class FlakyClock(@Volatile var broken: Boolean) : java.time.Clock() {
        override fun instant(): java.time.Instant = if (broken) throw IllegalStateException("no time") else java.time.Instant.now()
        override fun getZone(): java.time.ZoneId = java.time.ZoneId.of("Europe/Berlin")
        override fun withZone(zone: java.time.ZoneId): java.time.Clock = this
    }

    /** Today's model over a core that reads [clock]; the screen's own clock always reads. */
    private fun modelOn(clock: FlakyClock): TodayModel {
        app.close()
        app = uniffi.second_heart.SecondHeart.open(dir.resolve("flaky.db").toString(), AppClock(clock))
        return TodayModel(Core(app, AppClock()), Formats(Locale.UK), scope, Dispatchers.IO)
    }

    @Test
    fun `a read of Today that failed is not said all day once a read succeeds`() {
        val clock = FlakyClock(broken = false)
        val model = modelOn(clock)
        model.reload()
        model.until("Today shown") { it.message == null }
        clock.broken = true
        model.reload()
        model.until("the failed read said") { it.message != null }
        clock.broken = false
        // A view another writer pushed takes it back as a read would.
        model.publish(app.today().view())
        assertNull(model.state.value!!.message, "the failed read taken back by a pushed view")
        runBlocking { model.refresh() }
        assertNull(model.state.value!!.message, "the failed read taken back")
        // What an action said stays: it still holds.
        model.logGlass()
        model.until("the glass logged") { it.message != null }
        runBlocking { model.refresh() }
        assertEquals("Logged a glass of water, 250 mL", model.state.value!!.message)
    }

    @Test
    fun `a first read of Today that failed is said, and tried again until one succeeds`() {
        val clock = FlakyClock(broken = true)
        val model = modelOn(clock)
        model.reload()
        val said = runBlocking { withTimeout(30_000) { model.unavailable.first { it != null } } }
        assertTrue(said!!.contains("clock"), said)
        assertNull(model.state.value, "nothing to show yet")
        clock.broken = false
        // The next try (each minute; here at once) shows Today and takes the words back.
        runBlocking { model.refresh() }
        assertNull(model.unavailable.value)
        assertTrue(model.state.value != null)
    }

    @Test
    fun `a flight's next item on Today says its time, not its date`() {
        val model = TodayModel(Core(app, AppClock()), Formats(Locale.UK), scope, Dispatchers.IO)
        val departure = java.time.Instant.now().minusSeconds(3_600)
        app.flights().start(
            uniffi.second_heart.FlightDetails(
                departure = departure,
                departureZone = "Europe/Berlin",
                arrival = null,
                hours = 10.0,
                arrivalZone = "America/New_York",
                seat = uniffi.second_heart.Seat.AISLE,
                moveEveryMin = 45u,
                sleep = null,
                riskFactors = uniffi.second_heart.RiskFactors(false, false, false, false, false, false, false, false, false, false),
            ),
        )
        model.reload()
        val shown = model.until("the flight shown") { it.flight != null }
        assertTrue(Regex("Next on your flight at \\d\\d:\\d\\d: .+").matches(shown.flight!!), shown.flight)
    }

    @Test
    fun `an older view of Today is not shown over a newer one, whichever arrives last`() {
        val model = TodayModel(Core(app, AppClock()), Formats(Locale.UK), scope, Dispatchers.IO)
        val before = app.today().view()
        app.sessions().drink(250u)
        val after = app.today().view()
        // The push of the drink came first, the read from before it last.
        model.publish(after)
        model.publish(before)
        assertEquals("250 of 2,000 mL today", model.state.value!!.water!!.drunk)
    }

}
