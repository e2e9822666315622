package app.secondheart.android

import android.Manifest
import android.content.Context
import android.content.Intent
import android.hardware.Sensor
import android.hardware.SensorEvent
import android.hardware.SensorEventListener
import android.hardware.SensorManager
import app.secondheart.state.SessionPlatform

/**
 * The phone around a running session: the step-counter sensor for a walk
 * no Second Heart sensor counts, and [SessionService] in the foreground
 * while a session runs (connectedDevice with a sensor streaming, health
 * without), so a walk or a set keeps counting with the screen off, and
 * while a pairing or sync reads a sensor (connectedDevice, no Finish), so
 * leaving the app does not freeze it half-way. Without
 * the permission a feature needs ([Feature.PhoneSteps], [Feature.Sensors]),
 * it does without that feature rather than fail. The notification's
 * Finish finishes the session ([whenFinishAsked]).
 */
class PhoneSession(private val context: Context) : SessionPlatform {
    private val sensors = context.getSystemService(SensorManager::class.java)

    /** The step counter's listener while counting. */
    private var counting: SensorEventListener? = null

    /** What the foreground service shows, while it runs. */
    private var shown: Shown? = null

    override fun stepsRefused(): Boolean = Permissions.missing(context, Feature.PhoneSteps).isNotEmpty()

    override fun openAppPermissions() {
        context.startActivity(Permissions.appSettings(context).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK))
    }

    @Synchronized
    override fun startSteps(onSteps: (Int) -> Unit): String? {
        if (counting != null) return null
        if (stepsRefused()) {
            return "Not counted: allow Physical activity for Second Heart in the phone's settings, or log the steps by hand."
        }
        val counter = sensors?.getDefaultSensor(Sensor.TYPE_STEP_COUNTER)
            ?: return "Not counted: this phone has no step counter. Pair a sensor, or log the steps by hand."
        val listener = object : SensorEventListener {
            /** The count since boot at the last event: the first event only sets it. */
            private var last: Float? = null

            override fun onSensorChanged(event: SensorEvent) {
                val total = event.values[0]
                val delta = last?.let { (total - it).toInt() } ?: 0
                last = total
                if (delta > 0) onSteps(delta)
            }

            override fun onAccuracyChanged(sensor: Sensor?, accuracy: Int) {}
        }
        counting = listener
        sensors.registerListener(listener, counter, SensorManager.SENSOR_DELAY_NORMAL)
        return null
    }

    @Synchronized
    override fun stopSteps() {
        counting?.let { sensors?.unregisterListener(it) }
        counting = null
    }

    /** What the foreground service shows: a session with Finish, or a sync without. */
    private data class Shown(val title: String, val text: String, val sensor: Boolean, val finishable: Boolean)

    /** The session running, and whether a sensor counts it. */
    private var session: Pair<String, Boolean>? = null

    /** What a pairing or sync running shows ("Syncing SH-1"), while one runs. */
    private var syncing: String? = null

    @Synchronized
    override fun sessionRunning(title: String, bySensor: Boolean) {
        session = title to bySensor
        show()
    }

    @Synchronized
    override fun sessionEnded() {
        session = null
        show()
    }

    @Synchronized
    override fun syncRunning(title: String) {
        syncing = title
        show()
    }

    @Synchronized
    override fun syncEnded() {
        syncing = null
        show()
    }

    /** The notification's Finish ends the session through [finish] (nothing once `null`). */
    override fun whenFinishAsked(finish: (() -> Unit)?) {
        SessionService.onFinish = finish
    }

    /** Brings the foreground service in line: the session first, else the sync, else none. */
    private fun show() {
        val wanted = session?.let { (title, bySensor) ->
            Shown(title, if (bySensor) "Counted by your sensor" else "Counting", bySensor, finishable = true)
        } ?: syncing?.let { Shown(it, "Reading the records your sensor kept", sensor = true, finishable = false) }
        if (wanted == null) {
            if (shown == null) return
            shown = null
            SessionService.stop(context)
            return
        }
        // Shown already, unless the service was ended since (by the system, or by Finish without the app's models).
        if (shown == wanted && SessionService.running) return
        // A sensor's link needs Nearby devices (Android 12 on; Location only scans, before); the step counter its own.
        val missing = if (wanted.sensor) {
            Permissions.missing(context, Feature.Sensors).filter { it == Manifest.permission.BLUETOOTH_CONNECT }
        } else {
            Permissions.missing(context, Feature.PhoneSteps)
        }
        if (missing.isNotEmpty()) return
        try {
            SessionService.start(context, wanted.title, wanted.text, wanted.sensor, wanted.finishable)
            shown = wanted
        } catch (e: IllegalStateException) {
            // Android refuses a foreground service started from the background; the next change in sight starts it.
        }
    }
}
