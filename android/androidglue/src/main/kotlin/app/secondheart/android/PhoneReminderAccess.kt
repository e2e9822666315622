package app.secondheart.android

import android.content.ActivityNotFoundException
import android.content.Context
import android.content.Intent
import android.provider.Settings
import app.secondheart.state.ReminderAccess

/**
 * Whether the phone shows the app's break reminders ([ReminderNotifier.canShow]),
 * and the phone's page where the user lets them: the reminders' channel when
 * only it is turned off, else the app's notifications. Also whether they come
 * on time (exact alarms allowed) and the page where the user allows that.
 */
class PhoneReminderAccess(private val context: Context) : ReminderAccess {
    private val notifier = ReminderNotifier(context)

    override fun canShow(): Boolean = notifier.canShow()

    override fun onTime(): Boolean = ReminderScheduler(context).exactAllowed()

    override fun openTimingSettings() {
        val page = Permissions.exactAlarmSettings(context) ?: return
        open(page)
    }

    override fun openSettings() {
        val page = if (notifier.appBlocked()) {
            Intent(Settings.ACTION_APP_NOTIFICATION_SETTINGS)
        } else {
            Intent(Settings.ACTION_CHANNEL_NOTIFICATION_SETTINGS).putExtra(Settings.EXTRA_CHANNEL_ID, ReminderNotifier.CHANNEL_REMINDERS)
        }
        open(page.putExtra(Settings.EXTRA_APP_PACKAGE, context.packageName))
    }

    /** [page], or on a phone without it (some makers' builds) the app's own page, which holds the same switches. */
    private fun open(page: Intent) {
        try {
            context.startActivity(page.addFlags(Intent.FLAG_ACTIVITY_NEW_TASK))
        } catch (_: ActivityNotFoundException) {
            context.startActivity(Permissions.appSettings(context).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK))
        }
    }
}
