package app.secondheart.ui

import androidx.compose.ui.graphics.ImageBitmap
import androidx.compose.ui.graphics.toArgb
import androidx.compose.ui.graphics.toPixelMap
import androidx.compose.ui.semantics.SemanticsNode
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.SemanticsMatcher
import androidx.compose.ui.test.SemanticsNodeInteractionsProvider
import androidx.compose.ui.test.hasClickAction
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.captureToImage
import kotlin.math.max
import kotlin.math.min
import kotlin.math.pow

/** WCAG 2.x relative luminance of an sRGB colour (0xRRGGBB). */
fun luminance(rgb: Int): Double {
    fun channel(c: Int): Double {
        val s = c / 255.0
        return if (s <= 0.04045) s / 12.92 else ((s + 0.055) / 1.055).pow(2.4)
    }
    return 0.2126 * channel(rgb shr 16 and 0xFF) + 0.7152 * channel(rgb shr 8 and 0xFF) + 0.0722 * channel(rgb and 0xFF)
}

/** WCAG contrast ratio between two colours, 1 to 21. */
fun contrast(a: Int, b: Int): Double {
    val la = luminance(a)
    val lb = luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

/**
 * Measures each text's contrast on the rendered image: inside the text's
 * bounds the most common colour is its background, and the pixel that
 * differs most from it is the ink (anti-aliased edges only lower the ratio,
 * so this never flatters). Disabled controls are exempt, as in WCAG.
 */
fun measureTextContrast(image: ImageBitmap, texts: List<SemanticsNode>): List<Pair<String, Double>> {
    val pixels = image.toPixelMap()
    return texts.mapNotNull { node ->
        val label = node.config.getOrNull(SemanticsProperties.Text)?.joinToString(" ") { it.text } ?: return@mapNotNull null
        if (label.isBlank()) return@mapNotNull null
        val b = node.boundsInRoot
        // Scrolled partly out of sight (the bounds are clipped, the size is
        // not): it is measured in the shot that shows it whole.
        if (b.height < node.size.height - 1 || b.width < node.size.width - 1) return@mapNotNull null
        val x0 = b.left.toInt().coerceIn(0, pixels.width - 1)
        val x1 = b.right.toInt().coerceIn(0, pixels.width)
        val y0 = b.top.toInt().coerceIn(0, pixels.height - 1)
        val y1 = b.bottom.toInt().coerceIn(0, pixels.height)
        if (x1 - x0 < 2 || y1 - y0 < 2) return@mapNotNull null
        val counts = HashMap<Int, Int>()
        for (y in y0 until y1) for (x in x0 until x1) {
            counts.merge(pixels[x, y].toArgb() and 0xFFFFFF, 1, Int::plus)
        }
        val background = counts.maxBy { it.value }.key
        val ink = counts.keys.maxBy { contrast(it, background) }
        label to contrast(ink, background)
    }
}

/** Nodes that draw text, unmerged, outside disabled controls. */
@OptIn(ExperimentalTestApi::class)
fun SemanticsNodeInteractionsProvider.enabledTextNodes(): List<SemanticsNode> =
    onAllNodes(SemanticsMatcher.keyIsDefined(SemanticsProperties.Text), useUnmergedTree = true)
        .fetchSemanticsNodes(atLeastOneRootRequired = false)
        .filter { node -> generateSequence(node) { it.parent }.none { SemanticsProperties.Disabled in it.config } }

/** Clickable nodes smaller than 48 × 48 dp (their laid-out size, scrolled into view or not), by their label. */
fun SemanticsNodeInteractionsProvider.smallTouchTargets(density: Float): List<String> =
    onAllNodes(hasClickAction()).fetchSemanticsNodes(atLeastOneRootRequired = false)
        .filter { it.size.width / density < 47.5f || it.size.height / density < 47.5f }
        .map { describe(it) + " (${(it.size.width / density).toInt()}×${(it.size.height / density).toInt()} dp)" }

/** Clickable nodes with neither text nor a content description (TalkBack would say "button"). */
fun SemanticsNodeInteractionsProvider.unlabelledControls(): List<String> =
    onAllNodes(hasClickAction()).fetchSemanticsNodes(atLeastOneRootRequired = false)
        .filter { describe(it).isBlank() }
        .map { "unlabelled control at ${it.boundsInRoot}" }

private fun describe(node: SemanticsNode): String {
    val texts = node.config.getOrNull(SemanticsProperties.Text)?.joinToString(" ") { it.text }.orEmpty()
    val descriptions = node.config.getOrNull(SemanticsProperties.ContentDescription)?.joinToString(" ").orEmpty()
    return "$descriptions $texts".trim()
}

/** The root as an image, for [measureTextContrast]. */
fun SemanticsNodeInteractionsProvider.rootImage(): ImageBitmap = onRoot().captureToImage()
