package app.secondheart.android

import android.Manifest
import android.hardware.Sensor
import android.hardware.SensorManager
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
import org.robolectric.shadows.ShadowSensor
import org.robolectric.shadows.ShadowSensorManager

/**
 * The phone around a session: the step counter's increases reach the walk,
 * and the foreground service runs while a session does.
 */
@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34])
class PhoneSessionTest {
    private val app = RuntimeEnvironment.getApplication()
    private val sensors = app.getSystemService(SensorManager::class.java)

    private fun stepsSoFar(total: Float) = ShadowSensorManager.createSensorEvent(1, Sensor.TYPE_STEP_COUNTER).also { it.values[0] = total }

    @Test
    fun `the step counter's increases reach the walk from its first reading on, until it stops`() {
        shadowOf(app).grantPermissions(Manifest.permission.ACTIVITY_RECOGNITION)
        shadowOf(sensors).addSensor(ShadowSensor.newInstance(Sensor.TYPE_STEP_COUNTER))
        val phone = PhoneSession(app)
        val heard = mutableListOf<Int>()
        phone.startSteps { heard += it }
        phone.startSteps { heard += -it }
        assertEquals("one listener however often asked", 1, shadowOf(sensors).listeners.size)
        // The counter counts from boot: its first reading is the baseline.
        shadowOf(sensors).sendSensorEventToListeners(stepsSoFar(12_000f))
        shadowOf(sensors).sendSensorEventToListeners(stepsSoFar(12_012f))
        shadowOf(sensors).sendSensorEventToListeners(stepsSoFar(12_012f))
        shadowOf(sensors).sendSensorEventToListeners(stepsSoFar(12_130f))
        assertEquals(listOf(12, 118), heard)
        phone.stopSteps()
        assertEquals(0, shadowOf(sensors).listeners.size)
    }

    @Test
    fun `without activity recognition the phone counts no steps, says why, and opens the app's settings page`() {
        shadowOf(sensors).addSensor(ShadowSensor.newInstance(Sensor.TYPE_STEP_COUNTER))
        val phone = PhoneSession(app)
        val refused = phone.startSteps { }
        assertEquals(0, shadowOf(sensors).listeners.size)
        assertTrue(refused!!, refused.contains("allow Physical activity"))
        assertTrue(phone.stepsRefused())
        phone.openAppPermissions()
        val opened = shadowOf(app).nextStartedActivity
        assertEquals(android.provider.Settings.ACTION_APPLICATION_DETAILS_SETTINGS, opened.action)
        assertEquals("package:${app.packageName}", opened.dataString)
        shadowOf(app).grantPermissions(Manifest.permission.ACTIVITY_RECOGNITION)
        assertFalse(phone.stepsRefused())
    }

    @Test
    fun `a phone without a step counter says so`() {
        shadowOf(app).grantPermissions(Manifest.permission.ACTIVITY_RECOGNITION)
        val refused = PhoneSession(app).startSteps { }
        assertTrue(refused!!, refused.contains("no step counter"))
    }

    /** The start asked for last, delivered to a service as the system would (Robolectric starts nothing by itself). */
    private fun delivered(): android.content.Intent =
        shadowOf(app).nextStartedService.also { Robolectric.buildService(SessionService::class.java, it).create().startCommand(0, 1) }

    @Test
    fun `a running session keeps the foreground service, started once for what it shows, and its end stops it`() {
        shadowOf(app).grantPermissions(Manifest.permission.ACTIVITY_RECOGNITION, Manifest.permission.BLUETOOTH_SCAN, Manifest.permission.BLUETOOTH_CONNECT)
        val phone = PhoneSession(app)
        phone.sessionRunning("Walk", bySensor = false)
        val started = shadowOf(app).nextStartedService
        assertEquals("Walk", started.getStringExtra(SessionService.EXTRA_TITLE))
        assertFalse(started.getBooleanExtra(SessionService.EXTRA_SENSOR, true))
        // The service runs (Robolectric starts nothing by itself).
        val service = Robolectric.buildService(SessionService::class.java, started).create().startCommand(0, 1).get()
        phone.sessionRunning("Walk", bySensor = false)
        assertNull("the same session is not started again", shadowOf(app).nextStartedService)
        phone.sessionRunning("Walk", bySensor = true)
        assertEquals(true, delivered().getBooleanExtra(SessionService.EXTRA_SENSOR, false))

        // The notification's Finish asks the app to finish the session (whose end stops the
        // service); a service the system ended meanwhile is shown again at the session's next change.
        var asked = 0
        phone.whenFinishAsked { asked++ }
        service.onStartCommand(android.content.Intent(app, SessionService::class.java).setAction(SessionService.ACTION_FINISH), 0, 2)
        SessionService.onFinish = null
        assertEquals(1, asked)
        service.onDestroy()
        phone.sessionRunning("Walk", bySensor = true)
        assertEquals("Walk", delivered().getStringExtra(SessionService.EXTRA_TITLE))

        phone.sessionEnded()
        assertEquals(SessionService::class.java.name, shadowOf(app).nextStoppedService.component?.className)
        phone.sessionEnded()
        assertNull("stopped once", shadowOf(app).nextStoppedService)
    }

    @Test
    fun `a sync keeps the foreground service without Finish, gives way to a session, and its end stops it`() {
        shadowOf(app).grantPermissions(Manifest.permission.ACTIVITY_RECOGNITION, Manifest.permission.BLUETOOTH_SCAN, Manifest.permission.BLUETOOTH_CONNECT)
        val phone = PhoneSession(app)
        phone.syncRunning("Syncing SH-1")
        val syncing = shadowOf(app).nextStartedService
        assertEquals("Syncing SH-1", syncing.getStringExtra(SessionService.EXTRA_TITLE))
        val service = Robolectric.buildService(SessionService::class.java, syncing).create().startCommand(0, 1).get()
        val shown = shadowOf(service).lastForegroundNotification
        assertEquals("nothing to finish: Devices cancels a sync", 0, shown.actions?.size ?: 0)
        assertNotNull("a tap opens the app", shown.contentIntent)

        // A walk counted by the sensor meanwhile shows instead, with its Finish; after it, the sync again.
        phone.sessionRunning("Walk", bySensor = true)
        assertEquals("Walk", delivered().getStringExtra(SessionService.EXTRA_TITLE))
        phone.sessionEnded()
        assertEquals("Syncing SH-1", delivered().getStringExtra(SessionService.EXTRA_TITLE))
        assertNull("the service stays for the sync", shadowOf(app).nextStoppedService)
        phone.syncEnded()
        assertEquals(SessionService::class.java.name, shadowOf(app).nextStoppedService.component?.className)
    }
}
