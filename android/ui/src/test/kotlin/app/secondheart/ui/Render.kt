package app.secondheart.ui

import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.ui.ExperimentalComposeUiApi
import androidx.compose.ui.ImageComposeScene
import androidx.compose.ui.graphics.ImageBitmap
import androidx.compose.ui.graphics.asSkiaBitmap
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.unit.Density
import androidx.compose.ui.use
import app.secondheart.ui.theme.SecondHeartTheme
import java.io.File
import org.jetbrains.skia.EncodedImageFormat
import org.jetbrains.skia.Image

/** A phone: 411 × 891 dp at 2.625 px/dp (a Pixel-class screen), 1079 × 2339 px. */
object Phone {
    const val WIDTH_DP = 411
    const val HEIGHT_DP = 891
    const val DENSITY = 2.625f
    val widthPx = (WIDTH_DP * DENSITY).toInt()
    val heightPx = (HEIGHT_DP * DENSITY).toInt()
}

/** Where the screenshots go: docs/screenshots (set by the POM), else target/screenshots. */
val screenshotDir: File = File(System.getProperty("secondheart.screenshots") ?: "target/screenshots").apply { mkdirs() }

/** Renders [content] headless at phone size in the app's theme; returns the image. */
@OptIn(ExperimentalComposeUiApi::class)
fun renderPhone(dark: Boolean, fontScale: Float = 1f, content: @Composable () -> Unit): Image =
    ImageComposeScene(Phone.widthPx, Phone.heightPx, Density(Phone.DENSITY, fontScale)) {
        CompositionLocalProvider(LocalDensity provides Density(Phone.DENSITY, fontScale)) {
            SecondHeartTheme(dark) { content() }
        }
    }.use { scene ->
        // Two frames: the first lays out, the second draws what the first measured (rings, charts).
        scene.render(0)
        scene.render(500_000_000)
    }

/** Writes [image] as `name.png` into [screenshotDir]; returns the file. */
fun Image.savePng(name: String): File {
    val file = File(screenshotDir, "$name.png")
    file.writeBytes(encodeToData(EncodedImageFormat.PNG)!!.bytes)
    return file
}

/** Writes [this] (a test's capture) as `name.png` into [screenshotDir]; returns the file. */
fun ImageBitmap.savePng(name: String): File = Image.makeFromBitmap(asSkiaBitmap()).savePng(name)
