package app.secondheart.android

import android.app.Notification
import android.app.PendingIntent
import android.app.Service
import android.content.Context
import android.content.Intent
import android.content.pm.ServiceInfo
import android.os.Build
import android.os.IBinder

/**
 * The foreground service that keeps a walk, a set, a flight or a sensor
 * sync alive while the screen is off. Its type says why: `connectedDevice`
 * while a sensor is connected, `health` for a session or flight without
 * one (both declared in the manifest). The notification shows what runs
 * and offers Finish, which finishes the session as its screen's button
 * does ([onFinish]); the session's end then takes the notification away.
 */
class SessionService : Service() {
    override fun onBind(intent: Intent?): IBinder? = null

    override fun onStartCommand(intent: Intent?, flags: Int, startId: Int): Int {
        if (intent?.action == ACTION_FINISH) {
            val finish = onFinish
            if (finish != null) {
                // Once the session is saved, its end takes the notification away
                // (PhoneSession.sessionEnded): a step counted meanwhile does not bring it back.
                finish()
            } else {
                stopForeground(STOP_FOREGROUND_REMOVE)
                stopSelf()
            }
            return START_NOT_STICKY
        }
        synchronized(lock) { running = true }
        val title = intent?.getStringExtra(EXTRA_TITLE) ?: "Second Heart"
        val text = intent?.getStringExtra(EXTRA_TEXT) ?: ""
        val sensor = intent?.getBooleanExtra(EXTRA_SENSOR, false) ?: false
        val finishable = intent?.getBooleanExtra(EXTRA_FINISHABLE, true) ?: true
        ReminderNotifier(this).createChannels()
        val finish = PendingIntent.getService(
            this, 0, Intent(this, SessionService::class.java).setAction(ACTION_FINISH),
            PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
        )
        val notification = Notification.Builder(this, ReminderNotifier.CHANNEL_SESSIONS)
            .setSmallIcon(if (sensor) android.R.drawable.stat_sys_data_bluetooth else android.R.drawable.ic_menu_directions)
            .setContentTitle(title)
            .setContentText(text)
            .setOngoing(true)
            .setCategory(if (finishable) Notification.CATEGORY_WORKOUT else Notification.CATEGORY_PROGRESS)
            .setContentIntent(openApp(this))
            .apply { if (finishable) addAction(Notification.Action.Builder(null, "Finish", finish).build()) }
            .build()
        if (Build.VERSION.SDK_INT >= 34) {
            startForeground(NOTIFICATION_ID, notification, typeFor(sensor))
        } else {
            startForeground(NOTIFICATION_ID, notification)
        }
        // Stopped before it was in the foreground (see [stop]): once no
        // start is on its way any more, it may go.
        val stopNow = synchronized(lock) {
            pendingStarts = (pendingStarts - 1).coerceAtLeast(0)
            (pendingStarts == 0 && stopAsked).also { if (it) stopAsked = false }
        }
        if (stopNow) {
            stopForeground(STOP_FOREGROUND_REMOVE)
            stopSelf(startId)
        }
        return START_NOT_STICKY
    }

    override fun onDestroy() {
        running = false
        super.onDestroy()
    }

    companion object {
        /** Guards the flags below: a stop may come from any thread while the service starts. */
        private val lock = Any()

        /** Whether the service runs (it has taken a start). */
        @Volatile
        var running = false
            private set

        /** Starts asked for ([start]) whose `startForeground` has not run yet. */
        private var pendingStarts = 0

        /** Asked to stop while a start was on its way: it stops itself once that start is in the foreground. */
        private var stopAsked = false

        const val NOTIFICATION_ID = 7
        const val ACTION_FINISH = "app.secondheart.session.FINISH"

        /**
         * Finishes the running session (set by [PhoneSession.whenFinishAsked]);
         * none when the app's models are not loaded, and then Finish only
         * takes the notification away.
         */
        @Volatile
        var onFinish: (() -> Unit)? = null
        const val EXTRA_TITLE = "title"
        const val EXTRA_TEXT = "text"
        const val EXTRA_SENSOR = "sensor"

        /** Whether the notification offers Finish (a session; not a sync, which Devices cancels). */
        const val EXTRA_FINISHABLE = "finishable"

        /** The foreground-service type for a session with or without a connected sensor. */
        fun typeFor(sensor: Boolean): Int =
            if (sensor) ServiceInfo.FOREGROUND_SERVICE_TYPE_CONNECTED_DEVICE else ServiceInfo.FOREGROUND_SERVICE_TYPE_HEALTH

        /** The intent that starts (or updates) the service: "Walk · 12 min", with or without a sensor, with Finish or without. */
        fun intent(context: Context, title: String, text: String, sensor: Boolean, finishable: Boolean = true): Intent =
            Intent(context, SessionService::class.java)
                .putExtra(EXTRA_TITLE, title)
                .putExtra(EXTRA_TEXT, text)
                .putExtra(EXTRA_SENSOR, sensor)
                .putExtra(EXTRA_FINISHABLE, finishable)

        /** Starts it while a session, flight or sync runs. */
        fun start(context: Context, title: String, text: String, sensor: Boolean, finishable: Boolean = true) {
            // Counted before it is asked for: the service may reach onStartCommand
            // (on the main thread) before this thread gets on, and a count taken
            // after that would stay up, and hold every later stop back.
            synchronized(lock) {
                pendingStarts++
                stopAsked = false
            }
            try {
                context.startForegroundService(intent(context, title, text, sensor, finishable))
            } catch (refused: RuntimeException) {
                // A stop that came meanwhile waited for this start: it stops now.
                val stopNow = synchronized(lock) {
                    pendingStarts = (pendingStarts - 1).coerceAtLeast(0)
                    (pendingStarts == 0 && stopAsked).also { if (it) stopAsked = false }
                }
                if (stopNow) context.stopService(Intent(context, SessionService::class.java))
                throw refused
            }
        }

        /**
         * Stops it when the session ends (allowed from the background,
         * unlike a start). While a start is on its way (a sync that failed
         * at once), it stops itself once that start is in the foreground:
         * Android ends an app whose service is stopped between
         * `startForegroundService` and `startForeground`.
         */
        fun stop(context: Context) {
            val later = synchronized(lock) { (pendingStarts > 0).also { if (it) stopAsked = true } }
            if (!later) context.stopService(Intent(context, SessionService::class.java))
        }
    }
}
