package app.secondheart.core

import java.util.Locale
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import uniffi.second_heart.DaySummary

class TodayCardTest {
    @Test
    fun `formats a day for the home screen`() {
        val card = TodayCard.from(DaySummary("2026-11-21", "Europe/Berlin", 12_300uL, 6_600uL, 4u), Locale.UK)
        assertEquals(TodayCard("Saturday 21 November", "12,300 steps", "1 h 50 min walking", "4 walks"), card)
    }

    @Test
    fun `uses the singular and the locale's digit grouping`() {
        val card = TodayCard.from(DaySummary("2026-11-21", "UTC", 1uL, 60uL, 1u), Locale.GERMANY)
        assertEquals("Samstag 21 November", card.title)
        assertEquals("1 step", card.steps)
        assertEquals("1 min walking", card.walking)
        assertEquals("1 walk", card.walks)
        assertEquals("12.300 steps", TodayCard.from(DaySummary("2026-11-21", "UTC", 12_300uL, 0uL, 0u), Locale.GERMANY).steps)
    }
}
