package app.secondheart.android

import android.app.AlarmManager
import android.app.NotificationManager
import android.content.Intent
import app.secondheart.core.AppClock
import app.secondheart.state.Core
import java.time.Clock
import java.time.Instant
import java.time.ZoneId
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertTrue
import org.junit.Rule
import org.junit.Test
import org.junit.rules.TemporaryFolder
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.shadows.ShadowAlarmManager
import uniffi.second_heart.SecondHeart

/**
 * Break reminders from the core to the phone's alarms and back: the
 * schedule is set as alarms, a reminder's alarm posts it and tells the
 * core, and its Done moves the schedule on and the alarms with it.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34])
class PhoneRemindersTest {
    @get:Rule
    val dir = TemporaryFolder()

    private val context = RuntimeEnvironment.getApplication()
    private val alarms = context.getSystemService(AlarmManager::class.java)
    private val notifications = context.getSystemService(NotificationManager::class.java)

    /** A clock the test moves: 10:00 in Berlin, half an hour after a walk. */
    private var now = Instant.parse("2026-11-21T09:00:00Z")
    private var where = ZoneId.of("Europe/Berlin")
    private val clock = object : Clock() {
        override fun getZone(): ZoneId = where
        override fun withZone(zone: ZoneId?): Clock = this
        override fun instant(): Instant = now
    }

    @After
    fun reset() = ShadowAlarmManager.reset()

    /** When the exact alarms go off (each has a twin allowed while idle, for exact alarms taken back). */
    private fun alarmTimes() = shadowOf(alarms).scheduledAlarms.filter { it.windowLengthMs == 0L }.map { Instant.ofEpochMilli(it.triggerAtMs) }.sorted()

    @Test
    fun `the core's reminders become alarms, the alarm posts one and tells the core, and Done moves them on`() {
        ShadowAlarmManager.setCanScheduleExactAlarms(true)
        val app = SecondHeart.open(dir.root.resolve("second-heart.db").path, AppClock(clock))
        // Walked from 08:30 to 09:00 Berlin time, then sat down.
        app.sessions().logWalk(Instant.parse("2026-11-21T07:30:00Z"), null, 1800, 3000)
        val core = Core(app, AppClock(clock))
        PhoneReminders(core, ReminderScheduler(context), worker = Runnable::run).use { reminders ->
            val upcoming = app.reminders().upcoming(PhoneReminders.LIMIT).map { it.dueAt }.filter { !it.isBefore(now) }
            assertTrue("a schedule to set: $upcoming", upcoming.size >= 2)
            assertEquals(upcoming, alarmTimes())

            // The first alarm goes off: the reminder is posted and the core told.
            now = upcoming.first()
            val first = shadowOf(alarms).scheduledAlarms.minByOrNull { it.triggerAtMs }!!
            ReminderReceiver().onReceive(context, shadowOf(first.operation).savedIntent)
            val posted = shadowOf(notifications).allNotifications.single()

            // Done: the core moves the schedule on, and the alarms follow it.
            ReminderReceiver().onReceive(context, shadowOf(posted.actions[0].actionIntent).savedIntent)
            val after = app.reminders().upcoming(PhoneReminders.LIMIT).map { it.dueAt }.filter { !it.isBefore(now) }
            assertTrue("the next reminder is later than the one done: $after", after.first().isAfter(upcoming.first()))
            assertEquals(after, alarmTimes())

            // A walk logged later reaches the alarms through the core's observer, with no call from the app.
            now = now.plusSeconds(600)
            app.sessions().logWalk(now.minusSeconds(300), null, 300, 500)
            val afterWalk = app.reminders().upcoming(PhoneReminders.LIMIT).map { it.dueAt }.filter { !it.isBefore(now) }
            waitFor("the alarms follow the walk: $afterWalk") { alarmTimes() == afterWalk }
        }
        assertEquals(null, ReminderReceiver.onAction)
        app.close()
    }

    @Test
    fun `with notifications blocked an alarm records nothing as shown, and the reminder stays due`() {
        ShadowAlarmManager.setCanScheduleExactAlarms(true)
        val app = SecondHeart.open(dir.root.resolve("second-heart.db").path, AppClock(clock))
        app.sessions().logWalk(Instant.parse("2026-11-21T07:30:00Z"), null, 1800, 3000)
        val core = Core(app, AppClock(clock))
        PhoneReminders(core, ReminderScheduler(context), worker = Runnable::run).use {
            val first = app.reminders().next()!!
            now = first.dueAt
            shadowOf(notifications).setNotificationsEnabled(false)
            val alarm = shadowOf(alarms).scheduledAlarms.minByOrNull { it.triggerAtMs }!!
            ReminderReceiver().onReceive(context, shadowOf(alarm.operation).savedIntent)
            assertTrue(shadowOf(notifications).allNotifications.isEmpty())
            // Not recorded as shown: the same reminder is still the one due, not its follow-up.
            assertEquals(first.level, app.reminders().next()!!.level)
            assertEquals(now, app.reminders().next()!!.dueAt)
            shadowOf(notifications).setNotificationsEnabled(true)
        }
        app.close()
    }

    @Test
    fun `a reminder already due when the alarms are set again goes off at once, not its follow-up later`() {
        ShadowAlarmManager.setCanScheduleExactAlarms(true)
        val app = SecondHeart.open(dir.root.resolve("second-heart.db").path, AppClock(clock))
        app.sessions().logWalk(Instant.parse("2026-11-21T07:30:00Z"), null, 1800, 3000)
        val first = app.reminders().upcoming(1u).single()
        // A minute past it, its alarm not gone off yet (the app opened, a glass logged): the alarms are set again.
        now = first.dueAt.plusSeconds(60)
        PhoneReminders(Core(app, AppClock(clock)), ReminderScheduler(context), worker = Runnable::run).use {
            assertEquals("the reminder due keeps an alarm, now", now, alarmTimes().first())
            val alarm = shadowOf(alarms).scheduledAlarms.minByOrNull { it.triggerAtMs }!!
            ReminderReceiver().onReceive(context, shadowOf(alarm.operation).savedIntent)
            assertEquals(first.title, shadowOf(notifications).allNotifications.single().extras.getString(android.app.Notification.EXTRA_TITLE))
        }
        app.close()
    }

    @Test
    fun `after a restart or a change of clock or time zone every alarm is set again, off the caller's thread`() {
        ShadowAlarmManager.setCanScheduleExactAlarms(true)
        val app = SecondHeart.open(dir.root.resolve("second-heart.db").path, AppClock(clock))
        app.sessions().logWalk(Instant.parse("2026-11-21T07:30:00Z"), null, 1800, 3000)
        val expected = app.reminders().upcoming(PhoneReminders.LIMIT).map { it.dueAt }.filter { !it.isBefore(now) }
        assertTrue("a schedule to set: $expected", expected.size >= 2)
        PhoneReminders(Core(app, AppClock(clock)), ReminderScheduler(context)).use {
            waitFor("the alarms set at start") { alarmTimes() == expected }
            for (action in RescheduleReceiver.ACTIONS) {
                // Android dropped every alarm (a restart does; a clock change may move them).
                dropAlarms()
                val thread = broadcast(action)
                assertEquals(action, expected, alarmTimes())
                assertEquals("the core is read and the alarms set off the main thread", "second-heart-reminders", thread)
            }
            // Any other broadcast leaves the alarms alone.
            dropAlarms()
            RescheduleReceiver().onReceive(context, Intent(Intent.ACTION_SCREEN_ON))
            Thread.sleep(100)
            assertTrue(shadowOf(alarms).scheduledAlarms.isEmpty())
        }
        assertEquals(null, RescheduleReceiver.onReschedule)
        app.close()
    }

    @Test
    fun `a new time zone moves the reminders out of its quiet hours, and the alarms with them`() {
        ShadowAlarmManager.setCanScheduleExactAlarms(true)
        val app = SecondHeart.open(dir.root.resolve("second-heart.db").path, AppClock(clock))
        app.sessions().logWalk(Instant.parse("2026-11-21T07:30:00Z"), null, 1800, 3000)
        fun upcoming() = app.reminders().upcoming(PhoneReminders.LIMIT).map { it.dueAt }.filter { !it.isBefore(now) }
        PhoneReminders(Core(app, AppClock(clock)), ReminderScheduler(context)).use {
            val berlin = upcoming()
            waitFor("the alarms set at start") { alarmTimes() == berlin }
            // Landed in Auckland: 09:00 UTC is 22:00 there, inside the quiet hours (22:00–07:00).
            where = ZoneId.of("Pacific/Auckland")
            val auckland = upcoming()
            assertTrue("the quiet hours move the schedule: $berlin, $auckland", auckland.first() != berlin.first())
            broadcast(Intent.ACTION_TIMEZONE_CHANGED)
            assertEquals("every alarm follows, none is left from Berlin", auckland, alarmTimes())
        }
        app.close()
    }

    @Test
    fun `a process started by the change of zone replaces the alarms the process before it set, and a stale alarm shows nothing`() {
        ShadowAlarmManager.setCanScheduleExactAlarms(true)
        val app = SecondHeart.open(dir.root.resolve("second-heart.db").path, AppClock(clock))
        app.sessions().logWalk(Instant.parse("2026-11-21T07:30:00Z"), null, 1800, 3000)
        fun upcoming() = app.reminders().upcoming(PhoneReminders.LIMIT).map { it.dueAt }.filter { !it.isBefore(now) }
        val berlin = upcoming()
        PhoneReminders(Core(app, AppClock(clock)), ReminderScheduler(context), worker = Runnable::run).close()
        assertEquals(berlin, alarmTimes())
        val stale = shadowOf(shadowOf(alarms).scheduledAlarms.minByOrNull { it.triggerAtMs }!!.operation).savedIntent

        // The process died; the phone lands in Auckland (22:00 there: quiet hours) and a new one starts.
        where = ZoneId.of("Pacific/Auckland")
        PhoneReminders(Core(app, AppClock(clock)), ReminderScheduler(context), worker = Runnable::run).use {
            broadcast(Intent.ACTION_TIMEZONE_CHANGED)
            assertEquals("none is left from Berlin", upcoming(), alarmTimes())
            // Had Android fired one of Berlin's alarms first, at 22:45 in Auckland: nothing is due, nothing shows.
            now = berlin.first()
            ReminderReceiver().onReceive(context, stale)
            val shown = shadowOf(notifications).allNotifications.map { it.extras.getString(android.app.Notification.EXTRA_TEXT) }
            assertEquals("at $now, berlin $berlin, next ${app.reminders().next()}", emptyList<String>(), shown)
        }
        app.close()
    }

    /** Sends [action] to the receiver as Android would and waits until it finished; returns the thread that did the work. */
    private fun broadcast(action: String): String {
        val finished = CountDownLatch(1)
        var thread = ""
        val onReschedule = RescheduleReceiver.onReschedule!!
        RescheduleReceiver.onReschedule = { done ->
            onReschedule {
                thread = Thread.currentThread().name
                done()
                finished.countDown()
            }
        }
        RescheduleReceiver().onReceive(context, Intent(action))
        RescheduleReceiver.onReschedule = onReschedule
        assertTrue("$action finishes its broadcast", finished.await(10, TimeUnit.SECONDS))
        return thread
    }

    private fun dropAlarms() {
        shadowOf(alarms).scheduledAlarms.toList().forEach { alarms.cancel(it.operation) }
        assertTrue(shadowOf(alarms).scheduledAlarms.isEmpty())
    }

    private fun waitFor(what: String, condition: () -> Boolean) {
        val deadline = System.nanoTime() + 10_000_000_000
        while (!condition() && System.nanoTime() < deadline) Thread.sleep(20)
        assertTrue(what, condition())
    }
}
