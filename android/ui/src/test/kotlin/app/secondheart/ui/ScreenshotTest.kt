package app.secondheart.ui

import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.v2.runSkikoComposeUiTest
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.unit.Density
import app.secondheart.core.AppClock
import app.secondheart.state.AppModels
import app.secondheart.state.DemoRadio
import app.secondheart.state.FirstRun
import app.secondheart.state.FlightForm
import app.secondheart.state.FlightUi
import app.secondheart.state.HistoryRange
import app.secondheart.state.WalkPhase
import androidx.compose.ui.test.SkikoComposeUiTest
import androidx.compose.ui.test.onNodeWithText
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.test.SemanticsMatcher
import androidx.compose.foundation.ScrollState
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import app.secondheart.ui.screens.DevicesScreen
import app.secondheart.ui.screens.FlightScreen
import app.secondheart.ui.screens.LearnScreen
import app.secondheart.ui.screens.OpenFailedScreen
import app.secondheart.ui.screens.SettingsScreen
import app.secondheart.ui.screens.TodayScreen
import app.secondheart.ui.screens.WalkScreen
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import app.secondheart.ui.theme.SecondHeartTheme
import java.time.Duration
import java.time.format.DateTimeFormatter
import uniffi.second_heart.DemoActivity
import uniffi.second_heart.SessionKind
import uniffi.second_heart.SetTargets
import uniffi.second_heart.SessionEvent

/**
 * Renders every screen headless at phone size, light and dark (Today also
 * at 200 % text), over a day lived through the core's API, into
 * docs/screenshots; and checks each one for people: text contrast of at
 * least 4.5:1 measured on the pixels, 48 dp touch targets, a label on
 * every control.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@OptIn(ExperimentalTestApi::class)
class ScreenshotTest {
    private lateinit var demo: DemoApp

    @BeforeAll
    fun fill() {
        demo = DemoApp.filled()
        runBlocking { demo.models.refreshAll() }
        // The flight form filled and planned through the core, as the user would.
        val departure = demo.clock.instant.plus(Duration.ofDays(3)).atZone(DemoApp.ZONE).withHour(10).withMinute(0)
        val arrival = departure.plusMinutes(680).withZoneSameInstant(java.time.ZoneId.of("America/Los_Angeles"))
        val form = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
        demo.models.flight.plan(FlightForm(departure.format(form), "Europe/Berlin", arrival.format(form), "America/Los_Angeles", "window", setOf("oestrogen")))
        demo.models.devices.scan()
    }

    @AfterAll
    fun close() = demo.close()

    private fun shoot(
        destination: Destination,
        name: String = destination.name.lowercase(),
        fontScales: List<Float> = listOf(1f),
        models: AppModels = demo.models,
    ) {
        for (dark in listOf(false, true)) for (scale in fontScales) {
            val suffix = (if (dark) "-dark" else "-light") + if (scale != 1f) "-font${(scale * 100).toInt()}" else ""
            renderPhone(dark, scale) { AppShell(destination, {}) { Screen(models, destination) {} } }.savePng("$name$suffix")
            check(models, destination, dark, scale)
        }
    }

    /**
     * [destination] drawn by [screen] on [scroll], scrolled until the card
     * titled [heading] is at the top, saved as [name] and checked like the others.
     */
    private fun shootAt(
        destination: Destination,
        heading: String,
        name: String,
        dark: Boolean,
        models: AppModels = demo.models,
        screen: @Composable (ScrollState) -> Unit,
    ) {
        val scroll = ScrollState(0)
        check(models, destination, dark, 1f, { screen(scroll) }) {
            val top = onNodeWithText(heading).fetchSemanticsNode().positionInRoot.y
            // The title sits 20 dp inside its card; leave 16 dp above the card.
            runOnIdle { runBlocking { scroll.scrollTo((top - 36 * Phone.DENSITY).toInt()) } }
            waitForIdle()
            rootImage().savePng(name)
        }
    }

    /** [destination] as [screen] draws it (a state the demo day does not reach), light and dark, saved as [name] and checked like the others. */
    private fun shootDrawn(destination: Destination, name: String, screen: @Composable () -> Unit) {
        for (dark in listOf(false, true)) {
            renderPhone(dark) { AppShell(destination, {}) { screen() } }.savePng("$name-${if (dark) "dark" else "light"}")
            check(demo.models, destination, dark, 1f, screen)
        }
    }

    /** The accessibility checks on the same screen, drawn by the test harness at the same size; [before] acts first. */
    private fun check(
        models: AppModels,
        destination: Destination,
        dark: Boolean,
        scale: Float,
        content: @Composable () -> Unit = { Screen(models, destination) {} },
        before: SkikoComposeUiTest.() -> Unit = {},
    ) = runSkikoComposeUiTest(
        size = Size(Phone.widthPx.toFloat(), Phone.heightPx.toFloat()),
        density = Density(Phone.DENSITY, scale),
    ) {
        setContent { SecondHeartTheme(dark) { AppShell(destination, {}) { content() } } }
        before()
        val where = "${destination.name} ${if (dark) "dark" else "light"} ${(scale * 100).toInt()} %"
        val low = measureTextContrast(rootImage(), enabledTextNodes()).filter { it.second < 4.5 }
        assertTrue(low.isEmpty(), "$where: text below 4.5:1: ${low.map { "\"${it.first}\" %.2f".format(it.second) }}")
        assertEquals(emptyList<String>(), smallTouchTargets(Phone.DENSITY), "$where: touch targets under 48 dp")
        assertEquals(emptyList<String>(), unlabelledControls(), "$where: controls without a label")
    }

    @Test
    fun today() {
        shoot(Destination.Today, fontScales = listOf(1f, 2f))
        // Further down: water and compression socks, logged from Today.
        for (dark in listOf(false, true)) {
            shootAt(Destination.Today, "Water", "today-logs${if (dark) "-dark" else "-light"}", dark) { scroll ->
                val state by demo.models.today.state.collectAsState()
                state?.let { TodayScreen(it, todayActions(demo.models), {}, {}, {}, scroll = scroll) }
            }
        }
    }

    @Test
    fun todaySocksLeftOn() = DemoApp.empty(at = DemoApp.NOW.minus(Duration.ofHours(31))).use { forgot ->
        // Socks on since yesterday morning, their "off" forgotten: the card asks when they came off.
        forgot.app.sessions().compressionOn(18u)
        forgot.clock.instant = DemoApp.NOW
        runBlocking { forgot.models.refreshAll() }
        assertEquals(2, forgot.models.today.state.value?.socks?.offDays?.size)
        for (dark in listOf(false, true)) {
            shootAt(Destination.Today, "Compression socks", "today-socks-left-on${if (dark) "-dark" else "-light"}", dark, forgot.models) { scroll ->
                val state by forgot.models.today.state.collectAsState()
                state?.let { TodayScreen(it, todayActions(forgot.models), {}, {}, {}, scroll = scroll) }
            }
        }
    }

    @Test
    fun flightStarted() = DemoApp.filled().use { traveller ->
        // At the gate, the flight started: what is next, and Cancel flight.
        runBlocking { traveller.models.refreshAll() }
        val departure = traveller.clock.instant.plus(Duration.ofMinutes(40)).atZone(DemoApp.ZONE)
        val arrival = departure.plusMinutes(680).withZoneSameInstant(java.time.ZoneId.of("America/Los_Angeles"))
        val form = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
        traveller.models.flight.plan(FlightForm(departure.format(form), "Europe/Berlin", arrival.format(form), "America/Los_Angeles", "aisle"))
        traveller.models.flight.start()
        runBlocking { withTimeout(10_000) { traveller.models.flight.state.first { it.started } } }
        shoot(Destination.Flight, "flight-started", models = traveller.models)
    }

    @Test
    fun todayUnavailable() {
        // Today's first read failed: said under the spinner, and tried again each minute.
        for (dark in listOf(false, true)) {
            renderPhone(dark) {
                AppShell(Destination.Today, {}) { Loading("The app's clock failed: no time could be read") }
            }.savePng("today-unavailable-${if (dark) "dark" else "light"}")
        }
    }

    @Test
    fun walk() {
        shoot(Destination.Walk)
        // The phone's step count refused to the app: said where Walk says what counts it, with the way to allow it.
        val refused = "Not counted: allow Physical activity for Second Heart in the phone's settings, or log the steps by hand."
        shootDrawn(Destination.Walk, "walk-steps-refused") {
            val state by demo.models.walk.state.collectAsState()
            // A walk under way, as the phone's refusal shows only then.
            WalkScreen(state.copy(phase = WalkPhase.Walking, elapsed = "3:12", source = refused, stepsRefused = true), walkActions(demo.models))
        }
    }

    @Test
    fun openFailed() {
        // A file that is no database where the app keeps its data: the core's own words.
        // (A relative path, the same on every machine: the picture does not change from run to run.)
        val damaged = java.io.File("target/files/second-heart.db").apply {
            parentFile.mkdirs()
            writeText("not a database, only text ".repeat(400))
        }
        val failure = try {
            uniffi.second_heart.SecondHeart.open(damaged.path, app.secondheart.core.AppClock()).close()
            null
        } catch (e: uniffi.second_heart.SecondHeartException) {
            app.secondheart.state.openFailure(e)
        } finally {
            damaged.delete()
        }
        assertTrue(failure != null, "a damaged file is refused")
        assertTrue(failure!!.advice.contains("opening it again will not mend it"), "a damaged file's own advice: ${failure.advice}")
        assertTrue(!failure.retryHelps, "no Try again for a damaged file")
        for (dark in listOf(false, true)) {
            renderPhone(dark) { OpenFailedScreen(failure, onRetry = {}) }.savePng("open-failed-${if (dark) "dark" else "light"}")
        }
    }

    @Test
    fun flight() {
        shoot(Destination.Flight)
        // The form, further down: how often to move, the sleep window and
        // the risk check's questions (the core's, all of them).
        val form = FlightForm("2026-12-08 10:00", "Europe/Berlin", "2026-12-08 13:20", "America/Los_Angeles", "window", setOf("oestrogen"), 45, "23:00-06:00")
        val blank = FlightUi(null, null, "", "", emptyList(), null, null)
        for (dark in listOf(false, true)) {
            shootAt(Destination.Flight, "Move every", "flight-form${if (dark) "-dark" else "-light"}", dark) { scroll ->
                FlightScreen(blank, form, demo.models.flight.questions, flightActions(demo.models), scroll = scroll)
            }
        }
    }

    @Test
    fun devices() {
        shoot(Destination.Devices)
        // The scan refused the Nearby devices permission: said, with the way to the phone's settings for the app.
        val refused = "Second Heart needs the Nearby devices permission to find and sync your sensor: allow it in the phone's settings for the app. You can pair the demo sensor instead."
        shootDrawn(Destination.Devices, "devices-permission-refused") {
            val state by demo.models.devices.state.collectAsState()
            DevicesScreen(state.copy(message = refused, permissionRefused = true), devicesActions(demo.models))
        }
    }

    @Test
    fun history() {
        shoot(Destination.History)
        // The day by the hour, its hours named every six.
        val history = demo.models.history
        fun show(range: HistoryRange) = runBlocking {
            history.show(range)
            withTimeout(20_000) { history.state.first { it.range == range && it.charts.isNotEmpty() } }
        }
        show(HistoryRange.Day)
        try {
            shoot(Destination.History, "history-day")
        } finally {
            show(HistoryRange.Week)
        }
    }

    @Test
    fun settings() {
        shoot(Destination.Settings)
        // Further down: the health questions with the ankle–brachial index, then export and delete all.
        for ((section, name) in listOf("Health questions" to "settings-health", "Your data" to "settings-data")) {
            for (dark in listOf(false, true)) {
                shootAt(Destination.Settings, section, "$name${if (dark) "-dark" else "-light"}", dark) { scroll ->
                    val state by demo.models.settings.state.collectAsState()
                    SettingsScreen(state, settingsActions(demo.models), scroll = scroll)
                }
            }
        }
        // Reminders on, the phone's notifications refused: said, with the way to turn them on.
        for (dark in listOf(false, true)) {
            shootAt(Destination.Settings, "Remind me to move", "settings-reminders-blocked${if (dark) "-dark" else "-light"}", dark) { scroll ->
                val state by demo.models.settings.state.collectAsState()
                SettingsScreen(state.copy(remindersBlocked = true), settingsActions(demo.models), scroll = scroll)
            }
        }
        // Reminders on and shown, but the phone allows only inexact alarms: said, with the way to allow them.
        for (dark in listOf(false, true)) {
            shootAt(Destination.Settings, "Remind me to move", "settings-reminders-late${if (dark) "-dark" else "-light"}", dark) { scroll ->
                val state by demo.models.settings.state.collectAsState()
                SettingsScreen(state.copy(remindersLate = true), settingsActions(demo.models), scroll = scroll)
            }
        }
    }

    @Test
    fun welcome() = DemoApp.newInstall(FirstRun.InMemory()).use { fresh ->
        // A new install: the welcome alone, no bar; at its end the health questions, then Start.
        runBlocking { fresh.models.refreshAll() }
        for (dark in listOf(false, true)) {
            val suffix = if (dark) "-dark" else "-light"
            renderPhone(dark) { SecondHeartApp(fresh.models, dark) }.savePng("welcome$suffix")
            check(fresh.models, Destination.Settings, dark, 1f)
            // Scrolled to the end (the scroll stops at its bottom): the last questions, the reminders' defaults, Start.
            renderPhone(dark) { Welcome(fresh.models, ScrollState(Int.MAX_VALUE)) }.savePng("welcome-start$suffix")
        }
    }

    @Test
    fun learn() {
        runBlocking { demo.models.learn.refresh() }
        shoot(Destination.Learn)
        // Further down: what sitting does, with and without breaks.
        for (dark in listOf(false, true)) {
            shootAt(Destination.Learn, "What sitting does", "learn-sitting${if (dark) "-dark" else "-light"}", dark) { scroll ->
                val state by demo.models.learn.state.collectAsState()
                LearnScreen(state, learnActions(demo.models), scroll = scroll)
            }
        }
    }

    @Test
    fun exercisesLive() = DemoApp.filled().use { live ->
        // The demo sensor counts a set: the wearer is holding the 13th raise.
        runBlocking { live.models.refreshAll() }
        live.models.exercises.startCalfRaises()
        live.awaitStreaming()
        live.live(seconds = 12 * 3.0 + 0.6 + 0.4)
        val set = live.models.exercises.state.value.set
        assertEquals(13, set?.reps, "$set")
        assertTrue(set!!.cue.startsWith("Hold"), set.cue)
        shoot(Destination.Exercises, "exercises-live", models = live.models)
        live.models.exercises.finishSet()
    }

    @Test
    fun walkLive() = DemoApp.filled().use { live ->
        // A walk counted by the demo sensor, four and a half minutes in.
        runBlocking { live.models.refreshAll() }
        live.models.walk.start()
        live.awaitStreaming()
        live.liveFor(seconds = 4 * 60.0 + 30)
        val walk = live.models.walk.state.value
        assertEquals("4:30", walk.elapsed, "$walk")
        assertEquals("Counted by your sensor SH-DEMO-0001", walk.source)
        shoot(Destination.Walk, "walk-live", fontScales = listOf(1f, 2f), models = live.models)
        live.models.walk.finish()
    }

    @Test
    fun walkLog() = DemoApp.filled().use { phoneLeftAtHome ->
        // A walk done without the phone, about to be logged by hand.
        runBlocking { phoneLeftAtHome.models.refreshAll() }
        phoneLeftAtHome.models.walk.openLogForm()
        assertEquals("30", phoneLeftAtHome.models.walk.state.value.logForm?.minutes)
        shoot(Destination.Walk, "walk-log", models = phoneLeftAtHome.models)
    }

    @Test
    fun devicesTwoSensors() = DemoApp.filled().use { two ->
        // A spare sensor paired since, and the first one picked to count walks and sets.
        val spare = DemoRadio("SH-DEMO-0002", 6.0, clock = AppClock(two.clock))
        two.clock.advance(5)
        two.pairDemo(spare, "SH-DEMO-0002")
        two.app.sensors().countSessionsFrom("SH-DEMO-0001")
        runBlocking { two.models.refreshAll() }
        assertEquals(
            listOf("Whichever synced last" to false, "SH-1 sock sensor (simulated) SH-DEMO-0001" to true, "SH-1 sock sensor (simulated) SH-DEMO-0002" to false),
            two.models.devices.state.value.countFrom.map { it.label to it.selected },
        )
        shoot(Destination.Devices, "devices-two-sensors", models = two.models)
        spare.sensor.close()
    }

    @Test
    fun devicesLive() = DemoApp.filled().use { live ->
        // Live data from the demo sensor while its wearer walks.
        runBlocking { live.models.refreshAll() }
        live.models.devices.showLive("SH-DEMO-0001")
        live.awaitStreaming()
        live.radio.demoWearerDoes(DemoActivity.Walking(10u, 110u))
        live.liveFor(seconds = 45.0)
        val shown = live.models.devices.state.value.live
        assertEquals("225 frames · none lost", shown?.frames, "$shown")
        shoot(Destination.Devices, "devices-live", models = live.models)
        // TalkBack announces the posture as it changes, not the pressures and frames (many a second).
        check(live.models, Destination.Devices, dark = false, scale = 1f) {
            val announced = onAllNodes(SemanticsMatcher.keyIsDefined(SemanticsProperties.LiveRegion))
                .fetchSemanticsNodes()
                .map { node -> node.config.getOrElse(SemanticsProperties.Text) { emptyList() }.joinToString(" ") }
            assertTrue(announced.any { it.startsWith("Posture") }, "$announced")
            assertTrue(announced.none { it.contains("frames") || it.contains("mmHg") }, "$announced")
        }
        live.models.devices.stopLive()
        // Stopping ends once the stream has let the sensor go; only then close the app under it.
        runBlocking<Unit> { withTimeout(30_000) { live.models.devices.state.first { it.live == null } } }
    }

    @Test
    fun exercises() {
        // A set under way: 12 raises counted so far.
        val sessions = demo.app.sessions()
        sessions.startSet(SessionKind.CALF_RAISES, SetTargets())
        repeat(12) { sessions.record(SessionEvent.Rep(1.1)) }
        runBlocking { demo.models.exercises.refresh() }
        try {
            shoot(Destination.Exercises)
        } finally {
            sessions.record(SessionEvent.Abandon)
            runBlocking { demo.models.exercises.refresh() }
        }
    }
}
