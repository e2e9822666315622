package app.secondheart.core

import java.nio.file.Path
import java.time.Duration
import java.time.Instant
import java.time.ZoneId
import java.time.format.DateTimeFormatter
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import uniffi.second_heart.FlightDetails
import uniffi.second_heart.RiskCategory
import uniffi.second_heart.RiskFactors
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.Seat

/** Flight plans: the risk check, the schedule in both zones, the flight under way. */
class FlightsApiTest {
    @TempDir
    lateinit var dir: Path

    private val clock = SettableClock(berlin("2026-11-21T08:00"))
    private lateinit var core: SecondHeart

    @BeforeEach
    fun open() {
        core = SecondHeart.open(dir.resolve("second-heart.db").toString(), clock)
    }

    @AfterEach
    fun close() = core.close()

    private val departure = berlin("2026-11-21T10:00")

    private fun noRisks() = RiskFactors(false, false, false, false, false, false, false, false, false, false)

    private fun details(
        hours: Double? = 11.0,
        arrival: Instant? = null,
        arrivalZone: String = "America/Los_Angeles",
        risks: RiskFactors = noRisks(),
    ) = FlightDetails(departure, "Europe/Berlin", arrival, hours, arrivalZone, Seat.WINDOW, 45u, null, risks)

    @Test
    fun `a long flight's plan shows the schedule in both zones and a readable risk label`() {
        val plan = core.flights().plan(details())
        assertEquals(departure, plan.departure)
        assertEquals(departure.plus(Duration.ofHours(11)), plan.arrival)
        assertEquals("America/Los_Angeles", plan.arrivalZone)
        assertEquals(11.0, plan.risk.hours, 1e-9)
        assertEquals(RiskCategory.NO_RISK_FACTORS, plan.risk.category)
        assertTrue(plan.risk.label.isNotBlank())
        assertFalse(plan.risk.label.contains("NoRiskFactors"), "a user never sees an enum's name: ${plan.risk.label}")
        assertTrue(plan.schedule.size > 5, "${plan.schedule.size} items")
        // Every item is given in both zones' wall-clock time (Berlin is 9 h ahead of Los Angeles).
        val wallClock = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
        plan.schedule.forEach {
            assertEquals(it.at.atZone(BERLIN).format(wallClock), it.departureLocal)
            assertEquals(it.at.atZone(ZoneId.of("America/Los_Angeles")).format(wallClock), it.arrivalLocal)
        }
        assertEquals(plan.schedule.sortedBy { it.at }, plan.schedule, "in time order")
        assertEquals("arrive", plan.schedule.last().kind)
        assertTrue(plan.schedule.any { it.kind == "walk" })
    }

    @Test
    fun `a previous clot makes the risk substantially increased with a doctor and stockings`() {
        val plan = core.flights().plan(details(risks = noRisks().copy(previousClot = true)))
        assertEquals(RiskCategory.SUBSTANTIALLY_INCREASED, plan.risk.category)
        assertTrue(plan.risk.talkToDoctor)
        assertTrue(plan.risk.stockingsSuggested)
        assertNotNull(plan.compression)
        assertTrue(plan.risk.factors.isNotEmpty())
        assertNotEquals(core.flights().plan(details()).risk.label, plan.risk.label)
    }

    @Test
    fun `a short hop is a short trip`() {
        val plan = core.flights().plan(details(hours = null, arrival = departure.plus(Duration.ofMinutes(90)), arrivalZone = "Europe/London"))
        assertEquals(RiskCategory.SHORT_TRIP, plan.risk.category)
        assertFalse(plan.risk.stockingsSuggested)
    }

    @Test
    fun `bad flights are refused with the field named`() {
        assertEquals("flight time", assertThrows<SecondHeartException.InvalidInput> { core.flights().plan(details(hours = 30.0)) }.field)
        assertEquals("flight time", assertThrows<SecondHeartException.InvalidInput> { core.flights().plan(details(hours = Double.NaN)) }.field)
        assertEquals("landing", assertThrows<SecondHeartException.InvalidInput> { core.flights().plan(details(hours = null)) }.field)
        assertEquals("time zone", assertThrows<SecondHeartException.InvalidInput> { core.flights().plan(details(arrivalZone = "Atlantis/Central")) }.field)
    }

    @Test
    fun `a started flight is in progress during the flight, with its next item on Today`() {
        assertNull(core.flights().notLanded())
        val plan = core.flights().start(details())
        clock.at = departure.plus(Duration.ofHours(3))
        val underWay = core.flights().notLanded()
        assertEquals(plan.departure, underWay!!.departure)
        val next = core.flights().nextItem()!!
        assertFalse(next.at.isBefore(clock.at), "the next item is not in the past")
        assertEquals(next, core.today().view().flightNext)
        clock.at = plan.arrival.plus(Duration.ofHours(2))
        assertNull(core.flights().notLanded(), "landed")
        assertNull(core.flights().nextItem())
    }
}
