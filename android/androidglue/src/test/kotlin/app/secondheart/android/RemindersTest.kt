package app.secondheart.android

import android.app.AlarmManager
import android.app.Notification
import android.app.NotificationManager
import android.content.Intent
import java.time.Instant
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.shadows.ShadowAlarmManager
import uniffi.second_heart.ReminderResponse

@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34])
class RemindersTest {
    private val app = RuntimeEnvironment.getApplication()
    private val notifications = app.getSystemService(NotificationManager::class.java)
    private val alarms = app.getSystemService(AlarmManager::class.java)
    private val at = Instant.parse("2026-12-01T10:30:00Z")
    private val reminder = PhoneReminder(at, "Time for a break", "You have sat for 45 min: 10 calf raises or a short walk.")

    @After
    fun reset() = ShadowAlarmManager.reset()

    @Test
    fun `a reminder is posted on the reminders channel with Done and Snooze`() {
        ReminderNotifier(app).show(reminder)
        val posted = shadowOf(notifications).allNotifications.single()
        assertEquals(ReminderNotifier.CHANNEL_REMINDERS, posted.channelId)
        assertEquals("Time for a break", posted.extras.getString(Notification.EXTRA_TITLE))
        assertEquals(reminder.text, posted.extras.getString(Notification.EXTRA_TEXT))
        assertEquals(listOf("Done", "In 10 min"), posted.actions.map { it.title.toString() })
        assertEquals(NotificationManager.IMPORTANCE_HIGH, notifications.getNotificationChannel(ReminderNotifier.CHANNEL_REMINDERS).importance)
    }

    @Test
    fun `with exact alarms allowed each reminder gets an exact alarm that works in Doze, and one that outlives exact alarms taken back`() {
        ShadowAlarmManager.setCanScheduleExactAlarms(true)
        val second = reminder.copy(at = at.plusSeconds(3600))
        assertEquals(listOf(AlarmPrecision.Exact, AlarmPrecision.Exact), ReminderScheduler(app).schedule(listOf(reminder, second)))
        val set = shadowOf(alarms).scheduledAlarms
        val (exact, idle) = set.partition { it.windowLengthMs == 0L }
        for (alarms in listOf(exact, idle)) {
            assertEquals(listOf(at.toEpochMilli(), at.plusSeconds(3600).toEpochMilli()), alarms.map { it.triggerAtMs }.sorted())
        }
        assertTrue(set.all { it.isAllowWhileIdle && it.type == AlarmManager.RTC_WAKEUP })
        assertNull(Permissions.exactAlarmSettings(app))
    }

    @Test
    fun `without the exact-alarm permission reminders still come, in Doze too, and the app knows where to ask`() {
        ShadowAlarmManager.setCanScheduleExactAlarms(false)
        assertEquals(listOf(AlarmPrecision.Inexact), ReminderScheduler(app).schedule(listOf(reminder)))
        val set = shadowOf(alarms).scheduledAlarms
        assertEquals(listOf(at.toEpochMilli(), at.toEpochMilli()), set.map { it.triggerAtMs })
        // Within five minutes, and a twin Doze does not hold to its next window.
        assertEquals(1, set.count { it.windowLengthMs == 5 * 60 * 1000L })
        assertEquals(1, set.count { it.isAllowWhileIdle })
        assertEquals(android.provider.Settings.ACTION_REQUEST_SCHEDULE_EXACT_ALARM, Permissions.exactAlarmSettings(app)?.action)
    }

    @Test
    fun `rescheduling replaces every earlier alarm, also those another process set`() {
        ShadowAlarmManager.setCanScheduleExactAlarms(true)
        ReminderScheduler(app).schedule(listOf(reminder, reminder.copy(at = at.plusSeconds(900))))
        // A new process (started by a change of time zone) knows nothing of them.
        val moved = reminder.copy(at = at.plusSeconds(600))
        ReminderScheduler(app).schedule(listOf(moved))
        assertEquals(listOf(moved.at.toEpochMilli()), shadowOf(alarms).scheduledAlarms.map { it.triggerAtMs }.distinct())
        // Exact alarms taken back since: the next schedule leaves no exact one behind.
        ShadowAlarmManager.setCanScheduleExactAlarms(false)
        ReminderScheduler(app).schedule(listOf(moved))
        assertEquals(0, shadowOf(alarms).scheduledAlarms.count { it.windowLengthMs == 0L })
    }

    @Test
    fun `the alarm shows the notification and its actions reach the app`() {
        ShadowAlarmManager.setCanScheduleExactAlarms(true)
        ReminderScheduler(app).schedule(listOf(reminder))
        val fired = shadowOf(alarms).scheduledAlarms.first().operation
        val intent: Intent = shadowOf(fired).savedIntent
        ReminderReceiver().onReceive(app, intent)
        assertEquals("Time for a break", shadowOf(notifications).allNotifications.single().extras.getString(Notification.EXTRA_TITLE))

        val heard = mutableListOf<ReminderResponse>()
        ReminderReceiver.onAction = { response, done ->
            heard += response
            done()
        }
        try {
            val posted = shadowOf(notifications).allNotifications.single()
            ReminderReceiver().onReceive(app, shadowOf(posted.actions[1].actionIntent).savedIntent)
            assertTrue("the notification goes once acted on", shadowOf(notifications).allNotifications.isEmpty())
            ReminderReceiver().onReceive(app, shadowOf(posted.actions[0].actionIntent).savedIntent)
            // Swiped away: dismissed, as iOS tells it.
            ReminderReceiver().onReceive(app, shadowOf(posted.deleteIntent).savedIntent)
        } finally {
            ReminderReceiver.onAction = null
        }
        assertEquals(listOf(ReminderResponse.SNOOZED, ReminderResponse.DONE, ReminderResponse.DISMISSED), heard)
    }

    @Test
    fun `an alarm shows what the app says is due, the follow-up in place of the reminder before it, and nothing when none is`() {
        ShadowAlarmManager.setCanScheduleExactAlarms(true)
        ReminderScheduler(app).schedule(listOf(reminder))
        val alarm = shadowOf(shadowOf(alarms).scheduledAlarms.first().operation).savedIntent
        var due: PhoneReminder? = reminder
        ReminderReceiver.onShown = { _, answer -> answer(due) }
        try {
            ReminderReceiver().onReceive(app, alarm)
            due = reminder.copy(title = "Still sitting?")
            ReminderReceiver().onReceive(app, alarm)
            val posted = shadowOf(notifications).allNotifications.single()
            assertEquals("one at a time", "Still sitting?", posted.extras.getString(Notification.EXTRA_TITLE))
            assertNotNull("a tap opens the app", posted.contentIntent)

            notifications.cancelAll()
            due = null
            ReminderReceiver().onReceive(app, alarm)
            assertTrue("the user moved since the alarm was set", shadowOf(notifications).allNotifications.isEmpty())
        } finally {
            ReminderReceiver.onShown = null
        }
    }

    @Test
    fun `notifications and sensors name the permissions still missing`() {
        assertEquals(listOf(android.Manifest.permission.POST_NOTIFICATIONS), Permissions.missing(app, Feature.Reminders))
        shadowOf(app).grantPermissions(android.Manifest.permission.POST_NOTIFICATIONS, android.Manifest.permission.BLUETOOTH_SCAN)
        assertTrue(Permissions.missing(app, Feature.Reminders).isEmpty())
        assertEquals(listOf(android.Manifest.permission.BLUETOOTH_CONNECT), Permissions.missing(app, Feature.Sensors))
        assertNotNull(Feature.PhoneSteps)
    }
}
