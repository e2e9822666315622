package app.secondheart.state

import app.secondheart.core.AppClock
import java.util.concurrent.CopyOnWriteArrayList
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Test
import uniffi.second_heart.ProfileChanges

/** Learn draws the user's own legs: a height changed in Settings changes its charts. */
class LearnModelTest : AppTest() {
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

    @Test
    fun `a slider moved while the model runs stays where the user left it`() {
        val learn = LearnModel(Core(app, AppClock()), Formats(), scope, Dispatchers.IO, settleMillis = 0)
        runBlocking { learn.refresh() }
        learn.set(LearnInput.SittingHours, 12f)
        // The 12-hour run is under way (it takes a while), and the user moves on.
        Thread.sleep(100)
        learn.set(LearnInput.SittingHours, 2f)
        val shown = CopyOnWriteArrayList<Float>()
        runBlocking {
            withTimeout(120_000) {
                learn.state.first { state ->
                    shown += state.sitting.first { it.id == LearnInput.SittingHours }.value
                    !state.running
                }
            }
        }
        assertEquals(listOf(2f), shown.distinct(), "never back at 12 h")
    }
}
