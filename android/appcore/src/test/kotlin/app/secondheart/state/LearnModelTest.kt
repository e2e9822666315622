package app.secondheart.state

import app.secondheart.core.AppClock
import java.nio.file.Path
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.second_heart.ProfileChanges
import uniffi.second_heart.SecondHeart

/** Learn draws the user's own legs: a height changed in Settings changes its charts. */
class LearnModelTest {
    @TempDir
    lateinit var dir: Path

    private lateinit var app: SecondHeart
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)

    @BeforeEach
    fun open() {
        app = SecondHeart.open(dir.resolve("second-heart.db").toString(), AppClock())
    }

    @AfterEach
    fun close() {
        scope.cancel()
        app.close()
    }

    @Test
    fun `a height changed in Settings runs Learn's charts again for the new legs`() {
        val learn = LearnModel(Core(app, AppClock()), Formats(), scope, Dispatchers.IO)
        app.profile().update(ProfileChanges(heightCm = 160.0))
        runBlocking { learn.refresh() }
        val short = learn.state.value
        app.profile().update(ProfileChanges(heightCm = 195.0))
        runBlocking { learn.refresh() }
        val tall = learn.state.value
        assertNotEquals(short.pressure?.series, tall.pressure?.series, "the walk's ankle pressure follows the legs' height")
        assertNotEquals(short.swelling?.series, tall.swelling?.series, "the sitting's swelling follows the legs' size")
    }
}
