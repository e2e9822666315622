package app.secondheart.android

import android.content.Context
import android.hardware.Sensor
import android.hardware.SensorEvent
import android.hardware.SensorEventListener
import android.hardware.SensorManager
import app.secondheart.state.SessionPlatform

/**
 * The phone around a running session: the step-counter sensor for a walk
 * no Second Heart sensor counts, and [SessionService] in the foreground
 * while a session runs (connectedDevice with a sensor streaming, health
 * without), so a walk or a set keeps counting with the screen off. Without
 * the permission a feature needs ([Feature.PhoneSteps], [Feature.Sensors]),
 * it does without that feature rather than fail. The notification's
 * Finish finishes the session ([whenFinishAsked]).
 */
class PhoneSession(private val context: Context) : SessionPlatform {
    private val sensors = context.getSystemService(SensorManager::class.java)

    /** The step counter's listener while counting. */
    private var counting: SensorEventListener? = null

    /** What the foreground service shows, while it runs. */
    private var shown: Pair<String, Boolean>? = null

    @Synchronized
    override fun startSteps(onSteps: (Int) -> Unit) {
        if (counting != null || Permissions.missing(context, Feature.PhoneSteps).isNotEmpty()) return
        val counter = sensors?.getDefaultSensor(Sensor.TYPE_STEP_COUNTER) ?: return
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
    }

    @Synchronized
    override fun stopSteps() {
        counting?.let { sensors?.unregisterListener(it) }
        counting = null
    }

    @Synchronized
    override fun sessionRunning(title: String, bySensor: Boolean) {
        // Shown already, unless the service was ended since (by the system, or by Finish without the app's models).
        if (shown == title to bySensor && SessionService.running) return
        val needs = if (bySensor) Feature.Sensors else Feature.PhoneSteps
        if (Permissions.missing(context, needs).isNotEmpty()) return
        try {
            SessionService.start(context, title, if (bySensor) "Counted by your sensor" else "Counting", bySensor)
            shown = title to bySensor
        } catch (e: IllegalStateException) {
            // Android refuses a foreground service started from the background; the next change in sight starts it.
        }
    }

    /** The notification's Finish ends the session through [finish] (nothing once `null`). */
    override fun whenFinishAsked(finish: (() -> Unit)?) {
        SessionService.onFinish = finish
    }

    @Synchronized
    override fun sessionEnded() {
        if (shown == null) return
        shown = null
        SessionService.stop(context)
    }
}
