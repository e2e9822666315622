package app.secondheart.state

/**
 * Whether the phone lets the app's break reminders show, and the way to the
 * phone's page where the user lets them. Android's is `PhoneReminderAccess`
 * (android/androidglue: the app's notifications and its reminders' channel);
 * the desktop's and the tests' default always shows them.
 */
interface ReminderAccess {
    /** Whether a reminder posted now would be seen: not when the user blocked the app's notifications. */
    fun canShow(): Boolean = true

    /** Opens the phone's page where the user turns the app's notifications on. */
    fun openSettings() {}

    /**
     * Whether a reminder comes at its minute: not when the phone lets the
     * app set only inexact alarms (Android 12 and later ask the user), which
     * may come up to five minutes late.
     */
    fun onTime(): Boolean = true

    /** Opens the phone's page where the user lets the app's reminders come on time. */
    fun openTimingSettings() {}

    /** Where nothing can block them (the desktop, tests). */
    object Shown : ReminderAccess
}
