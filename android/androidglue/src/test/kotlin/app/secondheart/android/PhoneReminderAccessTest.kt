package app.secondheart.android

import android.app.NotificationChannel
import android.app.NotificationManager
import android.provider.Settings
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config
import org.robolectric.shadows.ShadowAlarmManager

@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34])
class PhoneReminderAccessTest {
    private val app = RuntimeEnvironment.getApplication()
    private val notifications = app.getSystemService(NotificationManager::class.java)
    private val access = PhoneReminderAccess(app)

    @After
    fun allowAgain() = shadowOf(notifications).setNotificationsEnabled(true)

    @Test
    fun `with the app's notifications refused, reminders cannot show and the app's notification page opens`() {
        assertTrue(access.canShow())
        shadowOf(notifications).setNotificationsEnabled(false)
        assertFalse(access.canShow())
        access.openSettings()
        val opened = shadowOf(app).nextStartedActivity
        assertEquals(Settings.ACTION_APP_NOTIFICATION_SETTINGS, opened.action)
        assertEquals(app.packageName, opened.getStringExtra(Settings.EXTRA_APP_PACKAGE))
    }

    @Test
    fun `asking whether reminders can show, as Settings does at each visit, changes nothing on the phone`() {
        assertTrue(access.canShow())
        assertTrue("the channels come with the first reminder, not with a question", notifications.notificationChannels.isEmpty())
    }

    @Test
    fun `with only the reminders' channel turned off, that channel's page opens`() {
        // The user turned the channel off (as the app's later creations of it leave it).
        notifications.createNotificationChannel(
            NotificationChannel(ReminderNotifier.CHANNEL_REMINDERS, "Break reminders", NotificationManager.IMPORTANCE_NONE),
        )
        assertFalse(access.canShow())
        access.openSettings()
        val opened = shadowOf(app).nextStartedActivity
        assertEquals(Settings.ACTION_CHANNEL_NOTIFICATION_SETTINGS, opened.action)
        assertEquals(ReminderNotifier.CHANNEL_REMINDERS, opened.getStringExtra(Settings.EXTRA_CHANNEL_ID))
        notifications.deleteNotificationChannel(ReminderNotifier.CHANNEL_REMINDERS)
    }

    @Test
    fun `reminders without exact alarms are not on time, and the phone's alarms page for the app opens`() {
        ShadowAlarmManager.setCanScheduleExactAlarms(false)
        assertFalse(access.onTime())
        access.openTimingSettings()
        val opened = shadowOf(app).nextStartedActivity
        assertEquals(Settings.ACTION_REQUEST_SCHEDULE_EXACT_ALARM, opened.action)
        assertEquals("package:${app.packageName}", opened.dataString)
        ShadowAlarmManager.setCanScheduleExactAlarms(true)
        assertTrue(access.onTime())
        access.openTimingSettings()
        assertEquals("allowed already: nothing to open", null, shadowOf(app).nextStartedActivity)
    }
}
