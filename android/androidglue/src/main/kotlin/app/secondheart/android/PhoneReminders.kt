package app.secondheart.android

import app.secondheart.state.Core
import uniffi.second_heart.Reminder
import uniffi.second_heart.ReminderResponse
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.TodayListener
import uniffi.second_heart.TodaySubscription
import uniffi.second_heart.TodayView

/**
 * The phone's alarms kept on the core's break-reminder schedule, as iOS's
 * `ReminderNotifications` keeps its notifications: when a change the core
 * commits moves the next reminder (its Today observer) and when the app
 * comes to the foreground ([reschedule]), the next [LIMIT] reminders of
 * `reminders().upcoming` replace the alarms set before. A reminder's alarm
 * tells the core it was shown; its Done and Snooze go back to the core
 * (`respond`), which moves the schedule on. Create it with the app (the
 * alarm may wake a process with no screen); [close] before the core closes.
 */
class PhoneReminders(private val core: Core, private val scheduler: ReminderScheduler) : AutoCloseable {
    /** The alarms set last, to cancel when the schedule changes. */
    private var scheduled: List<PhoneReminder> = emptyList()

    /** The next reminder the last Today view carried. */
    @Volatile
    private var lastNext: Reminder? = null

    // Every commit reaches here (each step or rep counted); the schedule
    // follows the next reminder, which the view carries: read it again only
    // when that moved.
    private val subscription: TodaySubscription = core.app.observeToday(object : TodayListener {
        override fun todayChanged(today: TodayView) {
            if (today.nextBreak == lastNext) return
            lastNext = today.nextBreak
            reschedule()
        }
    })

    init {
        ReminderReceiver.onShown = { _ -> tell { core.app.reminders().shown() } }
        ReminderReceiver.onAction = { _, snoozed ->
            tell { core.app.reminders().respond(if (snoozed) ReminderResponse.SNOOZED else ReminderResponse.DONE) }
            reschedule()
        }
        reschedule()
    }

    /** Replaces the alarms with the core's next reminders still ahead. */
    @Synchronized
    fun reschedule() {
        val now = core.now()
        val next = try {
            core.app.reminders().upcoming(LIMIT).filter { it.dueAt.isAfter(now) }.map(::phone)
        } catch (e: SecondHeartException) {
            return
        }
        // Touch only the alarms that changed.
        if (next == scheduled) return
        scheduler.schedule(next.filter { it !in scheduled }, previous = scheduled.filter { it !in next })
        scheduled = next
    }

    /** Stops following the core and takes the receiver's callbacks back. */
    override fun close() {
        subscription.cancel()
        ReminderReceiver.onShown = null
        ReminderReceiver.onAction = null
    }

    /** A core call from a notification: a failure leaves the schedule as it was. */
    private fun tell(call: () -> Unit) {
        try {
            call()
        } catch (_: SecondHeartException) {
        }
    }

    companion object {
        /** How many reminders are set ahead, as on iOS. */
        const val LIMIT: UInt = 8u

        /** A reminder as the phone posts it; its id is its due minute, so rescheduling it replaces its alarm. */
        fun phone(reminder: Reminder) = PhoneReminder(
            id = (reminder.dueAt.epochSecond / 60).toInt(),
            at = reminder.dueAt,
            title = reminder.title,
            text = reminder.body,
        )
    }
}
