package app.secondheart.android

import android.content.Context
import app.secondheart.state.FirstRun

/** Whether the user has set the app up, in the app's own preferences (gone with the app's data, as the database is). */
class PhoneFirstRun(context: Context) : FirstRun {
    private val preferences = context.getSharedPreferences("first_run", Context.MODE_PRIVATE)

    override fun done(): Boolean = preferences.getBoolean(KEY, false)

    override fun markDone() {
        preferences.edit().putBoolean(KEY, true).apply()
    }

    private companion object {
        const val KEY = "done"
    }
}
