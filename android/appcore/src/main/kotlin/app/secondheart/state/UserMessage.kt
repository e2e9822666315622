package app.secondheart.state

import kotlinx.coroutines.CancellationException
import uniffi.second_heart.SecondHeartException

/**
 * The message a screen shows for [error]: the core's English text (its
 * `toString()`; the generated `message` only lists the fields), begun with a
 * capital as a sentence on a screen is, or the platform's. The same rule as
 * the iOS app's `userMessage`.
 */
fun userMessage(error: Throwable): String = userReason(error).replaceFirstChar { it.uppercaseChar() }

/**
 * Why the data could not be opened at launch, in the core's words, what the user can do about it, and whether
 * opening it again can help (not for a damaged file).
 */
data class OpenFailure(val reason: String, val advice: String, val retryHelps: Boolean)

/**
 * [error], thrown by `SecondHeart.open`, as the screen that says so puts it: the advice follows the cause, and
 * speaks of a Try again button only where the screen has one ([canRetry]; else of opening the app again).
 */
fun openFailure(error: Throwable, canRetry: Boolean = true): OpenFailure {
    val again = if (canRetry) "try again" else "open Second Heart again"
    return OpenFailure(
        userMessage(error),
        when (error) {
            is SecondHeartException.DatabaseTooNew -> "A newer version of Second Heart wrote it: update the app, then $again."
            is SecondHeartException.DiskFull -> "Free some space on this device, then $again."
            is SecondHeartException.DatabaseCorrupt ->
                "The file is damaged, and opening it again will not mend it. To start afresh, remove it (on a phone: " +
                    "clear Second Heart's storage in the phone's settings), then restore a backup you kept: the welcome offers it."
            else -> "${again.replaceFirstChar(Char::uppercaseChar)}; if it keeps failing, restart the device."
        },
        retryHelps = error !is SecondHeartException.DatabaseCorrupt,
    )
}

/**
 * [error] as the end of a screen's own sentence ("Live data did not start:
 * …"): the core's words as it says them, or the platform's.
 */
fun userReason(error: Throwable): String = when (error) {
    is SecondHeartException -> error.toString()
    is CancellationException -> "cancelled"
    else -> error.message ?: error.toString()
}

/**
 * Something a screen shows for the day it happened on: the next morning
 * yesterday's "Set done: 20 reps" or "Walk saved: 3,200 steps" would read
 * as today's news, so a value from an earlier day is not shown ([today] is
 * the app's clock's date in the user's zone).
 */
open class ForToday<T : Any>(private val today: () -> java.time.LocalDate) {
    @Volatile
    private var held: Pair<T, java.time.LocalDate>? = null

    /** The value, if it was set today; setting it dates it today (null: nothing). */
    var value: T?
        get() = held?.takeIf { (_, day) -> day == today() }?.first
        set(value) {
            held = value?.let { it to today() }
        }
}

/** What a screen's last action said, kept for the day it was said on ([ForToday]). */
class DayMessage(today: () -> java.time.LocalDate) : ForToday<String>(today) {
    /** The message, if it was said today; setting it says it now (null: nothing to say). */
    var text: String?
        get() = value
        set(text) {
            value = text
        }

    /** Says nothing any more if the message is still [text] (what it said no longer holds). */
    fun withdraw(text: String) {
        if (value == text) value = null
    }
}

/**
 * What a screen says while the sensor's count of its session cannot be
 * saved ([LiveUpdates.notCounted]): [failed] gives the text for [message]
 * to say, [saved] takes it back once a frame is saved again.
 */
class UnsavedCount(private val message: DayMessage, private val counted: String) {
    @Volatile
    private var said: String? = null

    /** "Your sensor's steps could not be saved just now: …", to say now. */
    fun failed(reason: String): String =
        "Your sensor's $counted could not be saved just now: $reason. They are saved with its next reading.".also { said = it }

    /** A frame was saved: takes the message back if it still says so; true when there was one to take back. */
    fun saved(): Boolean {
        val text = said ?: return false
        said = null
        message.withdraw(text)
        return true
    }
}
