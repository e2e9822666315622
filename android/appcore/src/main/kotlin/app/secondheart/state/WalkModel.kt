package app.secondheart.state

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import uniffi.second_heart.SessionEvent
import uniffi.second_heart.SessionKind
import uniffi.second_heart.SessionState
import uniffi.second_heart.SessionUpdate

/** Walk: start, pause, finish; steps from the sensor or the phone's step counter. */
class WalkModel(
    private val core: Core,
    private val formats: Formats,
    scope: CoroutineScope,
    io: CoroutineDispatcher,
    /** Where the steps come from, for the screen's subtitle. */
    private val source: String = "Counted by the phone",
) : ScreenModel<WalkUi>(WalkUi(WalkPhase.Ready, "0:00", "0", "—", "—", source, emptyList(), null), scope, io) {
    private var message: String? = null

    override suspend fun refresh() {
        val sessions = core.app.sessions()
        val open = sessions.status()?.takeIf { it.progress.kind == SessionKind.WALK }
        publish(open)
    }

    private fun publish(update: SessionUpdate?) {
        val sessions = core.app.sessions()
        val zone = core.zone()
        val recent = sessions.walksOn(core.today().toString()).sortedByDescending { it.start }.map { walk ->
            WalkRowUi(
                "${formats.clock(walk.start, zone)} · ${formats.minutes((walk.durationSeconds.toLong() + 30) / 60)}",
                "${formats.plural(walk.steps.toLong(), "step")} · ${Math.round(walk.cadenceStepsPerMin)} steps/min",
            )
        }
        val progress = update?.progress?.takeIf { it.state == SessionState.ACTIVE || it.state == SessionState.PAUSED }
        val minutes = (progress?.activeSeconds ?: 0.0) / 60
        mutable.value = WalkUi(
            phase = when (progress?.state) {
                SessionState.ACTIVE -> WalkPhase.Walking
                SessionState.PAUSED -> WalkPhase.Paused
                else -> WalkPhase.Ready
            },
            elapsed = formats.stopwatch(progress?.activeSeconds ?: 0.0),
            steps = formats.integer(progress?.steps?.toLong() ?: 0),
            cadence = if (progress != null && minutes >= 0.5) "${Math.round(progress.steps.toDouble() / minutes)} /min" else "—",
            pumped = update?.outcome?.let { "${formats.litres(it.pumpedMl / 1000)} L" } ?: "—",
            source = source,
            recent = recent,
            message = message,
        )
    }

    override fun onError(message: String) {
        this.message = message
        mutable.value = mutable.value.copy(message = message)
    }

    /** Starts a walk now. */
    fun start() = act {
        message = null
        publish(core.app.sessions().startWalk())
    }

    /** Pauses the clock. */
    fun pause() = act { publish(core.app.sessions().record(SessionEvent.Pause)) }

    /** Starts the clock again. */
    fun resume() = act { publish(core.app.sessions().record(SessionEvent.Resume)) }

    /** Steps counted since the last report (sensor or phone step counter). */
    fun steps(count: Int) = act { if (count > 0) publish(core.app.sessions().record(SessionEvent.Steps(count.toUInt()))) }

    /** Finishes the walk: it counts into the day. */
    fun finish() = act {
        val done = core.app.sessions().record(SessionEvent.Finish)
        val outcome = done.outcome
        message = "Walk saved: ${formats.plural(done.progress.steps.toLong(), "step")}" +
            (outcome?.let { ", your calves pumped ${formats.litres(it.pumpedMl / 1000)} L" } ?: "")
        publish(done)
    }
}
