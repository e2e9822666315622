package app.secondheart.core

import java.nio.file.Path
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.second_heart.ProfileChanges
import uniffi.second_heart.ReminderResponse
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.SessionKind
import uniffi.second_heart.SetTargets

/** Break reminders: the next one, the OS schedule, and what the user did. */
class RemindersApiTest {
    @TempDir
    lateinit var dir: Path

    private val clock = SettableClock(berlin("2026-11-21T10:00"))
    private lateinit var core: SecondHeart

    @BeforeEach
    fun open() {
        core = SecondHeart.open(dir.resolve("second-heart.db").toString(), clock)
        // Walked until 09:30, then sat down.
        core.sessions().logWalk(berlin("2026-11-21T09:00"), null, 1800, 3000)
    }

    @AfterEach
    fun close() = core.close()

    @Test
    fun `the upcoming schedule for the OS starts with the next reminder and its due times strictly increase`() {
        val next = core.reminders().next()
        assertNotNull(next, "a reminder is due after sitting still")
        val upcoming = core.reminders().upcoming(5u)
        assertTrue(upcoming.size in 2..5, "${upcoming.size} reminders")
        assertEquals(next, upcoming.first())
        upcoming.zipWithNext().forEach { (a, b) -> assertTrue(b.dueAt.isAfter(a.dueAt), "${a.dueAt} then ${b.dueAt}") }
        assertTrue(upcoming.all { it.title.isNotBlank() && it.body.isNotBlank() })
        assertTrue(upcoming.first().dueAt.isAfter(berlin("2026-11-21T09:30")))
        assertEquals(1, core.reminders().upcoming(1u).size)
        assertTrue(core.reminders().upcoming(1_000u).size <= 32, "capped")
    }

    @Test
    fun `shown then snoozed moves the next reminder later`() {
        val due = core.reminders().next()!!
        clock.at = due.dueAt
        assertEquals(due.exercise, core.reminders().shown()!!.exercise)
        val after = core.reminders().respond(ReminderResponse.SNOOZED)
        assertNotNull(after)
        assertTrue(after!!.dueAt.isAfter(due.dueAt), "${after.dueAt} after ${due.dueAt}")
    }

    @Test
    fun `no reminder comes while a session runs, and none at all while they are turned off`() {
        core.sessions().startSet(SessionKind.CALF_RAISES, SetTargets())
        // Left running, the set (nothing counted yet) ends by itself three
        // hours on, given up (never done): the phone has the reminder due
        // at that end scheduled (still since the walk ended at 09:30).
        val next = core.reminders().next()
        assertEquals(berlin("2026-11-21T13:00"), next?.dueAt)
        assertEquals(next, core.today().view().nextBreak)
        assertEquals(next, core.reminders().upcoming(5u).first())
        clock.at = berlin("2026-11-21T10:50")
        assertNull(core.reminders().shown(), "nothing is due while the set runs")
        core.sessions().record(uniffi.second_heart.SessionEvent.Abandon)
        core.profile().update(ProfileChanges(remindersEnabled = false))
        assertNull(core.reminders().next())
        assertEquals(emptyList<Any>(), core.reminders().upcoming(5u))
    }

    @Test
    fun `Today shows the same next break as the reminders service`() {
        assertEquals(core.reminders().next(), core.today().view().nextBreak)
    }
}
