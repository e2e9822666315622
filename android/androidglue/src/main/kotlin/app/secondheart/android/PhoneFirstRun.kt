package app.secondheart.android

import android.content.Context
import app.secondheart.state.FirstRun

/**
 * Whether the user has set the app up, in the app's own preferences (gone
 * with the app's data, as the database is).
 */
class PhoneFirstRun(context: Context) : FirstRun {
    private val preferences = context.getSharedPreferences("first_run", Context.MODE_PRIVATE)

    override fun done(): Boolean = preferences.getBoolean(KEY, false)

    override fun markDone() {
        preferences.edit().putBoolean(KEY, true).apply()
    }

    override fun reset() {
        // Written before returning: a process ended just after everything was deleted must not open on Today
        // with the health answers that gate compression advice gone unasked.
        preferences.edit().putBoolean(KEY, false).commit()
    }

    /**
     * Settles a launch that has no record yet, before the database is
     * opened: a database there already ([databaseExisted]) was made by a
     * version without the welcome, whose user set the app up in Settings,
     * and is not welcomed again; none is a new install, welcomed until Start
     * (recorded as not done, so a welcome left half-way is shown again).
     */
    fun settle(databaseExisted: Boolean) {
        if (!preferences.contains(KEY)) preferences.edit().putBoolean(KEY, databaseExisted).apply()
    }

    private companion object {
        const val KEY = "done"
    }
}
