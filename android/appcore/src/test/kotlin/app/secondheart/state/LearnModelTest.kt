package app.secondheart.state

import app.secondheart.core.AppClock
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking
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
}
