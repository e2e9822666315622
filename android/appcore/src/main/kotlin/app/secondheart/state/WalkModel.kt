package app.secondheart.state

import java.time.Duration
import java.time.ZoneId
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicLong
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.flow.update
import uniffi.second_heart.DemoActivity
import uniffi.second_heart.LiveFrame
import uniffi.second_heart.LiveProgress
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.SessionEvent
import uniffi.second_heart.SessionKind
import uniffi.second_heart.SessionProgress
import uniffi.second_heart.SessionState
import uniffi.second_heart.SessionUpdate
import uniffi.second_heart.Walk

/**
 * Walk: start, pause, finish. With a sensor paired, steps and cadence come
 * live from its frames, counted by the core into the walk (steps taken
 * while it is paused are not the walk's: neither shown nor saved);
 * otherwise from the phone's step counter ([steps]).
 */
class WalkModel(
    private val core: Core,
    private val formats: Formats,
    private val radio: SensorRadio,
    scope: CoroutineScope,
    io: CoroutineDispatcher,
    private val platform: SessionPlatform = SessionPlatform.None,
    /** Told when a sensor starts or stops counting the walk ([countedBySensor]). */
    countingChanged: () -> Unit = {},
) : ScreenModel<WalkUi>(WalkUi(WalkPhase.Ready, "0:00", "0", "—", "—", PHONE, emptyList(), null), scope, io, serialActions = true) {
    /** What the last action said (AppModels forgets it when the data is replaced). */
    internal val message = DayMessage(core::today)
    private val unsaved = UnsavedCount(message, "steps")
    private val live = LiveFeed(core, radio, scope, countingChanged)

    /** The form for a walk done without the app, while it is open (guarded by this model's lock, with [message]). */
    @Volatile
    private var logForm: WalkLogForm? = null

    /** The walk logged by hand the screen asks about deleting, while it asks (guarded by this model's lock). */
    @Volatile
    private var confirmingDelete: WalkRowUi? = null

    /** A walk from the form is being stored. */
    private val logging = AtomicBoolean(false)

    /** A save of the walk the sensor counts, ended by itself, is queued for this stream ([finishEnded]). */
    private val endingQueued = AtomicBoolean(false)

    /** Whether a sensor's live data counts the walk now. */
    val countedBySensor: Boolean get() = live.serial != null

    /** The walk as the sensor's frames count it, while they do. */
    @Volatile
    private var counted: LiveProgress? = null

    /**
     * The recent walks as last read, and the day they were read on, for the frames and the stopwatch's seconds
     * between reads (read again once the day has changed: their day names are the day's).
     */
    @Volatile
    private var recentRows: Pair<java.time.LocalDate, List<WalkRowUi>>? = null

    /** Numbers each read of the walk in the order the reads start. */
    private val reads = AtomicLong()

    /** The number of the read shown last (guarded by this model's lock). */
    private var shownRead = 0L

    override suspend fun refresh() = showRead(read = ::openWalk)

    /** The stopwatch's second: the walk read again, the recent walks as last read (a week of them, every second). */
    override suspend fun onTick() = showRead(recentAgain = false, read = ::openWalk)

    /** The walk running or paused, if any. */
    private fun openWalk(): SessionUpdate? = core.app.sessions().status()?.takeIf { it.progress.kind == SessionKind.WALK }

    /**
     * Reads the walk with [read] and shows it, unless a read that started
     * later has been shown meanwhile: frames, the clock and the user's
     * actions read on their own threads, and an older read shown last would
     * take the steps back. With [onlyWalking], a read that finds no walk
     * open shows nothing (a frame late after the end leaves the walk's
     * result on screen). Without [recentAgain] (a frame, the stopwatch's
     * second) the recent walks are those last read.
     */
    private fun showRead(onlyWalking: Boolean = false, recentAgain: Boolean = true, read: () -> SessionUpdate?) {
        val ticket = reads.incrementAndGet()
        val update = read()
        if (onlyWalking && update == null) return
        show(ticket, update, recentAgain)
    }

    /**
     * Shows the walk as [write] (a pause, steps, the finish…) left it,
     * numbered once it is stored: a read that started before the write was
     * stored may not have seen it, and does not overtake it.
     */
    private fun showWritten(recentAgain: Boolean = true, write: () -> SessionUpdate) {
        val update = write()
        show(reads.incrementAndGet(), update, recentAgain)
    }

    /** Shows [update], read as number [ticket], unless a later read was shown; the form and the message as they are now. */
    private fun show(ticket: Long, update: SessionUpdate?, recentAgain: Boolean = true) {
        val progress = update?.progress?.takeIf { it.state == SessionState.ACTIVE || it.state == SessionState.PAUSED }
        val shown = present(update, progress, recentAgain)
        synchronized(this) {
            if (ticket < shownRead) return
            shownRead = ticket
            tick(progress?.state == SessionState.ACTIVE)
            // No sensor counting: the phone's own step counter does, while the walk is active;
            // when it cannot, the walk says why where it names what counts it.
            val notCounted = if (progress?.state == SessionState.ACTIVE && live.serial == null) {
                platform.startSteps(::steps)
            } else {
                platform.stopSteps()
                null
            }
            // A walk left running that has ended by itself says so before any tap (the core's words),
            // over what was said of an earlier one.
            val said = progress?.takeIf { it.endedByItself }?.feedback?.firstOrNull() ?: message.text
            // Only between walks.
            // The question follows its walk's row as it is now (named "Yesterday" after midnight, yielding to a
            // sensor synced meanwhile) and goes with it (deleted elsewhere).
            confirmingDelete = confirmingDelete?.let { asked -> shown.recent.firstOrNull { it.deletableId == asked.deletableId } }
            mutable.value = shown.copy(
                source = notCounted ?: shown.source,
                message = said,
                logForm = logForm.takeIf { progress == null },
                confirmingDelete = confirmingDelete,
                stepsRefused = notCounted != null && platform.stepsRefused(),
            )
        }
    }

    /** The walks of the last [RECENT_DAYS] dates, newest first, as rows. */
    private fun readRecent(today: java.time.LocalDate): List<WalkRowUi> =
        core.app.sessions().walksBetween(today.minusDays(RECENT_DAYS - 1).toString(), today.toString())
            .sortedByDescending { it.start }.map(::row)

    /**
     * The recent walks' row for [walk], by the clock where it was walked (as its form and "Walk logged" said), the
     * day named unless it is today ("Yesterday · 08:00 · 30 min"). A walk logged by hand that the sensor's walking,
     * synced later, overlaps keeps what was logged but says the day counts the sensor's steps instead.
     */
    internal fun row(walk: Walk): WalkRowUi {
        val steps = formats.plural(walk.steps.toLong(), "step")
        val zone = ZoneId.of(walk.timeZone)
        val day = walk.start.atZone(zone).toLocalDate()
        val named = when (daysBefore(day)) {
            0L -> ""
            1L -> "Yesterday · "
            else -> "${formats.shortDate(day, core.today())} · "
        }
        return WalkRowUi(
            "$named${formats.clock(walk.start, zone)} · ${formats.minutes((walk.durationSeconds.toLong() + 30) / 60)}",
            if (walk.recordedBySensor) "$steps logged · the day counts your sensor's instead"
            else "$steps · ${Math.round(walk.cadenceStepsPerMin)} steps/min",
            walk.id.takeIf { walk.byHand },
        )
    }

    /**
     * What the screen shows of [update] (its [progress] while a walk runs
     * or is paused) and today's walks (the form and the message are filled
     * in by [show]).
     */
    private fun present(update: SessionUpdate?, progress: SessionProgress?, recentAgain: Boolean): WalkUi {
        val today = core.today()
        val recent = recentRows?.takeUnless { recentAgain || it.first != today }?.second
            ?: readRecent(today).also { recentRows = today to it }
        // The walk under way or, Finish's answer, the walk just saved: its own time and steps beside its
        // litres (the card had read 0:00 and 0 steps beside them).
        val figures = progress ?: update?.takeIf { it.outcome != null }?.progress
        val minutes = (figures?.activeSeconds ?: 0.0) / 60
        val sensor = live.serial
        val frames = counted?.takeIf { sensor != null && progress != null }
        return if (frames != null && progress != null) {
            WalkUi(
                phase = if (progress.state == SessionState.PAUSED) WalkPhase.Paused else WalkPhase.Walking,
                elapsed = formats.stopwatch(progress.activeSeconds),
                // The walk's own steps: the core records what the frames count only while the walk is active.
                steps = formats.integer(progress.steps.toLong()),
                cadence = frames.cadenceSpm?.let { "${Math.round(it)} /min" } ?: "—",
                pumped = "${formats.litres(frames.pumpedMl / 1000)} L",
                source = "Counted by your sensor $sensor",
                recent = recent,
                message = null,
            )
        } else WalkUi(
            phase = when (progress?.state) {
                SessionState.ACTIVE -> WalkPhase.Walking
                SessionState.PAUSED -> WalkPhase.Paused
                else -> WalkPhase.Ready
            },
            elapsed = formats.stopwatch(figures?.activeSeconds ?: 0.0),
            steps = formats.integer(figures?.steps?.toLong() ?: 0),
            cadence = if (figures != null && minutes >= 0.5) "${Math.round(figures.steps.toDouble() / minutes)} /min" else "—",
            pumped = update?.outcome?.let { "${formats.litres(it.pumpedMl / 1000)} L" } ?: "—",
            // Before a walk, the sensor that will count it; during one, the sensor that does.
            source = (sensor ?: if (progress == null) live.sensor()?.serial else null)
                ?.let { "Counted by your sensor $it" } ?: PHONE,
            recent = recent,
            message = null,
        )
    }

    override fun onError(message: String): Unit = synchronized(this) {
        this.message.text = message
        // A form refused keeps what was typed.
        mutable.update { it.copy(message = message, logForm = logForm) }
    }

    /** Opens the phone's settings for the app, where the step count refused to it is allowed. */
    fun openAppPermissions() = platform.openAppPermissions()

    /** Starts a walk now, counted by the sensor when one is paired. */
    fun start() = act {
        // A second tap finds the walk it started: shown as it is (a screen
        // still saying Ready, after the start was shown with an error,
        // shows it now). One that ended by itself long ago is no first
        // tap: the core saves it first.
        if (runningWalk()?.endedByItself == false) return@act refresh()
        synchronized(this) {
            message.text = null
            logForm = null
        }
        showWritten { core.app.sessions().startWalk().also { followSensor() } }
    }

    private fun followSensor() {
        counted = null
        endingQueued.set(false)
        val started = live.start(countSession = true, object : LiveUpdates {
            override fun frame(frame: LiveFrame, progress: LiveProgress?) {
                if (progress == null) return
                if (synchronized(this@WalkModel) { unsaved.saved() }) mutable.update { it.copy(message = message.text) }
                counted = progress
                showRead(onlyWalking = true, recentAgain = false) {
                    openWalk().also {
                        when {
                            it == null -> endedWhileCounting()
                            // Its Finish forgotten, it ended by itself: saved at that end, as Finish would, and the
                            // sensor let go (it had streamed on, for hours, until the next step).
                            it.progress.endedByItself -> finishEnded()
                        }
                    }
                }
            }

            override fun notCounted(reason: String) = onError(unsaved.failed(reason))

            override fun ended(error: String?, afterFrames: Boolean) {
                counted = null
                if (error != null) onError((if (afterFrames) "The sensor stopped counting: " else "The sensor is not counting this walk: ") + error)
                reload()
            }
        })
        if (started) radio.demoWearerDoes(DemoActivity.Walking(DEMO_WALK_MINUTES, DEMO_CADENCE))
    }

    /** Pauses the clock (a second tap finds it paused: nothing more to do). */
    fun pause() = act {
        if (runningWalk()?.state == SessionState.PAUSED) return@act refresh()
        showWritten { endedByItself(core.app.sessions().record(SessionEvent.Pause)) }
    }

    /** Starts the clock again (a second tap finds it running). */
    fun resume() = act {
        if (runningWalk()?.state == SessionState.ACTIVE) return@act refresh()
        showWritten { endedByItself(core.app.sessions().record(SessionEvent.Resume)) }
    }

    /**
     * [update] as it is, unless the core ended the walk with it: a walk
     * left running ends by itself a while after its last step (half an hour;
     * three hours when it counted none), and whatever comes later (a pause,
     * steps) finds it saved at that end. Then the sensor stops counting and
     * the screen says the walk was saved.
     */
    private fun endedByItself(update: SessionUpdate): SessionUpdate {
        if (update.progress.state != SessionState.FINISHED) return update
        live.stop()
        counted = null
        message.text = "${saved(update)}. $ENDED_BY_ITSELF"
        return update
    }

    /**
     * No walk is open under the sensor's count: unless it was finished from
     * here (which stops the count first), the core ended it by itself with
     * the frame's steps (see [endedByItself]), and the screen says so.
     */
    private fun endedWhileCounting() {
        if (live.stop() == null) return
        counted = null
        synchronized(this) { message.text = "Walk saved. $ENDED_BY_ITSELF" }
        reload()
    }

    /** "Walk saved: 2,400 steps, your calves pumped 19.2 L". */
    private fun saved(done: SessionUpdate): String =
        "Walk saved: ${formats.plural(done.progress.steps.toLong(), "step")}" +
            (done.outcome?.let { ", your calves pumped ${formats.litres(it.pumpedMl / 1000)} L" } ?: "")

    /**
     * Steps counted since the last report (sensor or phone step counter).
     * The phone's counter stops a moment after Pause or Finish is tapped:
     * steps it reports once the walk is paused or over are not the walk's,
     * and go without a word.
     */
    fun steps(count: Int) = act {
        if (count <= 0) return@act
        try {
            // The step counter's counts come every few seconds: the recent walks stay as last read.
            showWritten(recentAgain = false) { endedByItself(core.app.sessions().record(SessionEvent.Steps(count.toUInt()))) }
        } catch (refused: SecondHeartException.Conflict) {
            if (runningWalk()?.state == SessionState.ACTIVE) throw refused
        }
    }

    /** The walk running or paused now, if one is. */
    private fun runningWalk(): SessionProgress? =
        core.app.sessions().status()?.progress?.takeIf { it.kind == SessionKind.WALK }

    /**
     * Opens the form for a walk done without the app (the phone left at
     * home): as if it started half an hour ago and lasted 30 minutes, until
     * the user says otherwise (just after midnight, that start is yesterday's).
     */
    fun openLogForm() {
        val zone = core.zone()
        val start = core.now().minus(Duration.ofMinutes(30)).atZone(zone)
        showLogForm(WalkLogForm(day = start.toLocalDate(), start = formats.clock(start.toInstant(), zone), minutes = "30", steps = ""))
    }

    /** The user's today: the last day a walk can be logged on. */
    fun today(): java.time.LocalDate = core.today()

    /** [day] as the form shows it: "Today · Thu 3 Dec", "Yesterday · Wed 2 Dec", "Mon 30 Nov". */
    fun dayOfWalk(day: java.time.LocalDate): String = formats.formDay(day, core.today())

    /** Closes the form: nothing is logged. */
    fun closeLogForm() = showLogForm(null)

    private fun showLogForm(form: WalkLogForm?): Unit = synchronized(this) {
        logForm = form
        message.text = null
        mutable.update { it.copy(logForm = form, message = null) }
    }

    /**
     * Logs the walk in [form], in the user's zone. The core checks it (not
     * in the future, a cadence a person can walk, no overlap with a walk
     * logged or being recorded, or with walking a sensor recorded); what it refuses, or what
     * does not read as a time and whole numbers, is said under the form,
     * which keeps what was typed.
     */
    fun logWalk(form: WalkLogForm) {
        // A second tap while the first is stored would log the walk twice.
        if (!logging.compareAndSet(false, true)) return
        act {
            // Free for the next tap before any answer shows (a core refusal, thrown, shows after this
            // through the model's error path): a tap as it shows is not a second one.
            val walk = try {
                store(form)
            } finally {
                logging.set(false)
            }
            if (walk == null) {
                onError("Enter when the walk started as hours and minutes (08:30), and its minutes and steps as whole numbers.")
                return@act
            }
            synchronized(this) {
                logForm = null
                // By the clock it was logged on (the trip's, for a walk from before coming home).
                message.text = "Walk logged: ${formats.minutes((walk.durationSeconds.toLong() + 30) / 60)} from " +
                    "${formats.clock(walk.start, ZoneId.of(walk.timeZone))}${onDay(form.day)}, ${formats.plural(walk.steps.toLong(), "step")}"
            }
            refresh()
        }
    }

    /** Asks whether to delete [row], a walk logged by hand. */
    fun askToDelete(row: WalkRowUi) {
        synchronized(this) {
            confirmingDelete = row
            mutable.update { it.copy(confirmingDelete = row) }
        }
    }

    /** The data was replaced (a restore, everything deleted): a question about a walk is of data no longer there. */
    internal fun dataReplaced() = cancelDelete()

    /** Keeps the walk the screen asked about. */
    fun cancelDelete() {
        synchronized(this) {
            confirmingDelete = null
            mutable.update { it.copy(confirmingDelete = null) }
        }
    }

    /**
     * Deletes the walk logged by hand [id] and its steps, the user having confirmed the question about it (a
     * second tap, the question gone, does nothing); the core refuses a walk the app followed.
     */
    fun deleteWalk(id: Long) {
        val asked = synchronized(this) { confirmingDelete?.deletableId == id }
        cancelDelete()
        if (!asked) return
        act {
            val walk = core.app.sessions().deleteWalk(id)
            synchronized(this) {
                message.text = "Walk deleted: ${formats.minutes((walk.durationSeconds.toLong() + 30) / 60)} from " +
                    "${formats.clock(walk.start, ZoneId.of(walk.timeZone))}, ${formats.plural(walk.steps.toLong(), "step")}"
            }
            refresh()
        }
    }

    /**
     * Stores the walk in [form] at its clock time on its day where the user was then (the core reads it: a walk
     * from a trip logged back home is the trip's 08:30, and a time the clocks skipped is refused); null when what
     * was typed does not read as a time and whole numbers.
     */
    private fun store(form: WalkLogForm): Walk? {
        synchronized(this) { logForm = form }
        val time = formats.parseClock(form.start) ?: return null
        val minutes = form.minutes.trim().toIntOrNull() ?: return null
        val steps = form.steps.replace(GROUPING, "").toLongOrNull() ?: return null
        val start = core.momentAt(form.day, time)
        return core.app.sessions().logWalk(start.at, start.timeZone, minutes * 60L, steps)
    }

    /** How the message names a walk's day: nothing for today, " yesterday", " on Mon 30 Nov". */
    private fun onDay(day: java.time.LocalDate) = formats.onDay(day, core.today())

    private fun daysBefore(day: java.time.LocalDate) = java.time.temporal.ChronoUnit.DAYS.between(day, core.today())

    /** Finishes the walk: it counts into the day. A second tap, the walk saved, changes nothing. */
    fun finish() = act { finishNow() }

    /**
     * Saves the walk the sensor counts once it has ended by itself, as
     * Finish would: asked by every frame that finds it so, queued once a
     * stream, and done only if that walk is still the one open and ended
     * (a walk started meanwhile runs on).
     */
    private fun finishEnded() {
        if (!endingQueued.compareAndSet(false, true)) return
        act { if (runningWalk()?.endedByItself == true) finishNow() }
    }

    private fun finishNow() {
        val counter = live.stop()
        counted = null
        val walk = runningWalk() ?: return
        showWritten {
            val done = counter?.finish() ?: core.app.sessions().record(SessionEvent.Finish)
            // Left running past its end, it is saved at that end: the screen says so.
            message.text = if (walk.endedByItself) "${saved(done)}. $ENDED_BY_ITSELF" else saved(done)
            done
        }
    }
}

/** Said of a walk saved at the end it came to by itself, its Finish forgotten. */
private const val ENDED_BY_ITSELF = "It ended by itself a while after its last step."

/** What may separate thousands in a typed step count: "3,200", "3.200", "3 200". */
private val GROUPING = Regex("[,.'\\s\u00A0\u202F]")

/** The subtitle when the phone counts the steps. */
private const val PHONE = "Counted by the phone"

/** How many days Walk lists the walks of, today's included: a walk logged on the wrong day is found there to be deleted. */
private const val RECENT_DAYS = 7L

/** What the demo sensor's wearer does on a walk: half an hour at a brisk 110 steps a minute. */
private const val DEMO_WALK_MINUTES = 30u
private const val DEMO_CADENCE = 110u
