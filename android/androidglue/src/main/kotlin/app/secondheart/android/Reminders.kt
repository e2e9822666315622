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
import uniffi.second_heart.ReminderResponse

/** A break reminder from the core's schedule, as the phone shows it. */
data class PhoneReminder(
    val at: Instant,
    /** "Time for a break". */
    val title: String,
    /** "You have sat for 45 min: 10 calf raises or a short walk." */
    val text: String,
)

/**
 * Posts reminders as notifications, on their own channel, with Done and
 * Snooze actions that come back to [ReminderReceiver], as does swiping one
 * away (dismissed, as on iOS: the next one comes an interval later, not a
 * follow-up's 15 minutes). One at a time: a follow-up replaces the
 * reminder before it instead of piling up beside it. Tapping one opens the
 * app.
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
            .setContentIntent(openApp(context))
            .setAutoCancel(true)
            .addAction(Notification.Action.Builder(null, "Done", broadcast(ACTION_DONE, 0)).build())
            .addAction(Notification.Action.Builder(null, "In 10 min", broadcast(ACTION_SNOOZE, 1)).build())
            .setDeleteIntent(broadcast(ACTION_DISMISS, 2))
            .build()
        manager.notify(TAG, NOTIFICATION_ID, notification)
    }

    /** Removes the reminder shown, if any. */
    fun dismiss() = manager.cancel(TAG, NOTIFICATION_ID)

    /**
     * Whether a reminder posted now would be seen: not when the user
     * refused notifications (or turned the app's off) or turned the
     * reminders' channel off. A channel not made yet is made, turned on,
     * with the first reminder [show]n: asking does not make it.
     */
    fun canShow(): Boolean {
        if (appBlocked()) return false
        return manager.getNotificationChannel(CHANNEL_REMINDERS)?.importance != NotificationManager.IMPORTANCE_NONE
    }

    /** Whether the user refused the app's notifications (or turned them all off). */
    fun appBlocked(): Boolean = !manager.areNotificationsEnabled()

    /** [action] sent back to [ReminderReceiver]; each action its own [requestCode], so none replaces another. */
    private fun broadcast(action: String, requestCode: Int): PendingIntent {
        val intent = Intent(context, ReminderReceiver::class.java).setAction(action)
        return PendingIntent.getBroadcast(context, requestCode, intent, PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT)
    }

    companion object {
        const val CHANNEL_REMINDERS = "reminders"
        const val CHANNEL_SESSIONS = "sessions"
        const val TAG = "reminder"
        private const val NOTIFICATION_ID = 1
        const val ACTION_SHOW = "app.secondheart.reminder.SHOW"
        const val ACTION_DONE = "app.secondheart.reminder.DONE"
        const val ACTION_SNOOZE = "app.secondheart.reminder.SNOOZE"
        const val ACTION_DISMISS = "app.secondheart.reminder.DISMISS"
        const val EXTRA_TITLE = "title"
        const val EXTRA_TEXT = "text"
    }
}

/** How a reminder's alarm was set. */
enum class AlarmPrecision {
    /** To the minute, even in Doze (the user allowed exact alarms). */
    Exact,

    /** Within five minutes; in Doze, when its twin allowed while idle may run (exact alarms not allowed). */
    Inexact,
}

/**
 * Sets an alarm for each reminder of the core's schedule, in [SLOTS] fixed
 * slots: each schedule overwrites every slot, so no alarm of an earlier
 * schedule is left behind, even one set by a process that has since died.
 * Exact when the user allowed exact alarms (Android 12+ asks; see
 * [Permissions.exactAlarmSettings]), otherwise within a five-minute window,
 * each with a twin allowed while idle: Doze holds a window alarm until its
 * next maintenance window, and Android cancels exact alarms without a word
 * when the user takes the permission back.
 */
class ReminderScheduler(private val context: Context) {
    private val alarms = context.getSystemService(AlarmManager::class.java)

    /** Whether exact alarms are allowed. */
    fun exactAllowed(): Boolean = Build.VERSION.SDK_INT < 31 || alarms.canScheduleExactAlarms()

    /**
     * Replaces every alarm with one per reminder in [schedule] (the first
     * [SLOTS]); returns how each was set.
     */
    fun schedule(schedule: List<PhoneReminder>): List<AlarmPrecision> {
        val set = schedule.take(SLOTS).mapIndexed { slot, reminder -> set(slot, reminder) }
        (set.size until SLOTS).forEach(::cancel)
        return set
    }

    private fun set(slot: Int, reminder: PhoneReminder): AlarmPrecision {
        val intent = showIntent()
            .putExtra(ReminderNotifier.EXTRA_TITLE, reminder.title)
            .putExtra(ReminderNotifier.EXTRA_TEXT, reminder.text)
        val at = reminder.at.toEpochMilli()
        // Beside it, the same reminder allowed while idle, in a slot of its
        // own: Doze holds a window alarm until its next maintenance window,
        // and a user who takes exact alarms back has them cancelled without
        // a word to the app. Whichever fires second finds the reminder shown
        // already (the core's `shown` answers none), so it shows once.
        alarms.setAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, at, pending(slot + SLOTS, intent))
        return if (exactAllowed()) {
            alarms.setExactAndAllowWhileIdle(AlarmManager.RTC_WAKEUP, at, pending(slot, intent))
            AlarmPrecision.Exact
        } else {
            alarms.setWindow(AlarmManager.RTC_WAKEUP, at, INEXACT_WINDOW_MS, pending(slot, intent))
            AlarmPrecision.Inexact
        }
    }

    private fun cancel(slot: Int) {
        alarms.cancel(pending(slot, showIntent()))
        alarms.cancel(pending(slot + SLOTS, showIntent()))
    }

    private fun showIntent() = Intent(context, ReminderReceiver::class.java).setAction(ReminderNotifier.ACTION_SHOW)

    private fun pending(slot: Int, intent: Intent): PendingIntent =
        PendingIntent.getBroadcast(context, slot, intent, PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT)

    companion object {
        /** How many alarms are kept set ahead, as iOS keeps notifications. */
        const val SLOTS = 8
        private const val INEXACT_WINDOW_MS = 5 * 60 * 1000L
    }
}

/**
 * Receives reminder alarms and the notification's actions. An alarm asks
 * [ReminderReceiver.onShown] whether a reminder is due now, and shows the
 * one it answers (none: the user moved since the alarm was set), unless
 * the phone would not show it (notifications blocked): then nothing is
 * recorded as shown; Done,
 * Snooze and a swipe away go to [ReminderReceiver.onAction]. [PhoneReminders] sets both to
 * ask and tell the core off the main thread, and the broadcast stays open
 * until they are done ([goAsync]): an alarm may have started the process
 * for this alone. With no app to ask, or a core that cannot answer, the
 * alarm shows what it carries.
 */
class ReminderReceiver : BroadcastReceiver() {
    override fun onReceive(context: Context, intent: Intent) {
        when (intent.action) {
            ReminderNotifier.ACTION_SHOW -> {
                val carried = PhoneReminder(
                    Instant.now(),
                    intent.getStringExtra(ReminderNotifier.EXTRA_TITLE) ?: "Time to move",
                    intent.getStringExtra(ReminderNotifier.EXTRA_TEXT) ?: "",
                )
                val notifier = ReminderNotifier(context)
                // Blocked, a reminder is seen by nobody: the core is not told
                // it was shown, or it would go on to its follow-ups and fall
                // silent for reminders nobody saw.
                if (!notifier.canShow()) return
                val ask = onShown ?: return notifier.show(carried)
                finishing { done ->
                    ask(carried) { due ->
                        due?.let(ReminderNotifier(context)::show)
                        done()
                    }
                }
            }
            ReminderNotifier.ACTION_DONE, ReminderNotifier.ACTION_SNOOZE, ReminderNotifier.ACTION_DISMISS -> {
                ReminderNotifier(context).dismiss()
                val response = when (intent.action) {
                    ReminderNotifier.ACTION_SNOOZE -> ReminderResponse.SNOOZED
                    ReminderNotifier.ACTION_DISMISS -> ReminderResponse.DISMISSED
                    else -> ReminderResponse.DONE
                }
                onAction?.let { tell -> finishing { done -> tell(response, done) } }
            }
        }
    }

    companion object {
        /** Set by the app ([PhoneReminders]): what the user did with the reminder (Done, Snooze, or swiped it away); call `done` once told. */
        @Volatile
        var onAction: ((response: ReminderResponse, done: () -> Unit) -> Unit)? = null

        /**
         * Set by the app ([PhoneReminders]): an alarm went off, [carried]
         * what it was set with; record the reminder due now as shown and
         * `answer` it (null when none is due; [carried] when the app could
         * not ask).
         */
        @Volatile
        var onShown: ((carried: PhoneReminder, answer: (PhoneReminder?) -> Unit) -> Unit)? = null
    }
}

/** Opens the app where it was (a notification's tap): its launcher activity, brought forward. */
internal fun openApp(context: Context): PendingIntent {
    val launch = Intent(Intent.ACTION_MAIN)
        .addCategory(Intent.CATEGORY_LAUNCHER)
        .setPackage(context.packageName)
        .setFlags(Intent.FLAG_ACTIVITY_NEW_TASK or Intent.FLAG_ACTIVITY_RESET_TASK_IF_NEEDED)
    return PendingIntent.getActivity(context, 0, launch, PendingIntent.FLAG_IMMUTABLE)
}

/**
 * Runs [work] with the broadcast kept open until it calls back (a receiver
 * called directly, outside a broadcast, has nothing to keep open).
 */
internal fun BroadcastReceiver.finishing(work: (done: () -> Unit) -> Unit) {
    val pending: BroadcastReceiver.PendingResult? = goAsync()
    work { pending?.finish() }
}
