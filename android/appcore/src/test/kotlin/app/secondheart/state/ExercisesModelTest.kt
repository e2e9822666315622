package app.secondheart.state

import app.secondheart.core.AppClock
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneId
import java.util.Locale
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Test
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.SessionEvent
import uniffi.second_heart.SessionState
import uniffi.second_heart.elevationQuestions
import kotlinx.coroutines.launch

/** Exercises: a set counted by the demo sensor. */
class ExercisesModelTest : AppTest() {
    /** The app's clock: the system's, which the test puts ahead (the demo sensor keeps the system's). */
    private class AheadClock : Clock() {
        @Volatile var ahead: Duration = Duration.ZERO
        override fun instant(): Instant = Instant.now().plus(ahead)
        override fun getZone(): ZoneId = ZoneId.of("Europe/Berlin")
        override fun withZone(zone: ZoneId): Clock = this
    }

    private val clock = AheadClock()
    private val demo = DemoRadio(hours = 0.5, liveTick = 20)

    @AfterEach
    fun closeSensor() = demo.sensor.close()

    private fun <S> ScreenModel<S>.until(what: String, done: (S) -> Boolean): S = runBlocking {
        try {
            withTimeout(30_000) { state.first(done) }
        } catch (e: kotlinx.coroutines.TimeoutCancellationException) {
            throw AssertionError("never $what: ${state.value}", e)
        }
    }

    @Test
    fun `a sensor's set that ended by itself stops the sensor counting, and the screen says it was saved`() {
        app.close()
        app = SecondHeart.open(dir.resolve("sets.db").toString(), AppClock(clock))
        val core = Core(app, AppClock(clock))
        val devices = DevicesModel(core, Formats(Locale.UK), demo, scope, Dispatchers.IO)
        devices.pair("SH-DEMO-0001")
        devices.until("the demo sensor paired") { s -> s.sync == null && s.devices.any { it.paired } }
        val exercises = ExercisesModel(core, Formats(Locale.UK), demo, scope, Dispatchers.IO)

        exercises.startCalfRaises()
        // Two raises counted: the first held and stored.
        exercises.until("raises counted by the sensor") { (it.set?.reps ?: 0) >= 2 && it.set?.counting == SetCounting.Sensor }
        // The day the set was done (45 minutes on, late in the evening, it is the next one).
        val setDay = app.today().view().date
        // 45 minutes later a rep comes in by another way (a tap where the
        // screen had gone): the core finds the set past its idle end (half
        // an hour after its last rep) and saves it as it stood then.
        clock.ahead = Duration.ofMinutes(45)
        assertEquals(SessionState.FINISHED, app.sessions().record(SessionEvent.Rep(null)).progress.state)
        val saved = exercises.until("the set saved") { it.message != null }
        assertEquals("Set saved. It ended by itself a while after its last rep.", saved.message)
        assertFalse(exercises.countedBySensor, "the sensor no longer counts for the screen")
        assertNull(app.sessions().status(), "no set left open")
        assertEquals(1u, app.history().days(setDay, setDay).days.single().calfRaiseSets, "the set counts in its day")
    }

    @Test
    fun `second taps on Start and Stop say nothing wrong`() {
        val exercises = ExercisesModel(Core(app, AppClock()), Formats(Locale.UK), demo, scope, Dispatchers.IO)
        val messages = java.util.concurrent.CopyOnWriteArrayList<String>()
        val watching = scope.launch(Dispatchers.Unconfined) {
            exercises.state.collect { s ->
                s.message?.let(messages::add)
                (s.elevation.gate as? GateUi.Closed)?.let { messages.add(it.reason) }
            }
        }
        exercises.startCalfRaises()
        exercises.startCalfRaises()
        exercises.rep(null)
        exercises.finishSet()
        exercises.startAnklePumps()
        exercises.startAnklePumps()
        exercises.finishSet()
        for (question in elevationQuestions()) exercises.answer(question.key, false)
        exercises.startElevation()
        exercises.startElevation()
        exercises.until("legs up") { it.elevation.gate is GateUi.Open }
        exercises.stopElevation()
        exercises.stopElevation()
        exercises.until("legs down") { it.elevation.gate == GateUi.Unanswered && it.elevation.timer == null }
        watching.cancel()
        // The ankle-pump set had no rep: said so, and nothing else.
        assertEquals(listOf("No rep was counted in that set, so nothing was saved. Start a new one."), messages.distinct(), "$messages")
        assertNull(app.sessions().status(), "nothing left open")
        assertEquals(1u, app.today().view().summary.calfRaiseSets)
    }

    @Test
    fun `a set finished before any rep is not saved, and the screen says so`() {
        val exercises = ExercisesModel(Core(app, AppClock()), Formats(Locale.UK), demo, scope, Dispatchers.IO)
        exercises.startCalfRaises()
        exercises.until("the set started") { it.set != null }
        exercises.finishSet()
        val ended = exercises.until("the set ended") { it.message != null }
        assertEquals("No rep was counted in that set, so nothing was saved. Start a new one.", ended.message)
        assertNull(ended.set, "no finished set's card")
        assertNull(app.sessions().status(), "no set left open")
        assertEquals(0u, app.today().view().summary.calfRaiseSets, "nothing counts in the day")
    }

    @Test
    fun `a refusal to raise the legs is said until they are raised`() {
        val exercises = ExercisesModel(Core(app, AppClock()), Formats(Locale.UK), demo, scope, Dispatchers.IO)
        // Legs up while a walk runs: refused, and said.
        app.sessions().startWalk()
        for (question in elevationQuestions()) exercises.answer(question.key, false)
        exercises.startElevation()
        val refused = exercises.until("the refusal said") { it.message != null }
        assertTrue(refused.message!!.contains("walk"), refused.message)
        // The walk finished, legs up starts: the refusal no longer holds.
        app.sessions().record(SessionEvent.Finish)
        exercises.startElevation()
        exercises.until("legs up, the refusal gone") { it.elevation.gate is GateUi.Open && it.message == null }
        exercises.stopElevation()
        exercises.until("legs down") { it.elevation.gate == GateUi.Unanswered }
    }

    /** The app opened on [clock], which the test can put ahead. */
    private fun aheadApp(): Core {
        app.close()
        app = SecondHeart.open(dir.resolve("ahead.db").toString(), AppClock(clock))
        return Core(app, AppClock(clock))
    }

    @Test
    fun `a finished set's card is the day's, and the next day shows the Start buttons again`() {
        val exercises = ExercisesModel(aheadApp(), Formats(Locale.UK), demo, scope, Dispatchers.IO)
        exercises.startCalfRaises()
        exercises.until("the set started") { it.set != null }
        exercises.rep(null)
        exercises.rep(null)
        exercises.until("two reps") { it.set?.reps == 2 }
        exercises.finishSet()
        val done = exercises.until("the set done") { it.set?.finished == true }
        assertEquals("Set done: 2 reps", done.set?.cue)
        // The next day (a day on, whatever the hour): no card of yesterday's set.
        clock.ahead = Duration.ofDays(1)
        runBlocking { exercises.refresh() }
        assertNull(exercises.state.value.set, "yesterday's set is not today's")
    }

    @Test
    fun `legs up ended by itself and saved by a later start leaves its banner behind`() {
        val exercises = ExercisesModel(aheadApp(), Formats(Locale.UK), demo, scope, Dispatchers.IO)
        for (question in elevationQuestions()) exercises.answer(question.key, false)
        exercises.startElevation()
        exercises.until("legs up") { it.elevation.gate is GateUi.Open }
        // An hour on, its 15 minutes long over, a set starts: the core saves legs-up at its end.
        clock.ahead = Duration.ofHours(1)
        exercises.startCalfRaises()
        val set = exercises.until("the set started") { it.set != null }
        assertEquals(GateUi.Unanswered, set.elevation.gate, "\"Lie back…\" no longer holds")
        assertNull(set.elevation.timer, "no countdown")
    }
}
