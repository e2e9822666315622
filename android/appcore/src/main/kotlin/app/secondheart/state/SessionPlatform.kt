package app.secondheart.state

/**
 * What the phone does around a running session, beyond the core: its own
 * step counter for a walk no sensor counts, and keeping the session alive
 * while the screen is off. Android's is `PhoneSession` (android/androidglue:
 * the step-counter sensor and the foreground service); the desktop's and
 * the tests' default does neither.
 */
interface SessionPlatform {
    /**
     * A walk runs that no sensor counts: hand each increase of the phone's
     * step count to [onSteps] until [stopSteps]. Calling it again while
     * counting changes nothing. Returns null when the phone counts them,
     * else why it cannot, in words for the Walk screen (a permission
     * refused, no step counter).
     */
    fun startSteps(onSteps: (Int) -> Unit): String? = null

    /** Whether the phone's step count is refused to the app (a permission the user did not give). */
    fun stepsRefused(): Boolean = false

    /** Opens the phone's settings for the app, where a permission refused (steps, nearby devices) is allowed. */
    fun openAppPermissions() {}

    /** The walk paused, ended, or a sensor counts it now. */
    fun stopSteps() {}

    /**
     * A session runs: "Walk", "Calf raises", "Ankle pumps" or "Legs up"
     * ([title]), counted from a sensor's live data when [bySensor]; keep it
     * alive with the screen off. Called again when either changes.
     */
    fun sessionRunning(title: String, bySensor: Boolean) {}

    /** No session runs any more. */
    fun sessionEnded() {}

    /**
     * A pairing or sync runs ([title]: "Pairing your sensor", "Syncing
     * SH-1"), its records still coming: keep it alive with the screen off
     * or the app left.
     */
    fun syncRunning(title: String) {}

    /** The pairing or sync ended (done, failed or cancelled). */
    fun syncEnded() {}

    /**
     * What to do when the user asks the phone's own controls (Android's
     * session notification) to finish the running session: [finish] ends
     * it as the session's screen would. Set once, before any session runs;
     * `null` when the app's models close, so a notification left behind
     * reaches nothing closed.
     */
    fun whenFinishAsked(finish: (() -> Unit)?) {}

    /** The platform that does nothing (desktop, tests). */
    object None : SessionPlatform
}
