package app.secondheart.state

import kotlinx.coroutines.CancellationException
import uniffi.second_heart.SecondHeartException

/**
 * The message a screen shows for [error]: the core's English text, ready to
 * show (its `toString()`; the generated `message` only lists the fields),
 * or the platform's. The same rule as the iOS app's `userMessage`.
 */
fun userMessage(error: Throwable): String = when (error) {
    is SecondHeartException -> error.toString()
    is CancellationException -> "Cancelled."
    else -> error.message ?: error.toString()
}
