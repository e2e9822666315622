package app.secondheart.core

import java.nio.file.Path
import java.time.Duration
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import uniffi.second_heart.CompressionAdvice
import uniffi.second_heart.CompressionCautions
import uniffi.second_heart.ElevationAnswers
import uniffi.second_heart.ProfileChanges
import uniffi.second_heart.RingKind
import uniffi.second_heart.SecondHeart
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.SessionEvent
import uniffi.second_heart.SessionKind
import uniffi.second_heart.SessionState
import uniffi.second_heart.SetTargets
import uniffi.second_heart.elevationQuestions

/** Walks, sets, leg elevation, compression and drinks as the app records them. */
class SessionsApiTest {
    @TempDir
    lateinit var dir: Path

    private val clock = SettableClock(berlin("2026-11-21T09:00"))
    private lateinit var core: SecondHeart

    @BeforeEach
    fun open() {
        core = SecondHeart.open(dir.resolve("second-heart.db").toString(), clock)
    }

    @AfterEach
    fun close() = core.close()

    private fun noCautions() = CompressionCautions(false, null, false, false, false)

    @Test
    fun `a calf-raise set of 20 held reps meets its target and fills the exercise ring`() {
        val sessions = core.sessions()
        val started = sessions.startSet(SessionKind.CALF_RAISES, SetTargets())
        assertEquals(20u, started.progress.targetReps)
        assertEquals(SessionState.ACTIVE, started.progress.state)
        assertEquals(started.id, sessions.status()!!.id)
        repeat(20) {
            clock.advance(Duration.ofSeconds(6))
            sessions.record(SessionEvent.Rep(1.0))
        }
        val done = sessions.record(SessionEvent.Finish)
        assertEquals(SessionState.FINISHED, done.progress.state)
        assertEquals(20u, done.progress.reps)
        assertEquals(1.0, done.progress.meanHoldS!!, 1e-9)
        assertEquals(0u, done.progress.shortHolds)
        val outcome = done.outcome!!
        assertTrue(outcome.targetMet)
        assertTrue(outcome.pumpedMl > 0.0, "$outcome")
        assertNull(sessions.status(), "nothing is open after finishing")

        val today = core.today().view()
        assertEquals(1.0, today.ring(RingKind.EXERCISE_SETS))
        assertEquals(1u, today.summary.calfRaiseSets)
        assertTrue(today.ring(RingKind.PUMPED_LITRES) > 0.0)
    }

    @Test
    fun `a set stopped short of its reps is not a met target, and an abandoned set is not counted`() {
        val sessions = core.sessions()
        sessions.startSet(SessionKind.CALF_RAISES, SetTargets(reps = 10u, holdS = 2.0))
        repeat(3) {
            clock.advance(Duration.ofSeconds(5))
            sessions.record(SessionEvent.Rep(0.5))
        }
        val short = sessions.record(SessionEvent.Finish)
        assertEquals(10u, short.progress.targetReps)
        assertEquals(3u, short.progress.shortHolds)
        assertTrue(!short.outcome!!.targetMet)

        clock.advance(Duration.ofMinutes(5))
        sessions.startSet(SessionKind.CALF_RAISES, SetTargets())
        clock.advance(Duration.ofSeconds(10))
        assertEquals(SessionState.ABANDONED, sessions.record(SessionEvent.Abandon).progress.state)
        assertEquals(1u, core.today().view().summary.calfRaiseSets, "only the finished set counts")
    }

    @Test
    fun `a walk session counts its steps and cadence - pause stops its clock`() {
        val sessions = core.sessions()
        clock.setLocal("2026-11-21T08:00")
        sessions.startWalk()
        clock.advance(Duration.ofMinutes(5))
        sessions.record(SessionEvent.Steps(550u))
        assertEquals(SessionState.PAUSED, sessions.record(SessionEvent.Pause).progress.state)
        clock.advance(Duration.ofMinutes(20))
        assertEquals(300.0, sessions.status()!!.progress.activeSeconds, 1.0, "the pause is left out")
        sessions.record(SessionEvent.Resume)
        clock.advance(Duration.ofMinutes(5))
        sessions.record(SessionEvent.Steps(550u))
        val done = sessions.record(SessionEvent.Finish)
        assertEquals(1100u, done.progress.steps)
        assertEquals(600.0, done.progress.activeSeconds, 1.0)
        assertEquals(110.0, done.outcome!!.cadenceSpm!!, 1.0)
        assertEquals(1100u, core.today().view().summary.steps)
    }

    @Test
    fun `ankle pumps count as an ankle-pump set, not a calf-raise set`() {
        val sessions = core.sessions()
        val started = sessions.startSet(SessionKind.ANKLE_PUMPS, SetTargets())
        assertEquals(30u, started.progress.targetReps)
        clock.advance(Duration.ofMinutes(1))
        sessions.record(SessionEvent.Pumps(30u))
        assertTrue(sessions.record(SessionEvent.Finish).outcome!!.targetMet)
        val summary = core.today().view().summary
        assertEquals(1u, summary.anklePumpSets)
        assertEquals(0u, summary.calfRaiseSets)
    }

    @Test
    fun `a set must be calf raises or ankle pumps`() {
        val error = assertThrows<SecondHeartException.InvalidInput> {
            core.sessions().startSet(SessionKind.LEG_ELEVATION, SetTargets())
        }
        assertEquals("exercise", error.field)
    }

    @Test
    fun `a second session while one runs is a Conflict`() {
        val sessions = core.sessions()
        sessions.startWalk()
        val error = assertThrows<SecondHeartException.Conflict> {
            sessions.startSet(SessionKind.CALF_RAISES, SetTargets())
        }
        assertEquals("conflict", error.code())
        assertTrue(error.reason.isNotBlank())
        assertEquals(SessionKind.WALK, sessions.status()!!.progress.kind, "the walk is untouched")
    }

    @Test
    fun `an event with no session open is refused`() {
        val error = assertThrows<SecondHeartException> { core.sessions().record(SessionEvent.Finish) }
        assertTrue(error is SecondHeartException.Conflict || error is SecondHeartException.InvalidInput, "$error")
    }

    @Test
    fun `leg elevation asks four questions and an injury answer is NotSafe with a reason`() {
        val questions = elevationQuestions()
        assertEquals(
            listOf("recent_leg_injury", "leg_pain_now", "feeling_faint_or_unwell", "breathless_lying_flat"),
            questions.map { it.key },
        )
        assertTrue(questions.all { it.text.endsWith("?") })
        val error = assertThrows<SecondHeartException.NotSafe> {
            core.sessions().startElevation(ElevationAnswers(true, false, false, false), 15u, null)
        }
        assertEquals("not_safe", error.code())
        assertTrue(error.reason.isNotBlank())
        assertNull(core.sessions().status(), "nothing was started")
    }

    @Test
    fun `leg elevation with clear answers runs for its minutes and empties the legs`() {
        val sessions = core.sessions()
        val started = sessions.startElevation(ElevationAnswers(false, false, false, false), 15u, null)
        assertEquals(SessionKind.LEG_ELEVATION, started.progress.kind)
        assertEquals(900.0, started.progress.remainingS!!, 1.0)
        clock.advance(Duration.ofMinutes(5))
        assertEquals(600.0, sessions.status()!!.progress.remainingS!!, 1.0)
        clock.advance(Duration.ofMinutes(10))
        val done = sessions.record(SessionEvent.Finish)
        assertTrue(done.outcome!!.legVolumeChangeMl!! < 0.0, "${done.outcome}")
    }

    @Test
    fun `heart failure in the profile makes leg elevation NotSafe even with clear answers`() {
        core.profile().update(ProfileChanges(cautions = noCautions().copy(decompensatedHeartFailure = true)))
        assertThrows<SecondHeartException.NotSafe> {
            core.sessions().startElevation(ElevationAnswers(false, false, false, false), null, null)
        }
    }

    @Test
    fun `stockings on and off count their minutes - with arterial disease the answer is see a doctor first`() {
        val sessions = core.sessions()
        clock.setLocal("2026-11-21T07:30")
        val on = sessions.compressionOn(20u)
        assertEquals(CompressionAdvice.Suitable, on.advice)
        assertEquals(clock.at, on.wear.on)
        assertNotNull(sessions.compressionWorn())
        assertEquals(20u, core.today().view().compression!!.mmhg)
        clock.setLocal("2026-11-21T09:30")
        val off = sessions.compressionOff()
        assertEquals(clock.at, off.off)
        assertNull(sessions.compressionWorn())
        assertEquals(120u, core.today().view().summary.compressionMinutes)

        core.profile().update(ProfileChanges(cautions = noCautions().copy(peripheralArterialDisease = true)))
        clock.setLocal("2026-11-21T10:00")
        val advice = sessions.compressionOn(20u).advice
        assertTrue(advice is CompressionAdvice.SeeDoctorFirst, "$advice")
        assertTrue((advice as CompressionAdvice.SeeDoctorFirst).reasons.isNotEmpty())
    }

    @Test
    fun `taking stockings off when none are worn is refused`() {
        assertThrows<SecondHeartException> { core.sessions().compressionOff() }
    }

    @Test
    fun `drinks add up in the hydration ring`() {
        val sessions = core.sessions()
        sessions.drink(250u)
        clock.advance(Duration.ofHours(4))
        sessions.drink(250u)
        val today = core.today().view()
        assertEquals(500u, today.summary.hydrationMl)
        assertEquals(500.0, today.ring(RingKind.HYDRATION))
        assertEquals(0.25, today.rings.single { it.kind == RingKind.HYDRATION }.fraction, 1e-9)
    }

    @Test
    fun `a drink of nothing is invalid input`() {
        assertThrows<SecondHeartException.InvalidInput> { core.sessions().drink(0u) }
    }

    @Test
    fun `walks logged are listed on their local day`() {
        val walk = core.sessions().logWalk(berlin("2026-11-21T07:00"), null, 1200, 2000)
        assertEquals("Europe/Berlin", walk.timeZone)
        assertEquals(100.0, walk.cadenceStepsPerMin, 1e-9)
        assertEquals(listOf(walk), core.sessions().walksOn("2026-11-21"))
        assertEquals(emptyList<Any>(), core.sessions().walksOn("2026-11-20"))
    }
}
