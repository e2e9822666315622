package app.secondheart.state

import java.util.Locale
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/** Numbers and times as the screens write them. */
class FormatsTest {
    private val formats = Formats(Locale.UK)

    @Test
    fun `without a locale of its own it writes in the phone's as it is now, a language changed while the app runs`() {
        val before = Locale.getDefault()
        try {
            Locale.setDefault(Locale.GERMANY)
            val phone = Formats()
            assertEquals("4,5", phone.decimal(4.5))
            assertEquals("Di.", phone.weekday(java.time.LocalDate.of(2026, 12, 1)))
            Locale.setDefault(Locale.UK)
            assertEquals("4.5", phone.decimal(4.5))
            assertEquals("6,240", phone.integer(6_240))
            assertEquals("Tue", phone.weekday(java.time.LocalDate.of(2026, 12, 1)))
            assertEquals(4.5, phone.parseMeasure("4.5"))
        } finally {
            Locale.setDefault(before)
        }
    }

    @Test
    fun `a whole number typed with an ordinary space where the locale groups with a no-break one is read`() {
        val french = Formats(Locale.FRANCE)
        assertEquals(8_000L, french.parseWhole("8 000"), "typed with the space bar")
        assertEquals(8_000L, french.parseWhole("8\u00A0000"), "pasted with a no-break space")
        assertEquals(8_000L, french.parseWhole(french.integer(8_000)), "as the screen writes it")
        assertEquals(8_000L, formats.parseWhole("8,000"))
        assertEquals(null, formats.parseWhole("8 000"), "English groups with commas: two numbers")
    }

    @Test
    fun `a countdown rounds up, so it starts at its whole time and reads 0 only at its end`() {
        // Leg elevation's 15 minutes, read a moment after the start: not "14:59".
        assertEquals("15:00", formats.countdown(899.6))
        assertEquals("0:01", formats.countdown(0.3))
        assertEquals("0:00", formats.countdown(0.0))
        assertEquals("0:00", formats.countdown(-2.0))
        // A stopwatch counts whole seconds run.
        assertEquals("14:59", formats.stopwatch(899.6))
    }
}
