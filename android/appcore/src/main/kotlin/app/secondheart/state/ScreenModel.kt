package app.secondheart.state

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.isActive
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import uniffi.second_heart.SecondHeartException

/**
 * A screen's model: its state as a [StateFlow], refreshed from the core
 * off the main thread ([io]), in [scope] (the app's or a test's).
 * Errors from the core and an unavailable radio become the screen's
 * message, never a crash.
 */
abstract class ScreenModel<S>(initial: S, protected val scope: CoroutineScope, protected val io: CoroutineDispatcher) {
    protected val mutable = MutableStateFlow(initial)

    /** What the screen draws. */
    val state: StateFlow<S> = mutable

    /** Reads the core again and publishes the new state. */
    abstract suspend fun refresh()

    /** Runs [work] on [io]; a core error, or a radio that is unavailable, is shown through [onError]. */
    protected fun act(work: suspend () -> Unit) {
        scope.launch {
            withContext(io) {
                try {
                    work()
                } catch (e: SecondHeartException) {
                    onError(userMessage(e))
                } catch (e: RadioUnavailable) {
                    onError(e.message ?: "Bluetooth is unavailable")
                }
            }
        }
    }

    /** Shows [message] (a core error, written for people). */
    protected abstract fun onError(message: String)

    /** Refreshes in the background. */
    fun reload() = act { refresh() }

    /** Refreshes once a second while a session's clock runs on screen. */
    @Volatile
    private var ticker: Job? = null

    /**
     * Keeps a running session's clock moving: while [running], the screen is
     * refreshed once a second (the core works the time out from its clock);
     * otherwise the refreshing stops.
     */
    protected fun tick(running: Boolean): Unit = synchronized(this) {
        if (!running) {
            ticker?.cancel()
            ticker = null
        } else if (ticker?.isActive != true) {
            ticker = scope.launch {
                while (isActive) {
                    delay(1_000)
                    withContext(io) {
                        try {
                            refresh()
                        } catch (e: SecondHeartException) {
                            onError(userMessage(e))
                        }
                    }
                }
            }
        }
    }

    /**
     * Stops the clock's refreshing and waits for a refresh under way to end
     * (the app went to the background, or is closing the core); the next
     * refresh of a running session starts it again.
     */
    suspend fun stopTicking() {
        val running = synchronized(this) { ticker.also { ticker = null } }
        running?.cancelAndJoin()
    }
}
