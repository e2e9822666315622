package app.secondheart.ui.components

import androidx.compose.foundation.gestures.awaitEachGesture
import androidx.compose.foundation.gestures.awaitFirstDown
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.remember
import androidx.compose.runtime.withFrameMillis
import androidx.compose.ui.Modifier
import androidx.compose.ui.input.pointer.PointerEventPass
import androidx.compose.ui.input.pointer.pointerInput
import androidx.compose.ui.platform.LocalViewConfiguration

/**
 * The guard of a button drawn where another was just tapped (Start walk
 * becoming Finish, "I put them on" becoming "I took them off"): the second
 * half of a double tap meant for the button before lands on this one. A
 * touch that began before it was drawn, or within the platform's double-tap
 * timeout after, does nothing.
 *
 * Both times are the system's: the input event's own time and the frame's,
 * not when the app got round to the tap, so a busy moment between the tap
 * and its handling changes nothing. A click without a touch (TalkBack, a
 * keyboard) always goes through.
 */
internal class TapGuard(private val doubleTapTimeoutMillis: Long) {
    /** The first frame that drew the button (uptime, ms); none yet before it. */
    private var shownAt: Long? = null

    /** When the last touch on the button began (uptime, ms), if one did. */
    private var touchedAt: Long? = null

    /**
     * Watches touches begin, leaving them to the button; a touch over (lifted
     * or cancelled) is forgotten once its click, if any, has read it, so a
     * later click without a touch is not judged by it.
     */
    val modifier: Modifier = Modifier.pointerInput(this) {
        awaitEachGesture {
            touchedAt = awaitFirstDown(requireUnconsumed = false, pass = PointerEventPass.Initial).uptimeMillis
            // The button clicks on the up in the Main pass, before this Final pass sees it.
            do {
                val event = awaitPointerEvent(PointerEventPass.Final)
            } while (event.changes.any { it.pressed })
            touchedAt = null
        }
    }

    /** Notes the frame that first drew the button. */
    suspend fun awaitShown() {
        shownAt = withFrameMillis { it }
    }

    /** [onClick], unless the touch that made this click was meant for the button before. */
    fun guard(onClick: () -> Unit): () -> Unit = {
        val touched = touchedAt
        touchedAt = null
        val shown = shownAt
        val meantForTheOneBefore = touched != null && (shown == null || touched - shown < doubleTapTimeoutMillis)
        if (!meantForTheOneBefore) onClick()
    }
}

/** [onClick], guarded when there is a guard. */
internal fun TapGuard?.click(onClick: () -> Unit): () -> Unit = this?.guard(onClick) ?: onClick

/** [modifier], watching the touches when there is a guard. */
internal fun TapGuard?.watching(modifier: Modifier): Modifier = if (this == null) modifier else modifier.then(this.modifier)

/** A [TapGuard] for the button labelled [label], afresh whenever that label is drawn anew. */
@Composable
internal fun rememberTapGuard(label: String): TapGuard {
    val timeout = LocalViewConfiguration.current.doubleTapTimeoutMillis
    val guard = remember(label, timeout) { TapGuard(timeout) }
    LaunchedEffect(guard) { guard.awaitShown() }
    return guard
}
