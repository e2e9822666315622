package app.secondheart.state

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.isActive
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.withContext

/**
 * A screen's model: its state as a [StateFlow], refreshed from the core
 * off the main thread ([io]), in [scope] (the app's or a test's).
 * Errors from the core and an unavailable radio become the screen's
 * message, never a crash.
 */
abstract class ScreenModel<S>(
    initial: S,
    protected val scope: CoroutineScope,
    protected val io: CoroutineDispatcher,
    serialActions: Boolean = false,
) {
    protected val mutable = MutableStateFlow(initial)

    /** What the screen draws. */
    val state: StateFlow<S> = mutable

    /**
     * Held by each action and clock refresh of a model whose reads must not
     * overtake its writes ([serialActions]: a walk's or a set's, where a
     * read of a running session published after its pause would start the
     * phone's step counter again; Settings', where a reload published after
     * a restore's answer would hide it).
     */
    private val serial: Mutex? = if (serialActions) Mutex() else null

    private suspend fun serially(work: suspend () -> Unit) {
        val lock = serial
        if (lock == null) work() else lock.withLock { work() }
    }

    /**
     * A serial model's actions, done one after another in the order they
     * were asked for: two quick taps (Pause, then Resume) are done in
     * their order, not in whichever order two threads reach [serial].
     */
    private val actions: Channel<suspend () -> Unit>? = if (serialActions) Channel(Channel.UNLIMITED) else null

    init {
        actions?.let { queue ->
            scope.launch {
                // Each action is a child of the scope as before (a failure
                // is the scope's to handle), waited for before the next.
                for (work in queue) scope.launch { withContext(io) { attempt(work) } }.join()
            }
        }
    }

    /** Reads the core again and publishes the new state. */
    abstract suspend fun refresh()

    /** What each second of a running clock reads again: the whole screen, unless a model needs less. */
    protected open suspend fun onTick() = refresh()

    /**
     * Runs [work] on [io], after the actions asked for before it when the
     * model is serial; a core error, or a radio that is unavailable, is
     * shown through [onError].
     */
    protected fun act(work: suspend () -> Unit) {
        val queue = actions
        if (queue != null) {
            queue.trySend(work)
        } else {
            scope.launch { withContext(io) { attempt(work) } }
        }
    }

    private suspend fun attempt(work: suspend () -> Unit) {
        try {
            serially(work)
        } catch (e: RadioUnavailable) {
            onError(e.message ?: "Bluetooth is unavailable")
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            // The core's errors, and a failure no one foresaw (UniFFI's
            // InternalException for a panic in the core, the core closed as
            // the app ends): said on the screen; uncaught, it would end the app.
            onError(userMessage(e))
        }
    }

    /** Shows [message] (a core error, written for people). */
    protected abstract fun onError(message: String)

    /** Refreshes in the background. */
    fun reload() = act { refresh() }

    /** Refreshes once a second while a session's clock runs on screen. */
    private var ticker: Job? = null

    /** Whether a clock may run: not in the background, nor once closing. */
    private var ticking = true

    /**
     * Keeps a clock on screen moving: while [running] (and the app is in
     * sight), the screen is refreshed every [everyMillis] (a running
     * session's once a second) on [io] (the core works the time out from
     * its clock); otherwise the refreshing stops.
     */
    protected fun tick(running: Boolean, everyMillis: Long = 1_000): Unit = synchronized(this) {
        if (!running || !ticking) {
            ticker?.cancel()
            ticker = null
        } else if (ticker?.isActive != true) {
            ticker = scope.launch(io) {
                while (isActive) {
                    delay(everyMillis)
                    try {
                        serially { onTick() }
                    } catch (e: CancellationException) {
                        throw e
                    } catch (e: Exception) {
                        onError(userMessage(e))
                    }
                }
            }
        }
    }

    /**
     * Stops the clock at once and keeps it stopped until [allowTicking]
     * (the app went to the background); a refresh under way is cancelled,
     * not waited for. Done in the caller's turn: a stop left to a coroutine
     * could land after the app came back and [allowTicking] ran, and freeze
     * a clock in sight.
     */
    fun stopTickingNow(): Job? = synchronized(this) {
        ticking = false
        ticker.also { ticker = null }
    }?.also { it.cancel() }

    /**
     * [stopTickingNow], then waits for a refresh under way to end (the core
     * is closing). The ticker runs on [io], so a caller blocking the main
     * thread here does not wait on itself.
     */
    suspend fun stopTicking() {
        stopTickingNow()?.join()
    }

    /** The app is in sight again: the next refresh of a running session starts its clock. */
    fun allowTicking(): Unit = synchronized(this) { ticking = true }
}
