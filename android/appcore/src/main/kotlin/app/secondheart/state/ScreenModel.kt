package app.secondheart.state

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import uniffi.second_heart.SecondHeartException

/**
 * A screen's model: its state as a [StateFlow], refreshed from the core
 * off the main thread ([io]), in [scope] (the app's or a test's).
 * Errors from the core become the screen's message, never a crash.
 */
abstract class ScreenModel<S>(initial: S, protected val scope: CoroutineScope, protected val io: CoroutineDispatcher) {
    protected val mutable = MutableStateFlow(initial)

    /** What the screen draws. */
    val state: StateFlow<S> = mutable

    /** Reads the core again and publishes the new state. */
    abstract suspend fun refresh()

    /** Runs [work] on [io]; a core error is shown through [onError]. */
    protected fun act(work: suspend () -> Unit) {
        scope.launch {
            withContext(io) {
                try {
                    work()
                } catch (e: SecondHeartException) {
                    onError(userMessage(e))
                }
            }
        }
    }

    /** Shows [message] (a core error, written for people). */
    protected abstract fun onError(message: String)

    /** Refreshes in the background. */
    fun reload() = act { refresh() }
}
