package app.secondheart.android

import android.app.AlarmManager
import android.app.Notification
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import android.os.Build
import java.time.Instant

/** A break reminder from the core's schedule, as the phone shows it. */
data class PhoneReminder(
    /** Stable id from the core: a rescheduled reminder replaces its alarm and notification. */
    val id: Int,
    val at: Instant,
    /** "Time for a break". */
    val title: String,
    /** "You have sat for 45 min: 10 calf raises or a short walk." */
    val text: String,
)

/**
 * Posts reminders as notifications, on their own channel, with Done and
 * Snooze actions that come back to [ReminderReceiver].
 */
class ReminderNotifier(private val context: Context) {
    private val manager = context.getSystemService(NotificationManager::class.java)

    /** Creates the app's channels (idempotent). */
    fun createChannels() {
        manager.createNotificationChannel(
            NotificationChannel(CHANNEL_REMINDERS, "Break reminders", NotificationManager.IMPORTANCE_HIGH).apply {
                description = "Reminders to move after sitting, and steps of a flight plan"
            },
        )
        manager.createNotificationChannel(
            NotificationChannel(CHANNEL_SESSIONS, "Sessions and syncs", NotificationManager.IMPORTANCE_LOW).apply {
                description = "Shown while a walk, a set, a flight or a sensor sync runs"
            },
        )
    }

    /** Shows [reminder] now. */
    fun show(reminder: PhoneReminder) {
        createChannels()
        val notification = Notification.Builder(context, CHANNEL_REMINDERS)
            .setSmallIcon(android.R.drawable.ic_popup_reminder)
            .setContentTitle(reminder.title)
            .setContentText(reminder.text)
            .setStyle(Notification.BigTextStyle().bigText(reminder.text))
            .setCategory(Notification.CATEGORY_REMINDER)
            .setAutoCancel(true)
            .addAction(action(reminder.id, ACTION_DONE, "Done", 0))
            .addAction(action(reminder.id, ACTION_SNOOZE, "In 10 min", 1))
            .build()
        manager.notify(TAG, reminder.id, notification)
    }

    /** Removes the notification of reminder [id]. */
    fun dismiss(id: Int) = manager.cancel(TAG, id)

    private fun action(id: Int, action: String, label: String, slot: Int): Notification.Action {
        val intent = Intent(context, ReminderReceiver::class.java).setAction(action).putExtra(EXTRA_ID, id)
        val pending = PendingIntent.getBroadcast(context, id * 2 + slot, intent, PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT)
        return Notification.Action.Builder(null, label, pending).build()
    }

    companion object {
        const val CHANNEL_REMINDERS = "reminders"
        const val CHANNEL_SESSIONS = "sessions"
        const val TAG = "reminder"
        const val ACTION_SHOW = "app.secondheart.reminder.SHOW"
        const val ACTION_DONE = "app.secondheart.reminder.DONE"
        const val ACTION_SNOOZE = "app.secondheart.reminder.SNOOZE"
        const val EXTRA_ID = "id"
        const val EXTRA_TITLE = "title"
        const val EXTRA_TEXT = "text"
    }
}

/** How a reminder's alarm was set. */
enum class AlarmPrecision {
    /** To the minute, even in Doze (the user allowed exact alarms). */
    Exact,

    /** Within Android's window, possibly minutes late (exact alarms not allowed). */
    Inexact,
}

/**
 * Sets an alarm for each reminder of the core's schedule. Exact when the
 * user allowed exact alarms (Android 12+ asks; see [Permissions.exactAlarmSettings]),
 * otherwise within a short window, never silently dropped.
 */
class ReminderScheduler(private val context: Context) {
    private val alarms = context.getSystemService(AlarmManager::class.java)

    /** Whether exact alarms are allowed. */
    fun exactAllowed(): Boolean = Build.VERSION.SDK_INT < 31 || alarms.canScheduleExactAlarms()

    /** Replaces the alarms with one per reminder in [schedule]; returns how each was set. */
    fun schedule(schedule: List<PhoneReminder>, previous: List<PhoneReminder> = emptyList()): List<AlarmPrecision> {
        previous.forEach { cancel(it.id) }
        return schedule.map { set(it) }
    }

    private fun set(reminder: PhoneReminder): AlarmPrecision {
        val intent = Intent(context, ReminderReceiver::class.java)
            .setAction(ReminderNotifier.ACTION_SHOW)
            .putExtra(ReminderNotifier.EXTRA_ID, reminder.id)
            .putExtra(ReminderNotifier.EXTRA_TITLE, reminder.title)
            .putExtra(ReminderNotifier.EXTRA_TEXT, reminder.text)
        val at = reminder.at.toEpochMilli()
        return if (exactAllowed()) {
            alarms.setExactAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, at, pending(reminder.id, intent))
            AlarmPrecision.Exact
        } else {
            alarms.setWindow(AlarmManager.RTC_WAKEUP, at, INEXACT_WINDOW_MS, pending(reminder.id, intent))
            AlarmPrecision.Inexact
        }
    }

    /** Cancels the alarm of reminder [id]. */
    fun cancel(id: Int) {
        val intent = Intent(context, ReminderReceiver::class.java).setAction(ReminderNotifier.ACTION_SHOW)
        alarms.cancel(pending(id, intent))
    }

    private fun pending(id: Int, intent: Intent): PendingIntent =
        PendingIntent.getBroadcast(context, id, intent, PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT)

    private companion object {
        const val INEXACT_WINDOW_MS = 5 * 60 * 1000L
    }
}

/**
 * Receives reminder alarms (shows the notification and tells
 * [ReminderReceiver.onShown]) and the notification's actions (hands them to
 * [ReminderReceiver.onAction]); [PhoneReminders] sets both to tell the core,
 * off the main thread, and the broadcast stays open until they are done
 * ([goAsync]): an alarm may have started the process for this alone.
 */
class ReminderReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        val id = intent.getIntExtra(ReminderNotifier.EXTRA_ID, -1)
        if (id < 0) return
        when (intent.action) {
            ReminderNotifier.ACTION_SHOW -> {
                ReminderNotifier(context).show(
                    PhoneReminder(
                        id,
                        Instant.now(),
                        intent.getStringExtra(ReminderNotifier.EXTRA_TITLE) ?: "Time to move",
                        intent.getStringExtra(ReminderNotifier.EXTRA_TEXT) ?: "",
                    ),
                )
                onShown?.let { tell -> finishing { done -> tell(id, done) } }
            }
            ReminderNotifier.ACTION_DONE, ReminderNotifier.ACTION_SNOOZE -> {
                ReminderNotifier(context).dismiss(id)
                val snoozed = intent.action == ReminderNotifier.ACTION_SNOOZE
                onAction?.let { tell -> finishing { done -> tell(id, snoozed, done) } }
            }
        }
    }

    companion object {
        /** Set by the app ([PhoneReminders]): reminder [id] was done (false) or snoozed (true); call `done` once told. */
        @Volatile
        var onAction: ((id: Int, snoozed: Boolean, done: () -> Unit) -> Unit)? = null

        /** Set by the app ([PhoneReminders]): reminder [id] was posted; call `done` once told. */
        @Volatile
        var onShown: ((id: Int, done: () -> Unit) -> Unit)? = null
    }
}

/**
 * Runs [work] with the broadcast kept open until it calls back (a receiver
 * called directly, outside a broadcast, has nothing to keep open).
 */
internal fun BroadcastReceiver.finishing(work: (done: () -> Unit) -> Unit) {
    val pending: BroadcastReceiver.PendingResult? = goAsync()
    work { pending?.finish() }
}
