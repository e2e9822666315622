package app.secondheart.android

import android.Manifest
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.net.Uri
import android.os.Build
import android.provider.Settings

/** What the app needs for a feature, and what is missing on this phone. */
enum class Feature(val permissions: (sdk: Int) -> List<String>) {
    /** Scan, pair and sync sensors. */
    Sensors({ sdk ->
        if (sdk >= 31) listOf(Manifest.permission.BLUETOOTH_SCAN, Manifest.permission.BLUETOOTH_CONNECT)
        else listOf(Manifest.permission.ACCESS_FINE_LOCATION)
    }),

    /** Break reminders and the session notification. */
    Reminders({ sdk -> if (sdk >= 33) listOf(Manifest.permission.POST_NOTIFICATIONS) else emptyList() }),

    /** The phone's step counter during a walk. */
    PhoneSteps({ sdk -> if (sdk >= 29) listOf(Manifest.permission.ACTIVITY_RECOGNITION) else emptyList() }),
}

/** Runtime permissions: which are missing, and the settings pages where the user allows them. */
object Permissions {
    /** The permissions [feature] still needs; the Activity asks for these with its permission launcher. */
    fun missing(context: Context, feature: Feature): List<String> =
        feature.permissions(Build.VERSION.SDK_INT).filter {
            context.checkSelfPermission(it) != PackageManager.PERMISSION_GRANTED
        }

    /**
     * The app's own page in the phone's settings: its permissions, where one
     * refused is allowed again (and its notifications, on a phone without their page).
     */
    fun appSettings(context: Context): Intent =
        Intent(Settings.ACTION_APPLICATION_DETAILS_SETTINGS, Uri.fromParts("package", context.packageName, null))

    /**
     * The settings page where the user allows exact alarms (Android 12+),
     * or null when they already are. Without it reminders still come, up
     * to five minutes late.
     */
    fun exactAlarmSettings(context: Context): Intent? =
        if (ReminderScheduler(context).exactAllowed()) {
            null
        } else {
            Intent(Settings.ACTION_REQUEST_SCHEDULE_EXACT_ALARM, Uri.parse("package:${context.packageName}"))
        }
}
