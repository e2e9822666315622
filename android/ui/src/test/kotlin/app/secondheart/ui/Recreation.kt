package app.secondheart.ui

import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.getValue
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.saveable.LocalSaveableStateRegistry
import androidx.compose.runtime.saveable.SaveableStateRegistry
import androidx.compose.runtime.setValue
import androidx.compose.runtime.snapshots.SnapshotMutableState

/**
 * What Android does to a screen when the phone turns: the activity saves
 * what its composables saved (`rememberSaveable`) into a bundle, is drawn
 * anew, and restores it; everything only `remember`ed starts over. Compose
 * for desktop's own `StateRestorationTester` is not implemented, so this
 * stands in for it: [Content] draws the screen under a registry, [recreate]
 * saves it and draws it all again from what was saved.
 */
class Recreation {
    private var saved: Map<String, List<Any?>>? = null
    private var shown by mutableStateOf(true)
    private lateinit var registry: SaveableStateRegistry

    /** Draws [content] as the activity does, restoring what the last [recreate] saved. */
    @Composable
    fun Content(content: @Composable () -> Unit) {
        // Left out for a frame and drawn again at the same place, so that
        // each saved value is found under the key it was saved with.
        if (shown) {
            val current = remember { SaveableStateRegistry(saved, ::fitsABundle) }
            registry = current
            CompositionLocalProvider(LocalSaveableStateRegistry provides current, content = content)
        } else {
            LaunchedEffect(Unit) { shown = true }
        }
    }

    /** Saves what the screen saved and draws it anew from that (call it on the UI thread, e.g. in `runOnIdle`). */
    fun recreate() {
        saved = registry.performSave()
        shown = false
    }

    /**
     * Whether Android could put [value] in the activity's bundle: text,
     * numbers, enums, lists and maps of them by text keys (Android takes any
     * `Serializable`; a `SaveableStateHolder` saves each screen's values as
     * such a map), and state holding one. A data class of ours is not: it
     * needs a `Saver`, and a screen that saved one without would crash on a
     * real phone, so it fails here too.
     */
    private fun fitsABundle(value: Any): Boolean = when (value) {
        is String, is Boolean, is Number, is Char, is Enum<*> -> true
        is SnapshotMutableState<*> -> value.value.let { it == null || fitsABundle(it) }
        is List<*> -> value.all { it == null || fitsABundle(it) }
        is Map<*, *> -> value.all { (key, item) -> key is String && (item == null || fitsABundle(item)) }
        else -> false
    }
}
