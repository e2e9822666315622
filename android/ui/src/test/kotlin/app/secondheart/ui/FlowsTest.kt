package app.secondheart.ui

import androidx.compose.runtime.Composable
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.SemanticsNodeInteraction
import androidx.compose.ui.test.SkikoComposeUiTest
import androidx.compose.ui.test.assertIsDisplayed
import androidx.compose.ui.test.assertIsEnabled
import androidx.compose.ui.test.assertIsNotEnabled
import androidx.compose.ui.test.assertIsNotSelected
import androidx.compose.ui.test.assertIsSelected
import androidx.compose.ui.test.hasClickAction
import androidx.compose.ui.test.hasContentDescription
import androidx.compose.ui.test.hasSetTextAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onAllNodesWithText
import androidx.compose.ui.test.onNodeWithContentDescription
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.semantics.SemanticsActions
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.test.SemanticsMatcher
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performSemanticsAction
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performTextReplacement
import androidx.compose.ui.test.v2.runSkikoComposeUiTest
import androidx.compose.ui.unit.Density
import java.time.Duration
import java.time.ZoneId
import java.time.format.DateTimeFormatter
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import app.secondheart.state.WalkPhase
import uniffi.second_heart.DemoActivity
import uniffi.second_heart.SessionState

/** The flows a user does, clicked through the real screens over the core's API on a fresh database. */
@OptIn(ExperimentalTestApi::class)
class FlowsTest {
    /** The app over [demo] on a phone's screen, drawn as an activity draws it ([Recreation]: the flow may turn the phone). */
    private fun flow(
        demo: DemoApp,
        systemBack: @Composable (Boolean, () -> Unit) -> Unit = { _, _ -> },
        body: SkikoComposeUiTest.(Recreation) -> Unit,
    ) = demo.use {
        runBlocking { demo.models.refreshAll() }
        runSkikoComposeUiTest(Size(Phone.widthPx.toFloat(), Phone.heightPx.toFloat()), Density(Phone.DENSITY)) {
            val activity = Recreation()
            setContent { activity.Content { SecondHeartApp(demo.models, dark = false, systemBack = systemBack) } }
            body(activity)
        }
    }

    @Test
    fun `a new install opens on the welcome, asks the profile and the health questions, and Start opens Today`() {
        val firstRun = app.secondheart.state.FirstRun.InMemory()
        val demo = DemoApp.newInstall(firstRun)
        flow(demo) {
            onNodeWithText("Welcome").assertIsDisplayed()
            assertEquals(0, onAllNodes(hasText("History") and hasClickAction()).fetchSemanticsNodes().size, "no bar before Start")
            onNode(hasSetTextAction() and hasText("Height (cm)")).performTextReplacement("168")
            onNode(hasSetTextAction() and hasText("Daily steps goal")).performTextReplacement("9000")
            onNode(hasContentDescription("Yes: Do you have severe numbness", substring = true)).performScrollTo().performClick()
            button("Start").performClick()
            waitUntil(timeoutMillis = 10_000) { firstRun.done() }
            onNode(hasText("Today") and hasClickAction()).assertIsSelected()
            assertTrue(ring("Steps:").contains("of 9,000"), ring("Steps:"))
            // Every screen read again after Start (History was read at launch, and is not opened here).
            waitUntil(timeoutMillis = 10_000) { demo.models.history.state.value.charts.firstOrNull { it.title == "Steps" }?.goal == 9000f }
            val profile = demo.app.profile().get()
            assertEquals(168.0, profile.heightCm)
            assertTrue(profile.cautions.severeNeuropathy, "the answer given in the welcome is kept")
        }
    }

    @Test
    fun `History's day names the hours under its bars, every sixth`() {
        flow(DemoApp.empty()) {
            tab("History")
            onNode(hasText("Day") and hasClickAction()).performClick()
            waitUntil(timeoutMillis = 10_000) { onAllNodesWithText("Steps by the hour").fetchSemanticsNodes().isNotEmpty() }
            // Each of the three charts names 00, 06, 12 and 18 (the first two in sight at least).
            for (hour in listOf("00", "06", "12", "18")) {
                assertTrue(onAllNodesWithText(hour).fetchSemanticsNodes().size >= 2, "$hour under the bars")
            }
        }
    }

    @Test
    fun `Back leaves Settings for Today by the header's arrow or the phone's back, another tab for Today, and on Today is the phone's`() {
        val demo = DemoApp.empty()
        // What the app asks of the phone's back button: whether it takes it, and what it does.
        var phoneBack: (() -> Unit)? = null
        flow(demo, systemBack = { enabled, onBack -> phoneBack = onBack.takeIf { enabled } }) {
            val onToday = hasText("Today") and hasClickAction()
            onNode(onToday).assertIsSelected()
            runOnIdle { assertEquals(null, phoneBack, "on Today, back is the phone's: it leaves the app") }
            onNodeWithContentDescription("Settings").performClick()
            onNodeWithText("Profile, reminders, your data").assertIsDisplayed()
            onNodeWithContentDescription("Back").performClick()
            onNode(onToday).assertIsSelected()
            onNodeWithContentDescription("Settings").performClick()
            onNodeWithText("Profile, reminders, your data").assertIsDisplayed()
            runOnIdle { phoneBack!!() }
            onNode(onToday).assertIsSelected()
            tab("History")
            runOnIdle { phoneBack!!() }
            onNode(onToday).assertIsSelected()
            // On Walk with the log form open, back closes the form (as Cancel does) and stays on Walk.
            tab("Walk")
            button("Log a walk done without the app").performClick()
            onNodeWithText("Started at (hours:minutes)").assertIsDisplayed()
            runOnIdle { phoneBack!!() }
            onNode(hasText("Start walk") and hasClickAction()).assertIsDisplayed()
            onNode(hasText("Walk") and hasClickAction()).assertIsSelected()
            runOnIdle { phoneBack!!() }
            onNode(onToday).assertIsSelected()
        }
    }

    private fun SkikoComposeUiTest.tab(label: String) = onNode(hasText(label) and hasClickAction()).performClick()

    private fun SkikoComposeUiTest.button(label: String): SemanticsNodeInteraction =
        onNode(hasText(label) and hasClickAction()).performScrollTo()

    /**
     * Taps the button [label], drawn where another was just tapped, a second after it was drawn:
     * a touch sooner is taken for the second half of a double tap meant for the one before (TapGuard).
     */
    private fun SkikoComposeUiTest.tapInPlaceOfAnother(label: String) {
        aSecondAfterItShows(label)
        button(label).performClick()
    }

    /** Waits for the button [label] to be drawn, then lets a second pass (see [tapInPlaceOfAnother]). */
    private fun SkikoComposeUiTest.aSecondAfterItShows(label: String) {
        shown(hasText(label) and hasClickAction())
        mainClock.advanceTimeBy(1_000)
    }

    private fun SkikoComposeUiTest.ring(label: String) =
        onNode(hasContentDescription(label, substring = true)).fetchSemanticsNode().config
            .first { it.key.name == "ContentDescription" }.value.toString()

    /**
     * The node showing [text], once the screen has drawn it: a model's state changes before the
     * screen collects it, so a check right after waiting on the model can see the frame before.
     */
    private fun SkikoComposeUiTest.shown(text: String, substring: Boolean = false): SemanticsNodeInteraction =
        shown(hasText(text, substring = substring))

    /** The node [matcher] finds, once the screen has drawn it (see [shown]). */
    private fun SkikoComposeUiTest.shown(matcher: SemanticsMatcher): SemanticsNodeInteraction {
        waitUntil(timeoutMillis = 10_000) { onAllNodes(matcher).fetchSemanticsNodes().isNotEmpty() }
        return onNode(matcher)
    }

    /**
     * Double-taps Start walk on the Walk tab: frame by frame from the first tap, so the second lands on Finish a
     * tenth of a second after it is drawn, as a double tap's second half does.
     */
    private fun SkikoComposeUiTest.doubleTapStartWalk() {
        tab("Walk")
        val finish = hasText("Finish") and hasClickAction()
        aSecondAfterItShows("Start walk")
        mainClock.autoAdvance = false
        button("Start walk").performClick()
        waitUntil(timeoutMillis = 10_000) {
            mainClock.advanceTimeByFrame()
            onAllNodes(finish).fetchSemanticsNodes().isNotEmpty()
        }
        mainClock.advanceTimeBy(100)
        onNode(finish).performClick()
        mainClock.autoAdvance = true
    }

    @Test
    fun `a double tap on Start walk starts the walk, and its second tap, landing on Finish, does not end it`() {
        val demo = DemoApp.empty()
        flow(demo) {
            doubleTapStartWalk()
            // Pause is queued behind whatever the second tap asked: the walk, paused, is still open.
            tapInPlaceOfAnother("Pause")
            shown(hasText("Resume") and hasClickAction())
            assertEquals(SessionState.PAUSED, demo.app.sessions().status()?.progress?.state)
            assertEquals(null, demo.models.walk.state.value.message, "no walk saved")

            tapInPlaceOfAnother("Finish")
            shown("Walk saved", substring = true).assertIsDisplayed()
        }
    }

    @Test
    fun `a click without a touch, as TalkBack's, goes through at once, also after a double tap's second half was held back`() {
        val demo = DemoApp.empty()
        flow(demo) {
            doubleTapStartWalk()
            // The touch was held back: given the time a Finish takes to store, the walk still runs.
            Thread.sleep(500)
            waitForIdle()
            assertEquals(SessionState.ACTIVE, demo.app.sessions().status()?.progress?.state)
            assertEquals(null, demo.models.walk.state.value.message, "no walk saved")
            onNode(hasText("Finish") and hasClickAction()).performSemanticsAction(SemanticsActions.OnClick)
            shown("Walk saved", substring = true).assertIsDisplayed()
        }
    }

    @Test
    fun `log a walk with steps from the step counter and see it on Today`() {
        val demo = DemoApp.empty()
        flow(demo) {
            tab("Walk")
            tapInPlaceOfAnother("Start walk")
            repeat(20) {
                demo.clock.advance(1)
                demo.models.walk.steps(110)
            }
            // A tap waits while the walk's clock reads the core (once a second, on its own thread).
            waitUntil(timeoutMillis = 10_000) { demo.models.walk.state.value.steps == "2,200" }
            shown("2,200").assertIsDisplayed()
            tapInPlaceOfAnother("Finish")
            waitUntil(timeoutMillis = 10_000) { demo.models.walk.state.value.message != null }
            shown("Walk saved: 2,200 steps", substring = true).assertIsDisplayed()
            shown("2,200 steps · 110 steps/min").performScrollTo().assertIsDisplayed()
            tab("Today")
            assertTrue(ring("Steps:").startsWith("[Steps: 2,200 of "), ring("Steps:"))
        }
    }

    @Test
    fun `log a walk done yesterday without the app, and the screen and what was typed outlive the phone turning`() {
        val demo = DemoApp.empty()
        flow(demo) { activity ->
            tab("Walk")
            button("Log a walk done without the app").performClick()
            onNodeWithText("Today · Tue 1 Dec").assertIsDisplayed()
            onNodeWithContentDescription("The day after").assertIsNotEnabled()
            // Two days back, and one forward again.
            repeat(2) { onNodeWithContentDescription("The day before").performClick() }
            onNodeWithText("Sun 29 Nov").assertIsDisplayed()
            onNodeWithContentDescription("The day after").performClick()
            onNode(hasSetTextAction() and hasText("Started at (hours:minutes)")).performTextReplacement("13:10")
            onNode(hasSetTextAction() and hasText("Minutes")).performTextReplacement("45")
            onNode(hasSetTextAction() and hasText("Steps")).performTextReplacement("4800")
            runOnIdle { activity.recreate() }
            // Still on Walk, with what was typed and the day chosen.
            onNodeWithText("Yesterday · Mon 30 Nov").assertIsDisplayed()
            onNode(hasSetTextAction() and hasText("13:10")).assertIsDisplayed()
            onNode(hasSetTextAction() and hasText("45")).assertIsDisplayed()
            onNode(hasSetTextAction() and hasText("4800")).assertIsDisplayed()
            button("Log walk").performClick()
            waitUntil(timeoutMillis = 10_000) { demo.models.walk.state.value.message != null }
            shown("Walk logged: 45 min from 13:10 yesterday, 4,800 steps").assertIsDisplayed()
            assertEquals(listOf(4800u), demo.app.sessions().walksOn("2026-11-30").map { it.steps })
        }
    }

    @Test
    fun `delete a walk logged by mistake only after confirming, and its steps go with it`() {
        val demo = DemoApp.empty()
        val today = demo.clock.instant.atZone(DemoApp.ZONE).toLocalDate()
        demo.app.sessions().logWalk(today.atTime(8, 0).atZone(DemoApp.ZONE).toInstant(), null, 30 * 60, 3_000)
        flow(demo) {
            tab("Walk")
            val delete = onNode(hasContentDescription("Delete the walk logged at 08:00", substring = true) and hasClickAction())
            delete.performScrollTo().performClick()
            onNodeWithText("It was logged by hand", substring = true).assertIsDisplayed()
            onNodeWithText("Keep it").performClick()
            assertEquals(1, demo.app.sessions().walksOn(today.toString()).size, "kept")

            delete.performScrollTo().performClick()
            onNodeWithText("Delete walk").performClick()
            waitUntil(timeoutMillis = 10_000) { demo.models.walk.state.value.message?.startsWith("Walk deleted") == true }
            shown("Walk deleted: 30 min from 08:00, 3,000 steps").assertIsDisplayed()
            assertTrue(demo.app.sessions().walksOn(today.toString()).isEmpty(), "deleted")
            assertEquals(0u, demo.app.today().view().summary.steps, "its steps went with it")
        }
    }

    @Test
    fun `a flight being planned outlives the phone turning`() {
        val demo = DemoApp.empty()
        flow(demo) { activity ->
            tab("Flight")
            onNode(hasSetTextAction() and hasText("From (time zone)")).performTextReplacement("Europe/Berlin")
            button("Window").performClick()
            runOnIdle { activity.recreate() }
            onNode(hasSetTextAction() and hasText("Europe/Berlin")).assertIsDisplayed()
            onNode(hasText("Window") and hasClickAction()).assertIsSelected()
        }
    }

    @Test
    fun `what was typed on a screen is still there after a look at another tab`() {
        val demo = DemoApp.empty()
        flow(demo) {
            tab("Flight")
            onNode(hasSetTextAction() and hasText("From (time zone)")).performTextReplacement("Europe/Berlin")
            button("Window").performClick()
            tab("Walk")
            button("Log a walk done without the app").performClick()
            onNode(hasSetTextAction() and hasText("Minutes")).performTextReplacement("45")
            tab("Today")
            tab("Flight")
            onNode(hasSetTextAction() and hasText("Europe/Berlin")).assertIsDisplayed()
            onNode(hasText("Window") and hasClickAction()).assertIsSelected()
            tab("Walk")
            onNode(hasSetTextAction() and hasText("45")).assertIsDisplayed()
        }
    }

    @Test
    fun `a profile being edited in Settings outlives the phone turning`() {
        val demo = DemoApp.empty()
        flow(demo) { activity ->
            onNodeWithContentDescription("Settings").performClick()
            onNode(hasSetTextAction() and hasText("Height (cm)")).performTextReplacement("181")
            onNode(hasSetTextAction() and hasText("Daily steps goal")).performTextReplacement("9000")
            runOnIdle { activity.recreate() }
            onNode(hasSetTextAction() and hasText("181")).assertIsDisplayed()
            onNode(hasSetTextAction() and hasText("9000")).assertIsDisplayed()
        }
    }

    @Test
    fun `an ankle-brachial index a doctor measured is typed into Settings, and a low one stops the app suggesting compression`() {
        val demo = DemoApp.empty()
        flow(demo) {
            onNodeWithContentDescription("Settings").performClick()
            onNode(hasSetTextAction() and hasText("Ankle–brachial index")).performScrollTo().performTextReplacement("0.7")
            button("Save index").performClick()
            onNodeWithText("ankle–brachial index of 0.70", substring = true).performScrollTo().assertIsDisplayed()
            assertEquals(0.7, demo.app.profile().get().cautions.ankleBrachialIndex)
        }
    }

    @Test
    fun `a walk's clock and legs-up's countdown move on screen as time passes`() {
        val demo = DemoApp.empty()
        flow(demo) {
            tab("Walk")
            tapInPlaceOfAnother("Start walk")
            demo.clock.advance(2)
            // No step and no tap: the screen reads the walk's time again by itself.
            waitUntil(timeoutMillis = 10_000) { demo.models.walk.state.value.elapsed == "2:00" }
            shown("2:00").assertIsDisplayed()
            tapInPlaceOfAnother("Finish")

            tab("Exercises")
            for (question in listOf("Have you injured a leg", "Does a leg hurt now?", "Do you feel faint", "Are you short of breath")) {
                onNode(hasContentDescription("No: $question", substring = true)).performScrollTo().performClick()
            }
            tapInPlaceOfAnother("Start 15 minutes legs up")
            onNodeWithText("15:00").performScrollTo().assertIsDisplayed()
            demo.clock.advance(5)
            waitUntil(timeoutMillis = 10_000) { demo.models.exercises.state.value.elevation.timer == "10:00" }
            // The answers were for that start: once stopped, the next start asks again.
            tapInPlaceOfAnother("Stop")
            waitUntil(timeoutMillis = 10_000) { demo.models.exercises.state.value.elevation.timer == null }
            assertEquals(listOf(null, null, null, null), demo.models.exercises.state.value.elevation.questions.map { it.answer })
        }
    }

    @Test
    fun `do a calf-raise set and see it counted on Today`() {
        val demo = DemoApp.empty()
        flow(demo) {
            tab("Exercises")
            tapInPlaceOfAnother("Start calf raises")
            aSecondAfterItShows("Count a rep")
            repeat(20) {
                demo.clock.instant = demo.clock.instant.plusSeconds(3)
                button("Count a rep").performClick()
            }
            // Only the count is announced as it changes: the cue (a sensor's hold changes it every frame) is read when reached.
            onNode(
                hasContentDescription("20 of 20 reps") and SemanticsMatcher.keyIsDefined(SemanticsProperties.LiveRegion),
            ).assertIsDisplayed()
            tapInPlaceOfAnother("Finish set")
            shown("Set done: 20 reps").performScrollTo().assertIsDisplayed()
            tab("Today")
            assertTrue(ring("Calf-raise sets:").startsWith("[Calf-raise sets: 1 of 3"), ring("Calf-raise sets:"))
        }
    }

    @Test
    fun `do a calf-raise set counted from the demo sensor`() {
        val demo = DemoApp.empty()
        demo.syncDemoSensor()
        // The sensor's day may hold sets of its own: this one adds one more.
        val before = demo.app.today().view().summary.calfRaiseSets
        flow(demo) {
            tab("Exercises")
            tapInPlaceOfAnother("Start calf raises")
            // The sensor counts: no tapping.
            assertTrue(onAllNodes(hasText("Count a rep") and hasClickAction()).fetchSemanticsNodes().isEmpty(), "no tap counter while the sensor counts")
            onNodeWithText("Counted by your sensor SH-DEMO-0001", substring = true).performScrollTo().assertIsDisplayed()
            // The sensor's time moves on only once it streams: the set's first raise is in its frames.
            demo.awaitStreaming()
            // The wearer rises onto their toes, holds 1 s and comes down, 20 times; the screen follows each frame.
            val cues = mutableSetOf<String>()
            demo.live(seconds = 75.0) {
                demo.models.exercises.state.value.set?.let { cues += it.cue.substringBefore("…") }
                (demo.models.exercises.state.value.set?.reps ?: 0) >= 20
            }
            waitUntil(timeoutMillis = 20_000) { demo.models.exercises.state.value.set?.reps == 20 }
            assertTrue("Hold" in cues && "Up onto your toes" in cues && "Down slowly" in cues, "the hold cue followed each raise: $cues")
            shown(hasContentDescription("20 of 20 reps", substring = true)).performScrollTo().assertIsDisplayed()
            onNodeWithText("mean hold 1", substring = true).assertIsDisplayed()
            // Finished at the top of the 20th raise, before the sensor could measure its hold: the set keeps all 20.
            tapInPlaceOfAnother("Finish set")
            // Finishing is written off the main thread: wait for the screen to say so.
            waitUntil(timeoutMillis = 20_000) { demo.models.exercises.state.value.set?.finished == true }
            assertEquals("Set done: 20 reps", demo.models.exercises.state.value.set?.cue)
            shown("Set done: 20 reps").performScrollTo().assertIsDisplayed()
            shown("Calf-raise sets today: ${before + 1u}").performScrollTo().assertIsDisplayed()
            tab("Today")
            assertTrue(ring("Calf-raise sets:").startsWith("[Calf-raise sets: ${before + 1u} of 3"), ring("Calf-raise sets:"))
        }
    }

    @Test
    fun `walk with the demo sensor, see its live steps and cadence, and the walk saved with them`() {
        val demo = DemoApp.empty()
        demo.syncDemoSensor()
        // The sensor's day holds steps of its own: the walk adds its steps to them.
        val before = demo.app.today().view().summary.steps
        flow(demo) {
            tab("Walk")
            // Before the walk, the screen already says who will count it.
            onNodeWithText("Counted by your sensor SH-DEMO-0001").assertIsDisplayed()
            tapInPlaceOfAnother("Start walk")
            // The demo wearer walks at 110 steps a minute from the moment the walk starts.
            demo.awaitStreaming()
            waitForIdle()
            onNodeWithText("Counted by your sensor SH-DEMO-0001").assertIsDisplayed()

            demo.liveFor(seconds = 30.0)
            waitForIdle()
            val half = demo.models.walk.state.value
            onNodeWithText("0:30").assertIsDisplayed()
            onNodeWithText(half.steps).assertIsDisplayed()
            val halfSteps = half.steps.replace(",", "").toInt()
            assertTrue(halfSteps in 45..60, "half a minute at 110 steps/min: ${half.steps}")

            demo.liveFor(seconds = 30.0)
            waitForIdle()
            val walked = demo.models.walk.state.value
            onNodeWithText("1:00").assertIsDisplayed()
            onNodeWithText(walked.steps).assertIsDisplayed()
            onNodeWithText(walked.cadence).assertIsDisplayed()
            onNodeWithText(walked.pumped).assertIsDisplayed()
            val steps = walked.steps.replace(",", "").toInt()
            assertTrue(steps in 100..115 && steps > halfSteps, "a minute at 110 steps/min: ${walked.steps} after ${half.steps}")
            val cadence = Regex("(\\d+) /min").matchEntire(walked.cadence)?.groupValues?.get(1)?.toInt()
            assertTrue(cadence != null && cadence in 104..116, "the cadence the wearer walks at, 110: ${walked.cadence}")
            assertTrue(walked.pumped.endsWith(" L") && walked.pumped != "0.0 L", "the calves pumped: ${walked.pumped}")

            tapInPlaceOfAnother("Finish")
            // Finishing is written off the main thread: wait for the screen to say so.
            waitUntil(timeoutMillis = 20_000) { demo.models.walk.state.value.message != null }
            shown("Walk saved: $steps steps", substring = true).assertIsDisplayed()
            shown("$steps steps · ", substring = true).performScrollTo().assertIsDisplayed()
            assertEquals(before + steps.toUInt(), demo.app.today().view().summary.steps, "the walk's steps count into the day")
            tab("Today")
            val ring = ring("Steps:")
            assertTrue(ring.startsWith("[Steps: ${"%,d".format((before + steps.toUInt()).toLong())} of "), ring)
        }
    }

    @Test
    fun `a walk the sensor counts whose Finish is forgotten is saved at its end by the next frame`() {
        val demo = DemoApp.empty()
        demo.syncDemoSensor()
        flow(demo) {
            tab("Walk")
            tapInPlaceOfAnother("Start walk")
            demo.awaitStreaming()
            // The demo wearer walks half an hour, then sits: half an hour after the last step the walk
            // has ended by itself, and the next frame finds it so.
            demo.live(seconds = 65 * 60.0, stepMillis = 60_000) { demo.models.walk.state.value.message != null }
            waitUntil(timeoutMillis = 20_000) { demo.models.walk.state.value.phase == WalkPhase.Ready }
            val walk = demo.models.walk.state.value
            assertTrue(walk.message?.startsWith("Walk saved") == true && walk.message!!.contains("ended by itself"), "$walk")
            assertEquals(null, demo.app.sessions().status(), "saved at its end, nothing left open for the sensor to count into")
        }
    }

    @Test
    fun `pause a walk the sensor counts, and the steps walked while paused are neither shown nor saved, nor their litres`() {
        val demo = DemoApp.empty()
        demo.syncDemoSensor()
        flow(demo) {
            tab("Walk")
            tapInPlaceOfAnother("Start walk")
            demo.awaitStreaming()
            demo.liveFor(seconds = 30.0)
            waitForIdle()
            val first = demo.models.walk.state.value.steps
            val litres = demo.models.walk.state.value.pumped
            onNodeWithText(first).assertIsDisplayed()

            tapInPlaceOfAnother("Pause")
            waitUntil(timeoutMillis = 20_000) { demo.models.walk.state.value.phase == WalkPhase.Paused }
            // The wearer walks on while the walk is paused: the walk's clock and steps stand still.
            demo.liveFor(seconds = 30.0)
            waitForIdle()
            val paused = demo.models.walk.state.value
            assertEquals(first to "0:30", paused.steps to paused.elapsed, "$paused")
            assertEquals(litres, paused.pumped, "the litres stand still too: $paused")
            onNodeWithText(first).assertIsDisplayed()

            tapInPlaceOfAnother("Resume")
            waitUntil(timeoutMillis = 20_000) { demo.models.walk.state.value.phase == WalkPhase.Walking }
            demo.liveFor(seconds = 30.0)
            waitForIdle()
            val walked = demo.models.walk.state.value
            onNodeWithText("1:00").assertIsDisplayed()
            onNodeWithText(walked.steps).assertIsDisplayed()
            val steps = walked.steps.replace(",", "").toInt()
            val firstSteps = first.replace(",", "").toInt()
            assertTrue(steps - firstSteps in 45..60, "half a minute more at 110 steps/min: ${walked.steps} after $first")

            tapInPlaceOfAnother("Finish")
            waitUntil(timeoutMillis = 20_000) { demo.models.walk.state.value.message != null }
            // What the screen counted is what the walk saved.
            shown("Walk saved: $steps steps", substring = true).assertIsDisplayed()
        }
    }

    @Test
    fun `watch live data from the demo sensor on Devices, then stop it`() {
        val demo = DemoApp.empty()
        demo.syncDemoSensor()
        flow(demo) {
            onNodeWithContentDescription("SH-DEMO-0001", substring = true).performScrollTo().performClick()
            onNode(hasContentDescription("Live data from ", substring = true) and hasClickAction()).performScrollTo().performClick()
            demo.awaitStreaming()
            val link = demo.screensRadio.latest!!
            // The wearer gets up and walks while the user watches.
            demo.radio.demoWearerDoes(DemoActivity.Walking(10u, 110u))
            demo.liveFor(seconds = 60.0)
            waitForIdle()
            val live = demo.models.devices.state.value.live
            assertEquals("Walking", live?.posture, "$live")
            // A minute at 25 samples a second, five to a frame: 300 frames, every one of them.
            onNodeWithText("300 frames · none lost").performScrollTo().assertIsDisplayed()
            onNodeWithText("Live from SH-DEMO-0001").assertIsDisplayed()
            onNodeWithText("Walking").assertIsDisplayed()
            onNodeWithText("110 steps/min").assertIsDisplayed()
            val pressure = Regex("(\\d+) mmHg at the ankle · (\\d+) mmHg at the calf").matchEntire(live!!.pressure)
            assertTrue(pressure != null && pressure.groupValues[1].toInt() > 0, live.pressure)
            onNodeWithText(live.pressure).assertIsDisplayed()
            onNode(hasContentDescription("Calf muscle contraction", substring = true)).assertIsDisplayed()
            // One radio operation a sensor: no sync or forget while live data runs.
            button("Sync now").assertIsNotEnabled()
            onNode(hasContentDescription("Forget ", substring = true) and hasClickAction()).performScrollTo().assertIsNotEnabled()

            button("Stop live data").performClick()
            waitUntil(timeoutMillis = 20_000) { demo.models.devices.state.value.live == null }
            assertTrue(onAllNodesWithText("Live from SH-DEMO-0001").fetchSemanticsNodes().isEmpty(), "the live card is gone")
            // The core told the sensor to stop and dropped the link.
            waitUntil(timeoutMillis = 30_000) { link.disconnected }
            // The sensor's time moves on: nothing more reaches the screen.
            demo.liveFor(seconds = 5.0)
            waitForIdle()
            assertEquals(null, demo.models.devices.state.value.live)
            assertTrue(onAllNodesWithText("frames · ", substring = true).fetchSemanticsNodes().isEmpty(), "no frame after stopping")
            onNode(hasContentDescription("Live data from ", substring = true) and hasClickAction()).performScrollTo().assertIsEnabled()
            button("Sync now").assertIsEnabled()

            // Live data is for watching: going to another screen stops it,
            // and the sensor is free for the walk there.
            onNode(hasContentDescription("Live data from ", substring = true) and hasClickAction()).performScrollTo().performClick()
            demo.awaitStreaming()
            val watched = demo.screensRadio.latest!!
            tab("Walk")
            waitUntil(timeoutMillis = 20_000) { demo.models.devices.state.value.live == null }
            waitUntil(timeoutMillis = 30_000) { watched.disconnected }
        }
    }

    @Test
    fun `move the Learn sliders and the charts answer`() {
        val demo = DemoApp.empty()
        flow(demo) {
            onNodeWithText("How your second heart works", substring = true).performScrollTo().performClick()
            waitUntil(timeoutMillis = 60_000) { demo.models.learn.state.value.let { it.pressure != null && it.swelling != null && !it.running } }
            val before = demo.models.learn.state.value.pressure!!.answer
            val sittingBefore = demo.models.learn.state.value.swelling
            shown(before).assertIsDisplayed()
            // Faster walking: the walk is run again, the sitting runs are not.
            onNode(hasContentDescription("Walking speed")).performSemanticsAction(SemanticsActions.SetProgress) { it(6f) }
            onNodeWithText("6.0 km/h").assertIsDisplayed()
            waitUntil(timeoutMillis = 60_000) { demo.models.learn.state.value.let { !it.running && it.pressure?.answer != before } }
            val faster = demo.models.learn.state.value.pressure!!.answer
            assertTrue(faster.contains("Walking at 6.0 km/h"), faster)
            assertEquals(sittingBefore, demo.models.learn.state.value.swelling, "sitting did not change")
            shown(faster).performScrollTo().assertIsDisplayed()
            // No breaks: one line, and the answer asks for a break.
            onNode(hasContentDescription("A break")).performScrollTo().performSemanticsAction(SemanticsActions.SetProgress) { it(0f) }
            waitUntil(timeoutMillis = 60_000) { demo.models.learn.state.value.let { !it.running && it.swelling?.series?.size == 1 } }
            shown("Set a break to see what moving does", substring = true).performScrollTo().assertIsDisplayed()
            // A 20 mmHg stocking: less swelling over the same hours.
            val bare = demo.models.learn.state.value.swelling!!.series.single().points.last()
            onNode(hasContentDescription("Compression stockings")).performScrollTo().performSemanticsAction(SemanticsActions.SetProgress) { it(20f) }
            waitUntil(timeoutMillis = 60_000) { demo.models.learn.state.value.let { !it.running && it.stockings.text == "20 mmHg" && it.swelling?.series?.single()?.points?.last() != bare } }
            val stocking = demo.models.learn.state.value.swelling!!.series.single().points.last()
            assertTrue(stocking < bare, "a stocking lowers the swelling: $stocking mL against $bare mL")
        }
    }

    @Test
    fun `plan a flight and see its timeline in both zones`() {
        val demo = DemoApp.empty()
        val form = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
        val departure = demo.clock.instant.plus(Duration.ofDays(5)).atZone(ZoneId.of("Europe/Berlin")).withHour(10).withMinute(0)
        val arrival = departure.plusMinutes(680).withZoneSameInstant(ZoneId.of("America/Los_Angeles"))
        flow(demo) {
            tab("Flight")
            onNode(hasSetTextAction() and hasText("Departs (local time)")).performTextReplacement(departure.format(form))
            onNode(hasSetTextAction() and hasText("From (time zone)")).performTextReplacement("Europe/Berlin")
            onNode(hasSetTextAction() and hasText("Arrives (local time)")).performTextReplacement(arrival.format(form))
            onNode(hasSetTextAction() and hasText("To (time zone)")).performTextReplacement("America/Los_Angeles")
            button("Window").performClick()
            button("Do you take the pill or hormone therapy?").performClick()
            button("Make my plan").performClick()
            onNodeWithText("Berlin → Los Angeles · 11 h 20 min").performScrollTo().assertIsDisplayed()
            onNodeWithText("Timeline").assertIsDisplayed()
            // The first step in both zones: 10:00 minus the lead time in Berlin is the night before in Los Angeles.
            val steps = onAllNodes(hasContentDescription("at home,", substring = true)).fetchSemanticsNodes()
            assertTrue(steps.size >= 3, "a timeline of several steps, got ${steps.size}")
            // Socks on half an hour before a 10:00 departure: 09:30 in Berlin is 00:30 in Los Angeles.
            onNode(hasContentDescription("09:30 at home, 00:30 there: Compression socks", substring = true)).performScrollTo().assertIsDisplayed()
            // Landing at 12:20 in Los Angeles is 21:20 back home.
            onNode(hasContentDescription("21:20 at home, 12:20 there: Landed", substring = true)).performScrollTo().assertIsDisplayed()
        }
    }

    @Test
    fun `pair and sync the demo sensor with a progress bar, cancel a sync, then finish it`() {
        val demo = DemoApp.empty()
        // The link stops part-way, as a slow radio would, until the test lets it on.
        val hold = demo.screensRadio.holdNextLink(recordNotifications = 5)
        flow(demo) {
            onNodeWithContentDescription("No sensor paired", substring = true).performScrollTo().performClick()
            button("Scan").performClick()
            onNode(hasContentDescription("Pair Demo sock sensor")).performClick()
            // Cancel with some of the records in.
            waitUntil(timeoutMillis = 20_000) {
                (hold.holding && (demo.models.devices.state.value.sync?.fraction ?: 0f) > 0f) || demo.models.devices.state.value.message != null
            }
            assertEquals(null, demo.models.devices.state.value.message, "the sync is under way")
            onNodeWithContentDescription("Sync progress", substring = true).assertIsDisplayed()
            button("Cancel sync").performClick()
            waitUntil(timeoutMillis = 30_000) { demo.models.devices.state.value.message != null }
            assertTrue(demo.models.devices.state.value.message!!.startsWith("Sync cancelled"), demo.models.devices.state.value.message)
            shown("Sync cancelled", substring = true).assertIsDisplayed()
            val kept = demo.app.sensors().summary("SH-DEMO-0001")?.records ?: 0u
            assertTrue(kept > 0u, "what was synced before cancelling stays")
            hold.release()

            // What the pairing stored made the sensor paired: it is listed, and its sync resumes
            // where the cancelled one stopped.
            onNode(hasText("Sync now") and hasClickAction()).performScrollTo().performClick()
            waitUntil(timeoutMillis = 60_000) { onAllNodesWithText("Synced", substring = true).fetchSemanticsNodes().isNotEmpty() }
            val all = demo.app.sensors().summary("SH-DEMO-0001")!!
            assertEquals(all.highWater.toULong(), all.records + all.gapRecords, "every record once, none doubled")
            onNode(hasText("Sync now") and hasClickAction()).performScrollTo().assertIsDisplayed()
        }
    }

    @Test
    fun `answer the safety questions and be stopped where a gate says no`() {
        val demo = DemoApp.empty()
        flow(demo) {
            tab("Exercises")
            onNode(hasContentDescription("No: Have you injured a leg", substring = true)).performScrollTo().performClick()
            onNode(hasContentDescription("Yes: Does a leg hurt now?", substring = true)).performScrollTo().performClick()
            onNode(hasContentDescription("No: Do you feel faint", substring = true)).performScrollTo().performClick()
            onNode(hasContentDescription("No: Are you short of breath", substring = true)).performScrollTo().performClick()
            tapInPlaceOfAnother("Start 15 minutes legs up")
            val gate = demo.models.exercises.state.value.elevation.gate
            assertTrue(gate is app.secondheart.state.GateUi.Closed, "$gate")
            onNodeWithText((gate as app.secondheart.state.GateUi.Closed).reason).performScrollTo().assertIsDisplayed()
            assertEquals(null, demo.app.sessions().status(), "nothing started")

            onNode(hasContentDescription("No: Does a leg hurt now?", substring = true)).performScrollTo().performClick()
            tapInPlaceOfAnother("Start 15 minutes legs up")
            onNodeWithText("15:00").performScrollTo().assertIsDisplayed()
        }
    }

    @Test
    fun `clear a finished set's card while legs-up runs, and legs-up runs on`() {
        val demo = DemoApp.empty()
        flow(demo) {
            tab("Exercises")
            tapInPlaceOfAnother("Start ankle pumps")
            tapInPlaceOfAnother("Count a rep")
            tapInPlaceOfAnother("Finish set")
            onNodeWithText("Set done: 1 rep").performScrollTo().assertIsDisplayed()
            for (question in listOf("Have you injured a leg", "Does a leg hurt now?", "Do you feel faint", "Are you short of breath")) {
                onNode(hasContentDescription("No: $question", substring = true)).performScrollTo().performClick()
            }
            tapInPlaceOfAnother("Start 15 minutes legs up")
            onNodeWithText("15:00").performScrollTo().assertIsDisplayed()

            tapInPlaceOfAnother("Done")
            waitUntil(timeoutMillis = 10_000) { demo.models.exercises.state.value.set == null }
            assertEquals(uniffi.second_heart.SessionKind.LEG_ELEVATION, demo.app.sessions().status()?.progress?.kind)
            assertEquals(uniffi.second_heart.SessionState.ACTIVE, demo.app.sessions().status()?.progress?.state, "legs-up still running")
            onNodeWithText("15:00").performScrollTo().assertIsDisplayed()
            button("Start calf raises").assertIsDisplayed()
        }
    }

    @Test
    fun `forget a sensor only after confirming, and its records go with it`() {
        val demo = DemoApp.empty()
        demo.syncDemoSensor()
        flow(demo) {
            onNodeWithContentDescription("SH-DEMO-0001", substring = true).performScrollTo().performClick()
            val forget = onNode(hasContentDescription("Forget ", substring = true) and hasClickAction())
            forget.performScrollTo().performClick()
            onNodeWithText("Its records are deleted from this phone", substring = true).assertIsDisplayed()
            onNodeWithText("Keep it").performClick()
            assertTrue(demo.app.sensors().paired().isNotEmpty(), "kept")
            assertTrue((demo.app.sensors().summary("SH-DEMO-0001")?.records ?: 0u) > 0u, "its records kept")

            forget.performScrollTo().performClick()
            onNodeWithText("Forget and delete its records").performClick()
            waitUntil(timeoutMillis = 10_000) { demo.models.devices.state.value.message?.startsWith("Forgot SH-DEMO-0001") == true }
            assertTrue(demo.app.sensors().paired().isEmpty(), "forgotten")
            shown("Forgot SH-DEMO-0001", substring = true).assertIsDisplayed()
        }
    }

    @Test
    fun `cancel a started flight only after confirming, and the form comes back`() {
        val demo = DemoApp.empty()
        val departure = demo.clock.instant.plus(java.time.Duration.ofHours(2)).atZone(DemoApp.ZONE)
        val arrival = departure.plusHours(9).withZoneSameInstant(java.time.ZoneId.of("America/New_York"))
        val format = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
        demo.models.flight.plan(app.secondheart.state.FlightForm(departure.format(format), DemoApp.ZONE.id, arrival.format(format), "America/New_York"))
        demo.models.flight.start()
        runBlocking { withTimeout(10_000) { demo.models.flight.state.first { it.started } } }
        flow(demo) {
            tab("Flight")
            tapInPlaceOfAnother("Cancel flight")
            onNodeWithText("Its reminders stop", substring = true).assertIsDisplayed()
            onNodeWithText("Keep it").performClick()
            assertTrue(demo.app.flights().notLanded() != null, "kept")

            tapInPlaceOfAnother("Cancel flight")
            onNodeWithText("Cancel the flight").performClick()
            waitUntil(timeoutMillis = 10_000) { demo.models.flight.state.value.title == null }
            assertEquals(null, demo.app.flights().notLanded(), "cancelled")
            shown(hasText("Make my plan") and hasClickAction()).performScrollTo().assertIsDisplayed()
        }
    }

    @Test
    fun `delete all data after confirming`() {
        val demo = DemoApp.filled()
        flow(demo) {
            assertTrue(!ring("Steps:").startsWith("[Steps: 0 "), ring("Steps:"))
            onNodeWithContentDescription("Settings").performClick()
            button("Delete all data").performClick()
            onNodeWithText("Delete all data?").assertIsDisplayed()
            onNodeWithText("Keep my data").performClick()
            assertTrue(demo.app.history().periods(uniffi.second_heart.Grouping.DAY, 1u).single().steps > 0u)

            button("Delete all data").performClick()
            onNodeWithText("Delete everything").performClick()
            onNodeWithText("All your data was deleted from this device").performScrollTo().assertIsDisplayed()
            tab("Today")
            assertTrue(ring("Steps:").startsWith("[Steps: 0 of"), ring("Steps:"))
        }
    }

    @Test
    fun `after everything is deleted the welcome asks again, and its Start opens Today, not Settings`() {
        val firstRun = app.secondheart.state.FirstRun.InMemory(done = true)
        val demo = DemoApp.newInstall(firstRun)
        flow(demo) {
            // Something typed on another screen goes with the data.
            tab("Flight")
            onNode(hasSetTextAction() and hasText("From (time zone)")).performTextReplacement("Asia/Tokyo")
            tab("Today")
            onNodeWithContentDescription("Settings").performClick()
            button("Delete all data").performClick()
            onNodeWithText("Delete everything").performClick()
            waitUntil(timeoutMillis = 10_000) { !firstRun.done() }
            onNodeWithText("Welcome").assertIsDisplayed()
            button("Start").performClick()
            waitUntil(timeoutMillis = 10_000) { firstRun.done() }
            onNode(hasText("Today") and hasClickAction()).assertIsSelected()
            tab("Flight")
            assertTrue(onAllNodes(hasSetTextAction() and hasText("Asia/Tokyo")).fetchSemanticsNodes().isEmpty(), "the flight form was forgotten")
        }
    }

    @Test
    fun `export the last 30 days as a CSV of days, into a file named for what it holds`() {
        val demo = DemoApp.filled()
        flow(demo) {
            onNodeWithContentDescription("Settings").performClick()
            onNodeWithContentDescription("Export format: CSV: days").performScrollTo().performClick()
            button("Export my data").performClick()
            waitForIdle()
            val exports = java.io.File(demo.dir, "exports").listFiles().orEmpty().toList()
            val file = exports.single()
            assertTrue(Regex("second-heart-days-\\d{4}-\\d\\d-\\d\\d-to-\\d{4}-\\d\\d-\\d\\d\\.csv").matches(file.name), file.name)
            assertTrue(file.readLines().first().startsWith("date,"), file.readLines().first())
            assertEquals(31, file.readLines().size, "a header and 30 days")
            onNodeWithText("Saved 30 days to ${file.path}").performScrollTo().assertIsDisplayed()
        }
    }

    @Test
    fun `back up everything, and restore the backup after confirming`() {
        val demo = DemoApp.filled()
        flow(demo) { activity ->
            val before = ring("Steps:")
            // A flight being planned, its form kept while Settings shows: it goes with the data replaced.
            tab("Flight")
            onNode(hasSetTextAction() and hasText("From (time zone)")).performTextReplacement("Asia/Tokyo")
            tab("Today")
            onNodeWithContentDescription("Settings").performClick()
            button("Back up everything").performClick()
            waitForIdle()
            val backup = java.io.File(demo.dir, "exports").listFiles().orEmpty().single()
            assertTrue(Regex("second-heart-backup-\\d{4}-\\d\\d-\\d\\d\\.sqlite3").matches(backup.name), backup.name)
            onNodeWithText("Backed up everything to ${backup.path}").performScrollTo().assertIsDisplayed()

            // A walk logged since the backup: restoring asks before it goes.
            demo.app.sessions().logWalk(DemoApp.NOW.minusSeconds(900), null, 600, 900)
            button("Restore a backup").performClick()
            onNodeWithText("Replace your data with the backup?").assertIsDisplayed()
            onNodeWithText("Replace with the backup").performClick()
            onNodeWithText("Restored the backup: it replaced what this phone held").performScrollTo().assertIsDisplayed()
            tab("Today")
            assertEquals(before, ring("Steps:"), "the day as it was backed up")
            tab("Flight")
            assertTrue(onAllNodes(hasSetTextAction() and hasText("Asia/Tokyo")).fetchSemanticsNodes().isEmpty(), "the flight form went with the data")
            // Typed again after the restore, it outlives the phone turning on another screen.
            onNode(hasSetTextAction() and hasText("From (time zone)")).performTextReplacement("Asia/Seoul")
            tab("Today")
            runOnIdle { activity.recreate() }
            tab("Flight")
            onNode(hasSetTextAction() and hasText("Asia/Seoul")).assertIsDisplayed()
        }
    }

    @Test
    fun `socks left on overnight are asked about, and come off at the time said`() {
        // On at 08:30 yesterday (Monday), never taken off as far as the app knows; now Tuesday 15:30.
        val demo = DemoApp.empty(at = DemoApp.NOW.minus(Duration.ofHours(31)))
        demo.app.sessions().compressionOn(18u)
        demo.clock.instant = DemoApp.NOW
        flow(demo) {
            shown("On since 08:30 yesterday · 15–20 mmHg").performScrollTo().assertIsDisplayed()
            shown("Yesterday · Mon 30 Nov").performScrollTo().assertIsDisplayed()
            val cameOff = hasSetTextAction() and hasText("Came off at (hours:minutes)")
            // Before they went on: the core's reason, and nothing changes.
            onNode(cameOff).performScrollTo().performTextReplacement("7:00")
            button("They came off then").performClick()
            shown("after they went on", substring = true).performScrollTo().assertIsDisplayed()
            assertTrue(demo.app.sessions().compressionWorn() != null, "still on")
            onNode(cameOff).performScrollTo().performTextReplacement("22:15")
            button("They came off then").performClick()
            shown("Socks off at 22:15 yesterday, after 13 h 45 min").performScrollTo().assertIsDisplayed()
            assertEquals(null, demo.app.sessions().compressionWorn())
            assertEquals(0u, demo.app.today().view().summary.compressionMinutes, "not worn today")
            shown("Not worn today").performScrollTo().assertIsDisplayed()
        }
    }

    @Test
    fun `log a glass of water and compression socks from Today`() {
        val demo = DemoApp.filled()
        flow(demo) {
            val water = demo.app.today().view().rings.single { it.kind == uniffi.second_heart.RingKind.HYDRATION }
            button("Log a glass (250 mL)").performClick()
            waitForIdle()
            val drunk = Math.round(water.value) + 250
            onNodeWithText("${"%,d".format(drunk)} of ${"%,d".format(Math.round(water.goal))} mL today").performScrollTo().assertIsDisplayed()
            onNodeWithText("Logged a glass of water, 250 mL").performScrollTo().assertIsDisplayed()

            // Until the user picks, the band the core suggests is the one picked.
            onNodeWithContentDescription("Socks: 15–20 mmHg").performScrollTo().assertIsSelected()
            onNodeWithContentDescription("Socks: 20–30 mmHg").assertIsNotSelected().performClick()
            tapInPlaceOfAnother("I put them on")
            waitForIdle()
            assertEquals(25u, demo.app.sessions().compressionWorn()?.mmhg)
            onNodeWithText("On since", substring = true).performScrollTo().assertIsDisplayed()
            onNodeWithText("Socks on: 20–30 mmHg").performScrollTo().assertIsDisplayed()

            demo.clock.advance(90)
            tapInPlaceOfAnother("I took them off")
            waitForIdle()
            assertEquals(null, demo.app.sessions().compressionWorn())
            onNodeWithText("Socks off after 1 h 30 min").performScrollTo().assertIsDisplayed()
            val worn = demo.app.today().view().summary.compressionMinutes
            assertTrue(worn in 89u..91u, "$worn minutes worn")
            onNodeWithText("Worn 1 h ${worn - 60u} min today").performScrollTo().assertIsDisplayed()
        }
    }
}
