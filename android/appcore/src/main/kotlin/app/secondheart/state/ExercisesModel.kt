package app.secondheart.state

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.update
import uniffi.second_heart.DemoActivity
import uniffi.second_heart.ElevationAnswers
import uniffi.second_heart.HoldCue
import uniffi.second_heart.LiveFrame
import uniffi.second_heart.LiveProgress
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.SessionEvent
import uniffi.second_heart.SessionKind
import uniffi.second_heart.SessionProgress
import uniffi.second_heart.SessionState
import uniffi.second_heart.SetTargets
import uniffi.second_heart.elevationQuestions

/**
 * Exercises: calf raises and ankle pumps with a rep counter; leg elevation
 * behind its questions. With a sensor paired, a set is counted from its
 * live frames by the core (each rep and hold recorded into the set as it
 * happens); without one, the user taps each rep.
 */
class ExercisesModel(
    private val core: Core,
    private val formats: Formats,
    private val radio: SensorRadio,
    scope: CoroutineScope,
    io: CoroutineDispatcher,
    /** Told when a sensor starts or stops counting the set ([countedBySensor]). */
    countingChanged: () -> Unit = {},
) : ScreenModel<ExercisesUi>(ExercisesUi(null, ElevationUi(emptyList(), GateUi.Unanswered, null), emptyList()), scope, io, serialActions = true) {
    private val answers = mutableMapOf<String, Boolean>()
    @Volatile
    private var gate: GateUi = GateUi.Unanswered
    /** The set last finished, its card shown on the day it was done only. */
    private val finishedSet = ForToday<SetUi>(core::today)
    /** What the last action said (AppModels forgets it when the data is replaced). */
    internal val message = DayMessage(core::today)
    private val unsaved = UnsavedCount(message, "reps")
    private val live = LiveFeed(core, radio, scope, countingChanged)

    /** Whether a sensor's live data counts the set now. */
    val countedBySensor: Boolean get() = live.serial != null

    /** The set as the sensor's frames count it, while they do. */
    @Volatile
    private var counted: LiveProgress? = null

    /** A save of the set the sensor counts, ended by itself, is queued for this stream ([finishEndedSet]). */
    private val endingQueued = java.util.concurrent.atomic.AtomicBoolean(false)

    /**
     * "Calf-raise sets today: 2"…: the day's figures, read on a full
     * refresh (after a set finishes, or the screen reloads), not on each
     * second of legs-up's countdown nor each frame of a sensor's set.
     */
    @Volatile
    private var done: List<String> = emptyList()

    override suspend fun refresh() {
        val summary = core.app.today().view().summary
        done = listOfNotNull(
            if (summary.calfRaiseSets > 0u) "Calf-raise sets today: ${formats.integer(summary.calfRaiseSets.toLong())}" else null,
            if (summary.anklePumpSets > 0u) "Ankle-pump sets today: ${formats.integer(summary.anklePumpSets.toLong())}" else null,
        )
        publish(core.app.sessions().status()?.progress)
    }

    override suspend fun onTick() = publish(core.app.sessions().status()?.progress)

    private fun isRunning(p: SessionProgress) = p.state == SessionState.ACTIVE || p.state == SessionState.PAUSED

    private fun isRunningSet(p: SessionProgress) = isRunning(p) && (p.kind == SessionKind.CALF_RAISES || p.kind == SessionKind.ANKLE_PUMPS)

    private fun publish(progress: SessionProgress?) {
        val running = progress?.takeIf(::isRunning)
        val set = running?.takeIf(::isRunningSet)?.let { open ->
            if (live.serial != null) liveSetUi(open, counted) else setUi(open)
        } ?: finishedSet.value
        val elevation = running?.takeIf { it.kind == SessionKind.LEG_ELEVATION }
        // "Lie back…" holds while legs-up runs: once it has ended (saved by a later start, say), the questions again.
        if (elevation == null && gate is GateUi.Open) gate = GateUi.Unanswered
        // Legs-up counts down on screen, to 0:00 (the core leaves it running there until the user stops it).
        tick(elevation?.state == SessionState.ACTIVE && (elevation.remainingS ?: 0.0) > 0.0)
        val questions = elevationQuestions().map { SafetyQuestionUi(it.key, it.text, answers[it.key]) }
        mutable.value = ExercisesUi(
            set = set,
            elevation = ElevationUi(questions, gate, elevation?.remainingS?.let(formats::countdown)),
            done = done,
            message = message.text,
        )
    }

    private fun setUi(p: SessionProgress): SetUi {
        val calf = p.kind == SessionKind.CALF_RAISES
        val target = p.targetReps?.toInt() ?: if (calf) 20 else 30
        return SetUi(
            title = if (calf) "Calf raises" else "Ankle pumps",
            reps = p.reps.toInt(),
            target = target,
            hold = null,
            cue = p.feedback.firstOrNull() ?: if (calf) "Up on your toes, hold 1 s, down slowly" else "Point your toes, then pull them up",
            source = "Tap once for each rep",
            finished = p.state == SessionState.FINISHED,
            counting = SetCounting.Taps,
        )
    }

    /** [seconds] rounded up to a tenth, so a hold's last moment reads "0.1 s to go", not "0.0". */
    private fun tenthsLeft(seconds: Double): Double = kotlin.math.ceil(seconds * 10 - 1e-9).coerceAtLeast(1.0) / 10

    /** The set as the sensor's live frames count it. */
    private fun liveSetUi(open: SessionProgress, p: LiveProgress?): SetUi {
        val calf = open.kind == SessionKind.CALF_RAISES
        val target = open.targetReps?.toInt() ?: if (calf) 20 else 30
        if (p == null) {
            return SetUi(if (calf) "Calf raises" else "Ankle pumps", open.reps.toInt(), target, 0f, "Waiting for your sensor…", "Counted by your sensor ${live.serial.orEmpty()}", false, SetCounting.Sensor)
        }
        val (hold, cue) = when (val c = p.cue) {
            is HoldCue.Rising -> 0f to "Up onto your toes"
            is HoldCue.Hold -> (c.elapsedS / c.targetS).toFloat().coerceIn(0f, 1f) to
                if (c.elapsedS < c.targetS) "Hold… ${formats.decimal(tenthsLeft(c.targetS - c.elapsedS))} s to go" else "Held: down slowly"
            is HoldCue.Lower -> 1f to "Down slowly"
            is HoldCue.Rest -> 0f to when {
                p.setComplete -> "All $target done: finish the set"
                p.reps == 0u -> if (calf) "Up on your toes, hold 1 s, down slowly" else "Point your toes, then pull them up"
                else -> "Rest, then the next one"
            }
        }
        val held = p.meanHoldS?.let { " · mean hold ${formats.decimal(it)} s" }.orEmpty()
        return SetUi(
            title = if (calf) "Calf raises" else "Ankle pumps",
            reps = p.reps.toInt(),
            target = target,
            hold = hold,
            cue = cue,
            source = "Counted by your sensor ${live.serial.orEmpty()}$held",
            finished = false,
            counting = SetCounting.Sensor,
        )
    }

    /** Follows the sensor's frames for the set just started, when a sensor is paired. */
    private fun followSensor(activity: DemoActivity) {
        counted = null
        endingQueued.set(false)
        val started = live.start(countSession = true, object : LiveUpdates {
            override fun frame(frame: LiveFrame, progress: LiveProgress?) {
                if (progress == null) return
                if (synchronized(this@ExercisesModel) { unsaved.saved() }) mutable.update { it.copy(message = message.text) }
                counted = progress
                val open = core.app.sessions().status()?.progress
                // Another session open is a new one, started after this set was saved at its end.
                when {
                    open == null || !isRunning(open) || open.kind != progress.kind -> endedWhileCounting()
                    // Its Finish forgotten, it ended by itself: saved at that end, and the sensor let go.
                    open.endedByItself -> finishEndedSet()
                    else -> publish(open)
                }
            }

            override fun notCounted(reason: String) = onError(unsaved.failed(reason))

            override fun ended(error: String?, afterFrames: Boolean) {
                counted = null
                if (error != null) onError((if (afterFrames) "The sensor stopped counting: " else "The sensor is not counting this set: ") + "$error. Tap each rep instead.")
                reload()
            }
        })
        if (started) radio.demoWearerDoes(activity)
    }

    /**
     * The set ended by itself (half an hour after its last rep) while the
     * sensor counted it: the sensor stops counting, and the screen says the
     * set was saved (Today's sets list it).
     */
    private fun endedWhileCounting() {
        if (live.stop() == null) return
        // A set the sensor counted no rep of was given up, not saved.
        val reps = counted?.reps ?: 0u
        counted = null
        message.text = if (reps == 0u) NEVER_DONE else "Set saved. It ended by itself a while after its last rep."
        reload()
    }

    override fun onError(message: String) {
        this.message.text = message
        mutable.update { it.copy(message = message) }
    }

    /** The session running now if it is of [kind]: a second tap finds the one its first started. */
    private fun running(kind: SessionKind): SessionProgress? =
        core.app.sessions().status()?.progress?.takeIf { isRunning(it) && it.kind == kind }

    /** Whether a start of [kind] is a second tap: one runs that has not ended by itself (that one the core saves first). */
    private fun startedAlready(kind: SessionKind): Boolean = running(kind)?.endedByItself == false

    /** Starts 20 calf raises with a 1 s hold, counted by the sensor when one is paired. */
    fun startCalfRaises() = act {
        // A second tap finds the set its first started: nothing more to do.
        if (startedAlready(SessionKind.CALF_RAISES)) return@act refresh()
        finishedSet.value = null
        message.text = null
        val started = core.app.sessions().startSet(SessionKind.CALF_RAISES, SetTargets()).progress
        followSensor(DemoActivity.CalfRaises((started.targetReps ?: 20u).toUByte(), 1.0))
        publish(started)
    }

    /** Starts ankle pumps, counted by the sensor when one is paired. */
    fun startAnklePumps() = act {
        if (startedAlready(SessionKind.ANKLE_PUMPS)) return@act refresh()
        finishedSet.value = null
        message.text = null
        val started = core.app.sessions().startSet(SessionKind.ANKLE_PUMPS, SetTargets()).progress
        followSensor(DemoActivity.AnklePumps((started.targetReps ?: 30u).toUByte(), 30u))
        publish(started)
    }

    /** One rep, with the hold when a sensor measured it. */
    fun rep(holdS: Double?) = act {
        val open = core.app.sessions().status()?.progress ?: return@act
        val event = if (open.kind == SessionKind.ANKLE_PUMPS) SessionEvent.Pumps(1u) else SessionEvent.Rep(holdS)
        val update = core.app.sessions().record(event)
        if (update.progress.state == SessionState.FINISHED) {
            // Left half an hour since its last rep, the set had ended by itself: saved then, this rep left out.
            live.stop()
            counted = null
            finishedSet.value = setUi(update.progress).copy(
                finished = true,
                cue = "Set saved: ${formats.plural(update.progress.reps.toLong(), "rep")}. It ended by itself a while after its last rep.",
            )
            // Today's sets list it too.
            refresh()
            return@act
        }
        if (update.progress.state == SessionState.ABANDONED) {
            // Left three hours without a rep, the set had ended by itself, never done: nothing saved.
            live.stop()
            counted = null
            message.text = NEVER_DONE
        }
        publish(update.progress)
    }

    /**
     * Finishes the set: it counts into the day (unless no rep was counted:
     * then nothing is saved), with every rep the screen
     * counted — through the sensor's counter when one counted it, which
     * keeps a raise the user stopped at the top of (counted, its hold not
     * measured yet).
     */
    fun finishSet() = act { finishSetNow() }

    /**
     * Saves the set the sensor counts once it has ended by itself, as
     * Finish set would, and says so: asked by every frame that finds it so,
     * queued once a stream, and done only if that set is still the one open
     * and ended (a set started meanwhile runs on).
     */
    private fun finishEndedSet() {
        if (!endingQueued.compareAndSet(false, true)) return
        act {
            val open = core.app.sessions().status()?.progress?.takeIf(::isRunningSet)
            if (open?.endedByItself != true) return@act
            finishSetNow()
            if (finishedSet.value != null) message.text = "Set saved. It ended by itself a while after its last rep."
            refresh()
        }
    }

    private suspend fun finishSetNow() {
        // No frame reaches this model once stop() has returned: the counter holds what the screen showed.
        val counter = live.stop()
        counted = null
        // Only a set: a walk or legs-up started since runs on.
        val open = core.app.sessions().status()?.progress?.takeIf(::isRunningSet)
        // A second tap, the set saved, keeps its card.
        finishedSet.value = if (open == null) {
            finishedSet.value
        } else {
            val finished = (counter?.finish() ?: core.app.sessions().record(SessionEvent.Finish)).progress
            if (finished.state == SessionState.ABANDONED) {
                message.text = NO_REP
                null
            } else {
                // The set is done: what was said while it ran (the sensor not counting it) is over with it.
                message.text = null
                setUi(finished).copy(finished = true, cue = "Set done: ${formats.plural(finished.reps.toLong(), "rep")}")
            }
        }
        refresh()
    }

    /** The data was replaced (a restore, everything deleted): the finished set's card, the last message and the legs-up answers were of data no longer there. */
    internal fun dataReplaced() = act {
        finishedSet.value = null
        message.text = null
        answers.clear()
        gate = GateUi.Unanswered
    }

    /** Clears the finished set's card; whatever session runs, runs on. */
    fun dismissSet() = act {
        finishedSet.value = null
        refresh()
    }

    /** Answers a safety question. */
    fun answer(key: String, yes: Boolean) = act {
        answers[key] = yes
        gate = GateUi.Unanswered
        refresh()
    }

    /**
     * Starts leg elevation: the core checks the answers and may refuse. The
     * answers hold for this start only; a refusal keeps them on screen.
     */
    fun startElevation() = act {
        // A second tap finds legs-up running, its answers used: the first tap's word stands.
        if (startedAlready(SessionKind.LEG_ELEVATION)) return@act refresh()
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
            // Asked before each start: the next one asks again.
            answers.clear()
            // What was said of an earlier try (a walk running then) no longer holds.
            message.text = null
            GateUi.Open("Lie back and rest your legs on cushions above your heart. Stop if anything hurts.")
        } catch (e: SecondHeartException.NotSafe) {
            GateUi.Closed(userMessage(e))
        }
        refresh()
    }

    /** Stops leg elevation early (a second tap, or the notification's Finish before it, finds it stopped). */
    fun stopElevation() = act {
        if (running(SessionKind.LEG_ELEVATION) != null) core.app.sessions().record(SessionEvent.Finish)
        gate = GateUi.Unanswered
        refresh()
    }

    private companion object {
        /** A set that ended by itself without a rep: given up. */
        const val NEVER_DONE = "That set had ended by itself without a rep, so nothing was saved. Start a new one."

        /** A set finished without a rep counted: given up, not saved. */
        const val NO_REP = "No rep was counted in that set, so nothing was saved. Start a new one."
    }
}
