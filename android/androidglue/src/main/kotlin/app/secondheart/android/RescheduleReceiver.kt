package app.secondheart.android

import android.app.AlarmManager
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent

/**
 * Sets the break reminders' alarms again when Android dropped or moved
 * them: after a restart (alarms do not survive one) or an update of the app,
 * when the clock or the time zone changed (the core's quiet hours are
 * local time), and when the user allowed exact alarms (those set within a
 * window become exact). The broadcast starts the app's process if it was not
 * running, and the app's [PhoneReminders] sets every alarm through
 * [onReschedule], off the main thread; the broadcast stays open until it
 * has ([goAsync]), so the process is not stopped half-way.
 */
class RescheduleReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        if (intent.action !in ACTIONS) return
        onReschedule?.let(::finishing)
    }

    companion object {
        /** The broadcasts after which the alarms are set again (each in the manifest's filter). */
        val ACTIONS = setOf(
            Intent.ACTION_BOOT_COMPLETED,
            Intent.ACTION_MY_PACKAGE_REPLACED,
            Intent.ACTION_TIME_CHANGED,
            Intent.ACTION_TIMEZONE_CHANGED,
            AlarmManager.ACTION_SCHEDULE_EXACT_ALARM_PERMISSION_STATE_CHANGED,
        )

        /** Set by the app ([PhoneReminders]): set every alarm again, then call `done`. */
        @Volatile
        var onReschedule: ((done: () -> Unit) -> Unit)? = null
    }
}
