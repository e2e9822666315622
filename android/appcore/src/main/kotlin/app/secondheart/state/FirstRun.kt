package app.secondheart.state

/**
 * Whether the user has set the app up: the welcome (Settings' first run:
 * the profile, the health questions, then Start) shows until they have.
 * The phone keeps it, as iOS keeps its own in `AppStorage`: Android's is
 * `PhoneFirstRun` (android/androidglue, the app's preferences); the
 * desktop's and the tests' default is set up already.
 */
interface FirstRun {
    /** Whether Start was tapped with a profile the core saved. */
    fun done(): Boolean

    /** Records that the user has set the app up. */
    fun markDone()

    /** Everything was deleted, the profile and the health answers with it: the welcome asks them again. */
    fun reset()

    /** Kept in memory for the process (a demo, the tests): set up once [done] or [markDone]. */
    class InMemory(@Volatile private var done: Boolean = false) : FirstRun {
        override fun done() = done

        override fun markDone() {
            done = true
        }

        override fun reset() {
            done = false
        }
    }

    /** Set up already (the desktop, tests of the other screens). */
    object Done : FirstRun {
        override fun done() = true

        override fun markDone() {}

        override fun reset() {}
    }
}
