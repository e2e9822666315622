package app.secondheart.state

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import uniffi.second_heart.ElevationAnswers
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.SessionEvent
import uniffi.second_heart.SessionKind
import uniffi.second_heart.SessionProgress
import uniffi.second_heart.SessionState
import uniffi.second_heart.SetTargets
import uniffi.second_heart.elevationQuestions

/** Exercises: calf raises and ankle pumps with a rep counter; leg elevation behind its questions. */
class ExercisesModel(
    private val core: Core,
    private val formats: Formats,
    scope: CoroutineScope,
    io: CoroutineDispatcher,
) : ScreenModel<ExercisesUi>(ExercisesUi(null, ElevationUi(emptyList(), GateUi.Unanswered, null), emptyList()), scope, io) {
    private val answers = mutableMapOf<String, Boolean>()
    private var gate: GateUi = GateUi.Unanswered
    private var finishedSet: SetUi? = null

    override suspend fun refresh() {
        val open = core.app.sessions().status()?.progress
        publish(open)
    }

    private fun publish(progress: SessionProgress?) {
        val running = progress?.takeIf { it.state == SessionState.ACTIVE || it.state == SessionState.PAUSED }
        val set = running?.takeIf { it.kind == SessionKind.CALF_RAISES || it.kind == SessionKind.ANKLE_PUMPS }?.let(::setUi) ?: finishedSet
        val elevation = running?.takeIf { it.kind == SessionKind.LEG_ELEVATION }
        val questions = elevationQuestions().map { SafetyQuestionUi(it.key, it.text, answers[it.key]) }
        val summary = core.app.today().view().summary
        mutable.value = ExercisesUi(
            set = set,
            elevation = ElevationUi(questions, gate, elevation?.remainingS?.let(formats::stopwatch)),
            done = listOfNotNull(
                if (summary.calfRaiseSets > 0u) "Calf-raise sets today: ${summary.calfRaiseSets}" else null,
                if (summary.anklePumpSets > 0u) "Ankle-pump sets today: ${summary.anklePumpSets}" else null,
            ),
        )
    }

    private fun setUi(p: SessionProgress): SetUi {
        val calf = p.kind == SessionKind.CALF_RAISES
        val target = p.targetReps?.toInt() ?: if (calf) 20 else 30
        return SetUi(
            title = if (calf) "Calf raises" else "Ankle pumps",
            reps = p.reps.toInt(),
            target = target,
            hold = ((p.meanHoldS ?: 0.0) / 1.0).toFloat().coerceIn(0f, 1f),
            cue = p.feedback.firstOrNull() ?: if (calf) "Up on your toes, hold 1 s, down slowly" else "Point your toes, then pull them up",
            source = "Counted as you tap, or by your sensor",
            finished = p.state == SessionState.FINISHED,
        )
    }

    override fun onError(message: String) {
        mutable.value = mutable.value.copy(done = listOf(message) + mutable.value.done)
    }

    /** Starts 20 calf raises with a 1 s hold. */
    fun startCalfRaises() = act {
        finishedSet = null
        publish(core.app.sessions().startSet(SessionKind.CALF_RAISES, SetTargets()).progress)
    }

    /** Starts ankle pumps. */
    fun startAnklePumps() = act {
        finishedSet = null
        publish(core.app.sessions().startSet(SessionKind.ANKLE_PUMPS, SetTargets()).progress)
    }

    /** One rep, with the hold when a sensor measured it. */
    fun rep(holdS: Double?) = act {
        val open = core.app.sessions().status()?.progress ?: return@act
        val event = if (open.kind == SessionKind.ANKLE_PUMPS) SessionEvent.Pumps(1u) else SessionEvent.Rep(holdS)
        publish(core.app.sessions().record(event).progress)
    }

    /** Finishes the set: it counts into the day. */
    fun finishSet() = act {
        val open = core.app.sessions().status()
        if (open == null) {
            finishedSet = null
        } else {
            val done = core.app.sessions().record(SessionEvent.Finish).progress
            finishedSet = setUi(done).copy(finished = true, cue = "Set done: ${formats.plural(done.reps.toLong(), "rep")}")
        }
        publish(null)
    }

    /** Answers a safety question. */
    fun answer(key: String, yes: Boolean) = act {
        answers[key] = yes
        gate = GateUi.Unanswered
        refresh()
    }

    /** Starts leg elevation: the core checks the answers and may refuse. */
    fun startElevation() = act {
        val keys = elevationQuestions().map { it.key }
        if (keys.any { it !in answers }) {
            gate = GateUi.Closed("Answer every question first.")
            refresh()
            return@act
        }
        val given = ElevationAnswers(
            recentLegInjury = answers["recent_leg_injury"] == true,
            legPainNow = answers["leg_pain_now"] == true,
            feelingFaintOrUnwell = answers["feeling_faint_or_unwell"] == true,
            breathlessLyingFlat = answers["breathless_lying_flat"] == true,
        )
        gate = try {
            core.app.sessions().startElevation(given, 15u, null)
            GateUi.Open("Lie back and rest your legs on cushions above your heart. Stop if anything hurts.")
        } catch (e: SecondHeartException.NotSafe) {
            GateUi.Closed(e.message ?: "Not now.")
        }
        refresh()
    }

    /** Stops leg elevation early. */
    fun stopElevation() = act {
        core.app.sessions().record(SessionEvent.Finish)
        gate = GateUi.Unanswered
        refresh()
    }
}
