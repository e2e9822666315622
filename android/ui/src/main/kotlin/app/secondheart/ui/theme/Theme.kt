package app.secondheart.ui.theme

import androidx.compose.material3.ColorScheme
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Shapes
import androidx.compose.material3.Typography
import androidx.compose.material3.darkColorScheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.Immutable
import androidx.compose.runtime.staticCompositionLocalOf
import androidx.compose.foundation.shape.RoundedCornerShape
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.text.TextStyle
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import androidx.compose.ui.unit.sp

/**
 * Colours that carry meaning across screens: one per ring, so steps are
 * the same teal on Today, History and Walk. Each passes 3:1 against the
 * surface it is drawn on (graphics) and the text beside it uses onSurface.
 */
@Immutable
data class MetricColors(
    val steps: Color,
    val activeMinutes: Color,
    val pumped: Color,
    val sets: Color,
    val sitting: Color,
    val track: Color,
    val good: Color,
    val caution: Color,
)

private val LightMetrics = MetricColors(
    steps = Color(0xFF00777A),
    activeMinutes = Color(0xFFB4521F),
    pumped = Color(0xFFB0264A),
    sets = Color(0xFF4D5BA8),
    sitting = Color(0xFF6F6A64),
    track = Color(0xFFE6E2DC),
    good = Color(0xFF2E6B3A),
    caution = Color(0xFF8A5100),
)

private val DarkMetrics = MetricColors(
    steps = Color(0xFF5FD4D2),
    activeMinutes = Color(0xFFFFA77A),
    pumped = Color(0xFFFF8FA8),
    sets = Color(0xFFAFB9FF),
    sitting = Color(0xFFC9C3BB),
    track = Color(0xFF33383A),
    good = Color(0xFF8FD69B),
    caution = Color(0xFFFFC06B),
)

/** Calm teal for action, warm sand for surfaces, a berry red kept for blood and alerts. */
private val Light = lightColorScheme(
    primary = Color(0xFF006A6B),
    onPrimary = Color(0xFFFFFFFF),
    primaryContainer = Color(0xFFC8EEEC),
    onPrimaryContainer = Color(0xFF002021),
    secondary = Color(0xFF8C4A2F),
    onSecondary = Color(0xFFFFFFFF),
    secondaryContainer = Color(0xFFFFDBCD),
    onSecondaryContainer = Color(0xFF370E00),
    tertiary = Color(0xFF4D5BA8),
    onTertiary = Color(0xFFFFFFFF),
    tertiaryContainer = Color(0xFFDEE0FF),
    onTertiaryContainer = Color(0xFF001257),
    error = Color(0xFFB3261E),
    onError = Color(0xFFFFFFFF),
    errorContainer = Color(0xFFFFDAD6),
    onErrorContainer = Color(0xFF410002),
    background = Color(0xFFFBF8F4),
    onBackground = Color(0xFF1C1B19),
    surface = Color(0xFFFBF8F4),
    onSurface = Color(0xFF1C1B19),
    surfaceVariant = Color(0xFFE8E2DA),
    onSurfaceVariant = Color(0xFF4A4640),
    surfaceContainerLowest = Color(0xFFFFFFFF),
    surfaceContainerLow = Color(0xFFF6F2ED),
    surfaceContainer = Color(0xFFF1ECE6),
    surfaceContainerHigh = Color(0xFFEBE6E0),
    surfaceContainerHighest = Color(0xFFE5E0DA),
    outline = Color(0xFF7B766F),
    outlineVariant = Color(0xFFCFC8BF),
)

private val Dark = darkColorScheme(
    primary = Color(0xFF7ED6D3),
    onPrimary = Color(0xFF003738),
    primaryContainer = Color(0xFF004F50),
    onPrimaryContainer = Color(0xFFC8EEEC),
    secondary = Color(0xFFFFB596),
    onSecondary = Color(0xFF552007),
    secondaryContainer = Color(0xFF70341B),
    onSecondaryContainer = Color(0xFFFFDBCD),
    tertiary = Color(0xFFBAC3FF),
    onTertiary = Color(0xFF1B2A77),
    tertiaryContainer = Color(0xFF34438F),
    onTertiaryContainer = Color(0xFFDEE0FF),
    error = Color(0xFFFFB4AB),
    onError = Color(0xFF690005),
    errorContainer = Color(0xFF93000A),
    onErrorContainer = Color(0xFFFFDAD6),
    background = Color(0xFF121414),
    onBackground = Color(0xFFE4E2DF),
    surface = Color(0xFF121414),
    onSurface = Color(0xFFE4E2DF),
    surfaceVariant = Color(0xFF3F4947),
    onSurfaceVariant = Color(0xFFC3C8C6),
    surfaceContainerLowest = Color(0xFF1C1F1F),
    surfaceContainerLow = Color(0xFF1A1C1C),
    surfaceContainer = Color(0xFF1E2020),
    surfaceContainerHigh = Color(0xFF282B2A),
    surfaceContainerHighest = Color(0xFF333535),
    outline = Color(0xFF8D9290),
    outlineVariant = Color(0xFF3F4947),
)

private val AppTypography = Typography().let { base ->
    base.copy(
        displayLarge = base.displayLarge.copy(fontWeight = FontWeight.SemiBold, letterSpacing = (-0.5).sp),
        displayMedium = base.displayMedium.copy(fontWeight = FontWeight.SemiBold),
        headlineLarge = base.headlineLarge.copy(fontWeight = FontWeight.SemiBold),
        headlineMedium = base.headlineMedium.copy(fontWeight = FontWeight.SemiBold),
        headlineSmall = base.headlineSmall.copy(fontWeight = FontWeight.SemiBold),
        titleLarge = base.titleLarge.copy(fontWeight = FontWeight.SemiBold),
        titleMedium = base.titleMedium.copy(fontWeight = FontWeight.SemiBold),
        labelLarge = base.labelLarge.copy(fontWeight = FontWeight.SemiBold),
    )
}

private val AppShapes = Shapes(
    small = RoundedCornerShape(10.dp),
    medium = RoundedCornerShape(16.dp),
    large = RoundedCornerShape(24.dp),
    extraLarge = RoundedCornerShape(32.dp),
)

/** The big number on a counter or a ring: tabular so it does not jiggle while it counts. */
val NumberStyle = TextStyle(fontSize = 28.sp, fontWeight = FontWeight.SemiBold, fontFeatureSettings = "tnum")

/** The metric colours of the current theme. */
val LocalMetricColors = staticCompositionLocalOf { LightMetrics }

/** Second Heart's theme: Material 3, light or dark. */
@Composable
fun SecondHeartTheme(dark: Boolean = false, content: @Composable () -> Unit) {
    CompositionLocalProvider(LocalMetricColors provides if (dark) DarkMetrics else LightMetrics) {
        MaterialTheme(
            colorScheme = if (dark) Dark else Light,
            typography = AppTypography,
            shapes = AppShapes,
            content = content,
        )
    }
}

/** The colour scheme for [dark], for tests that check contrast. */
fun colorSchemeFor(dark: Boolean): ColorScheme = if (dark) Dark else Light
