package app.secondheart.android

import android.app.Notification
import android.content.Intent
import android.content.pm.ServiceInfo
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.Robolectric
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.Shadows.shadowOf
import org.robolectric.annotation.Config

@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34])
class SessionServiceTest {
    private val app = RuntimeEnvironment.getApplication()

    @Test
    fun `a walk with a sensor runs as a connected-device foreground service with a Finish action`() {
        val controller = Robolectric.buildService(SessionService::class.java, SessionService.intent(app, "Walk", "12 min · 1,240 steps", sensor = true))
        val service = controller.create().startCommand(0, 1).get()
        val shadow = shadowOf(service)
        val shown = shadow.lastForegroundNotification
        assertEquals("Walk", shown.extras.getString(Notification.EXTRA_TITLE))
        assertEquals("12 min · 1,240 steps", shown.extras.getString(Notification.EXTRA_TEXT))
        assertEquals(ReminderNotifier.CHANNEL_SESSIONS, shown.channelId)
        assertEquals(ServiceInfo.FOREGROUND_SERVICE_TYPE_CONNECTED_DEVICE, service.foregroundServiceType)
        assertEquals(listOf("Finish"), shown.actions.map { it.title.toString() })
    }

    @Test
    fun `a set without a sensor is a health foreground service, and Finish finishes the set`() {
        val controller = Robolectric.buildService(SessionService::class.java, SessionService.intent(app, "Calf raises", "Counting", sensor = false))
        val service = controller.create().startCommand(0, 1).get()
        assertEquals(ServiceInfo.FOREGROUND_SERVICE_TYPE_HEALTH, service.foregroundServiceType)
        var finished = 0
        SessionService.onFinish = { finished++ }
        try {
            service.onStartCommand(Intent(app, SessionService::class.java).setAction(SessionService.ACTION_FINISH), 0, 2)
        } finally {
            SessionService.onFinish = null
        }
        assertEquals("the session is finished, not only its notification", 1, finished)
        assertFalse("the session's end takes the notification away, once saved", shadowOf(service).isStoppedBySelf)
    }

    @Test
    fun `without the app's models loaded, Finish takes the notification away`() {
        val service = Robolectric.buildService(SessionService::class.java, SessionService.intent(app, "Walk", "Counting", sensor = false)).create().startCommand(0, 1).get()
        service.onStartCommand(Intent(app, SessionService::class.java).setAction(SessionService.ACTION_FINISH), 0, 2)
        assertTrue(shadowOf(service).isStoppedBySelf)
    }
}
