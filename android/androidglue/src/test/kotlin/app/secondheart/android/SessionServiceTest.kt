package app.secondheart.android

import android.app.Notification
import android.content.Intent
import android.content.pm.ServiceInfo
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
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
    fun `stopped before it reached the foreground, it stops itself once there instead of being stopped half-way`() {
        // A sync that failed at once: its end comes before the service has started.
        SessionService.start(app, "Syncing SH-1", "Reading the records your sensor kept", sensor = true, finishable = false)
        SessionService.stop(app)
        assertNull("not stopped before startForeground, which Android punishes", shadowOf(app).nextStoppedService)
        val controller = Robolectric.buildService(SessionService::class.java, shadowOf(app).nextStartedService)
        val service = controller.create().startCommand(0, 1).get()
        assertTrue("it stops itself once in the foreground", shadowOf(service).isStoppedBySelf)
        assertTrue("and takes its notification away", shadowOf(service).isForegroundStopped)
        controller.destroy()

        // A walk started while the stopped one still winds down, and a sync
        // started and failed at once after it: the sync's stop waits for its start.
        SessionService.start(app, "Walk", "Counting", sensor = false)
        val walk = shadowOf(app).nextStartedService
        SessionService.start(app, "Syncing SH-1", "Reading the records your sensor kept", sensor = true, finishable = false)
        val sync = shadowOf(app).nextStartedService
        SessionService.stop(app)
        assertNull(shadowOf(app).nextStoppedService)
        val both = Robolectric.buildService(SessionService::class.java, walk).create()
        both.startCommand(0, 2)
        assertFalse("a start still on its way keeps it", shadowOf(both.get()).isStoppedBySelf)
        both.withIntent(sync).startCommand(0, 3)
        assertTrue("stopped once the last start is in the foreground", shadowOf(both.get()).isStoppedBySelf)
        both.destroy()

        // Once in the foreground, a stop stops it straight away.
        SessionService.start(app, "Walk", "Counting", sensor = false)
        val running = Robolectric.buildService(SessionService::class.java, shadowOf(app).nextStartedService)
        running.create().startCommand(0, 1)
        SessionService.stop(app)
        assertNotNull(shadowOf(app).nextStoppedService)
        assertFalse(shadowOf(running.get()).isStoppedBySelf)
        running.destroy()
    }

    @Test
    fun `a start the service reaches before its caller goes on is counted, and the stop after it stops it`() {
        // The main thread runs the service's start before the thread that asked for it gets on.
        val controller = Robolectric.buildService(SessionService::class.java, SessionService.intent(app, "Walk", "Counting", sensor = false)).create()
        val eager = object : android.content.ContextWrapper(app) {
            override fun startForegroundService(service: Intent): android.content.ComponentName? {
                controller.withIntent(service).startCommand(0, 1)
                return service.component
            }
        }
        SessionService.start(eager, "Walk", "Counting", sensor = false)
        SessionService.stop(app)
        assertNotNull("stopped, not left waiting for a start that has come", shadowOf(app).nextStoppedService)
        controller.destroy()
    }

    @Test
    fun `without the app's models loaded, Finish takes the notification away`() {
        val service = Robolectric.buildService(SessionService::class.java, SessionService.intent(app, "Walk", "Counting", sensor = false)).create().startCommand(0, 1).get()
        service.onStartCommand(Intent(app, SessionService::class.java).setAction(SessionService.ACTION_FINISH), 0, 2)
        assertTrue(shadowOf(service).isStoppedBySelf)
    }
}
