package app.secondheart.state

import app.secondheart.core.AppClock
import java.util.concurrent.CopyOnWriteArrayList
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import uniffi.second_heart.BleLink

/**
 * A walk no sensor counts, on a phone: its step counter runs while the walk
 * is active and its steps reach the walk; the platform hears that a session
 * runs, and when it ends.
 */
class SessionPlatformTest : AppTest() {
    /** The phone as the test plays it: it records what the app asked for. */
    private class FakePhone : SessionPlatform {
        val heard = CopyOnWriteArrayList<String>()

        @Volatile
        var onSteps: ((Int) -> Unit)? = null

        /** Why the phone cannot count steps, when it cannot. */
        @Volatile
        var cannotCount: String? = null

        /** Whether the user refused the app the step count. */
        @Volatile
        var refused = false

        override fun stepsRefused() = refused

        override fun openAppPermissions() {
            heard += "settings opened"
        }

        override fun startSteps(onSteps: (Int) -> Unit): String? {
            cannotCount?.let { return it }
            if (this.onSteps == null) heard += "steps on"
            this.onSteps = onSteps
            return null
        }

        override fun stopSteps() {
            if (onSteps != null) heard += "steps off"
            onSteps = null
        }

        override fun sessionRunning(title: String, bySensor: Boolean) {
            val line = "running $title" + if (bySensor) " by sensor" else ""
            if (heard.lastOrNull { it.startsWith("running") || it == "ended" } != line) heard += line
        }

        override fun sessionEnded() {
            if (heard.lastOrNull { it.startsWith("running") || it == "ended" }?.startsWith("running") == true) heard += "ended"
        }

        /** The notification's Finish, as the app set it. */
        @Volatile
        var finish: (() -> Unit)? = null

        override fun whenFinishAsked(finish: (() -> Unit)?) {
            this.finish = finish
        }
    }

    /** No sensor paired and no radio. */
    private val noRadio = object : SensorRadio {
        override suspend fun scan(onFound: (FoundSensor) -> Unit) = throw RadioUnavailable("no radio in this test")
        override fun link(id: String): BleLink = throw RadioUnavailable("no radio in this test")
    }

    private fun <T> await(what: String, test: () -> T?): T = runBlocking {
        withTimeout(20_000) {
            var value = test()
            while (value == null) {
                kotlinx.coroutines.delay(10)
                value = test()
            }
            value
        } ?: throw AssertionError(what)
    }

    @Test
    fun `the phone's step counter counts a walk while it is active, and the phone hears the walk run and end`() {
        val phone = FakePhone()
        AppModels(Core(app, AppClock()), noRadio, dir.resolve("exports").toFile(), scope, Dispatchers.IO, platform = phone).use { models ->
            models.walk.start()
            val count = await("the step counter on") { phone.onSteps }
            count(120)
            runBlocking { withTimeout(20_000) { models.walk.state.first { it.steps == "120" } } }
            await("the walk heard running") { phone.heard.takeIf { "running Walk" in it } }

            models.walk.pause()
            await("the step counter off") { phone.heard.takeIf { it.last() == "steps off" } }
            models.walk.resume()
            await("the step counter on again") { phone.onSteps }
            models.walk.finish()
            await("the walk heard ending") { phone.heard.takeIf { "ended" in it } }
            await("the step counter off at the end") { true.takeIf { phone.onSteps == null } }
            // The counter and the session are heard on their own threads: each in its own order.
            assertEquals(listOf("steps on", "steps off", "steps on", "steps off"), phone.heard.filter { it.startsWith("steps") })
            assertEquals(listOf("running Walk", "ended"), phone.heard.filterNot { it.startsWith("steps") })
            assertEquals(120L, app.sessions().walksOn(Core(app, AppClock()).today().toString()).single().steps.toLong())
        }
    }

    @Test
    fun `a walk a sensor counts is told to the phone as the sensor's from its start, before any step`() {
        val phone = FakePhone()
        val demo = DemoRadio(hours = 0.5, liveTick = 20)
        try {
            AppModels(Core(app, AppClock()), demo, dir.resolve("exports").toFile(), scope, Dispatchers.IO, platform = phone).use { models ->
                models.devices.pair("SH-DEMO-0001")
                runBlocking { withTimeout(30_000) { models.devices.state.first { s -> s.sync == null && s.devices.any { it.paired } } } }
                // The demo's wearer sits: no step comes to report the sensor's counting.
                demo.demoWearerDoes(uniffi.second_heart.DemoActivity.Sitting(minutes = 30u))
                models.walk.start()
                await("the walk heard as the sensor's") { phone.heard.takeIf { "running Walk by sensor" in it } }
                models.walk.finish()
                await("the walk heard ending") { phone.heard.takeIf { it.last() == "ended" } }
                assertEquals(null, phone.onSteps, "the phone's counter never ran for a walk the sensor counted")
            }
        } finally {
            demo.sensor.close()
        }
    }

    @Test
    fun `a walk the phone cannot count says why where it says what counts it`() {
        val phone = FakePhone().apply { cannotCount = "Not counted: this phone has no step counter. Pair a sensor, or log the steps by hand." }
        AppModels(Core(app, AppClock()), noRadio, dir.resolve("exports").toFile(), scope, Dispatchers.IO, platform = phone).use { models ->
            models.walk.start()
            val walking = runBlocking { withTimeout(20_000) { models.walk.state.first { it.phase == WalkPhase.Walking } } }
            assertEquals(phone.cannotCount, walking.source)
            assertEquals(false, walking.stepsRefused, "no settings to offer for a phone without a step counter")
        }
    }

    @Test
    fun `a walk whose step count the user refused offers the phone's settings for the app`() {
        val phone = FakePhone().apply {
            cannotCount = "Not counted: allow Physical activity for Second Heart in the phone's settings, or log the steps by hand."
            refused = true
        }
        AppModels(Core(app, AppClock()), noRadio, dir.resolve("exports").toFile(), scope, Dispatchers.IO, platform = phone).use { models ->
            models.walk.start()
            val walking = runBlocking { withTimeout(20_000) { models.walk.state.first { it.phase == WalkPhase.Walking } } }
            assertEquals(phone.cannotCount, walking.source)
            assertEquals(true, walking.stepsRefused)
            models.walk.openAppPermissions()
            assertEquals("settings opened", phone.heard.last())
        }
    }

    @Test
    fun `the phone's Finish, on its notification, saves the walk as the screen's Finish does`() {
        val phone = FakePhone()
        AppModels(Core(app, AppClock()), noRadio, dir.resolve("exports").toFile(), scope, Dispatchers.IO, platform = phone).use { models ->
            models.walk.start()
            await("the step counter on") { phone.onSteps }(80)
            runBlocking { withTimeout(20_000) { models.walk.state.first { it.steps == "80" } } }
            await("the notification's Finish") { phone.finish }()
            await("the walk heard ending") { phone.heard.takeIf { "ended" in it } }
            assertEquals(null, app.sessions().status(), "no session runs on")
            assertEquals(80L, app.sessions().walksOn(Core(app, AppClock()).today().toString()).single().steps.toLong())
            runBlocking { withTimeout(20_000) { models.walk.state.first { it.message?.startsWith("Walk saved") == true } } }
        }
        assertEquals(null, phone.finish, "closed models leave the notification nothing to call")
    }
}
