package app.secondheart.state

import app.secondheart.core.AppClock
import java.nio.file.Path
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.io.TempDir
import uniffi.second_heart.SecondHeart

/**
 * A model test's fixture: a fresh app over a temporary database on the
 * system clock, and a scope for the models under test; both end after each
 * test (a subclass's own `@AfterEach` runs first).
 */
abstract class AppTest {
    @TempDir
    lateinit var dir: Path

    protected lateinit var app: SecondHeart
    protected val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)

    @BeforeEach
    fun openApp() {
        app = SecondHeart.open(dir.resolve("second-heart.db").toString(), AppClock())
    }

    @AfterEach
    fun closeApp() {
        scope.cancel()
        app.close()
    }
}

/** A clock a test moves on: it starts at [start]'s instant, in its zone. */
internal class MovingClock(private val start: java.time.Clock) : java.time.Clock() {
    @Volatile var now: java.time.Instant = start.instant()
    override fun getZone(): java.time.ZoneId = start.zone
    override fun withZone(zone: java.time.ZoneId): java.time.Clock = this
    override fun instant(): java.time.Instant = now
}
