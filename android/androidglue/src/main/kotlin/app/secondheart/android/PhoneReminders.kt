package app.secondheart.android

import app.secondheart.state.Core
import java.util.concurrent.Executor
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.RejectedExecutionException
import uniffi.second_heart.InternalException
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
 * (`respond`), which moves the schedule on. After a restart, an update or a
 * change of clock or time zone, [RescheduleReceiver] has every alarm set
 * again. The core is read and the alarms set on [worker], never on the
 * main thread. Create it with the app (the alarm may wake a process with
 * no screen); [close] before the core closes.
 */
class PhoneReminders(
    private val core: Core,
    private val scheduler: ReminderScheduler,
    /** Where the schedule is read and the alarms set: one background thread unless a test passes its own. */
    private val worker: Executor = backgroundThread(),
) : AutoCloseable {
    /** The alarms set last; null until this process set any (a process before it may have). */
    private var scheduled: List<PhoneReminder>? = null

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
        ReminderReceiver.onShown = { carried, answer ->
            // Unless the core says otherwise, what the alarm carried (a core that fails still reminds).
            var due: PhoneReminder? = carried
            onWorker(done = { answer(due) }) { tell { due = core.app.reminders().shown()?.let(::phone) } }
        }
        ReminderReceiver.onAction = { response, done ->
            onWorker(done) {
                tell { core.app.reminders().respond(response) }
                update(setAll = false)
            }
        }
        RescheduleReceiver.onReschedule = { done -> onWorker(done) { update(setAll = true) } }
        reschedule()
    }

    /** Replaces the alarms with the core's next reminders still ahead (on [worker]; returns at once). */
    fun reschedule() = onWorker { update(setAll = false) }

    /** Set by [close]: work still queued then does nothing (the core may be closed). */
    @Volatile
    private var closed = false

    /** Runs [task] on [worker], then [done] whatever happened (also once closed, or when the task is refused). */
    private fun onWorker(done: () -> Unit = {}, task: () -> Unit) {
        try {
            worker.execute {
                try {
                    if (!closed) task()
                } finally {
                    done()
                }
            }
        } catch (_: RejectedExecutionException) {
            done()
        }
    }

    /**
     * Sets the alarms of the reminders ahead, every slot overwritten (also
     * those a process before this one set), when the schedule changed or
     * [setAll]: Android dropped them (a restart) or the schedule moved under
     * them (a new time zone moves the quiet hours).
     */
    @Synchronized
    private fun update(setAll: Boolean) {
        val now = core.now()
        val next = try {
            // One overdue (its alarm held back by a window, or the alarms set again before it went
            // off) is due at the core's now, which this read of the clock may equal: it goes off at once.
            core.app.reminders().upcoming(LIMIT).filter { !it.dueAt.isBefore(now) }.map(::phone)
        } catch (e: SecondHeartException) {
            return
        } catch (e: InternalException) {
            // A panic in the core, on this thread: the alarms stay as they were rather than the app ending.
            return
        }
        if (next == scheduled && !setAll) return
        scheduler.schedule(next)
        scheduled = next
    }

    /** Stops following the core and takes the receiver's callbacks back. */
    override fun close() {
        closed = true
        subscription.cancel()
        ReminderReceiver.onShown = null
        ReminderReceiver.onAction = null
        RescheduleReceiver.onReschedule = null
        (worker as? ExecutorService)?.shutdown()
    }

    /** A core call from a notification: a failure leaves the schedule as it was. */
    private fun tell(call: () -> Unit) {
        try {
            call()
        } catch (_: SecondHeartException) {
        } catch (_: InternalException) {
        }
    }

    companion object {
        /** One daemon thread, so a left-over task never keeps a desktop test's JVM alive. */
        private fun backgroundThread(): ExecutorService = Executors.newSingleThreadExecutor { task ->
            Thread(task, "second-heart-reminders").apply { isDaemon = true }
        }

        /** How many reminders are set ahead, as on iOS. */
        val LIMIT: UInt = ReminderScheduler.SLOTS.toUInt()

        /** A reminder as the phone posts it. */
        fun phone(reminder: Reminder) = PhoneReminder(
            at = reminder.dueAt,
            title = reminder.title,
            text = reminder.body,
        )
    }
}
