package app.secondheart.state

import java.time.LocalDate
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** The Walk and Exercises screens' word that a sensor's count could not be saved, and its taking back. */
class UnsavedCountTest {
    private val message = DayMessage { LocalDate.of(2026, 12, 4) }
    private val unsaved = UnsavedCount(message, "steps")

    @Test
    fun `a count that could not be saved is said, and taken back once a frame is saved`() {
        message.text = unsaved.failed("the database is locked")
        assertEquals(
            "Your sensor's steps could not be saved just now: the database is locked. They are saved with its next reading.",
            message.text,
        )
        assertTrue(unsaved.saved())
        assertNull(message.text)
        // Saved again and again: nothing more to take back.
        assertFalse(unsaved.saved())
    }

    @Test
    fun `what the user did since stays when the count is saved again`() {
        message.text = unsaved.failed("the database is locked")
        message.text = "Walk paused"
        assertTrue(unsaved.saved())
        assertEquals("Walk paused", message.text)
    }
}
