package app.secondheart.state

import app.secondheart.core.AppClock
import app.secondheart.core.DemoGattClient
import app.secondheart.core.PlatformBleLink
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicLong
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import uniffi.second_heart.BleLink
import uniffi.second_heart.CadenceReading
import uniffi.second_heart.Clock
import uniffi.second_heart.DemoActivity
import uniffi.second_heart.LiveFrame
import uniffi.second_heart.LiveProgress
import uniffi.second_heart.Posture
import uniffi.second_heart.DemoSensor
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.SyncListener
import uniffi.second_heart.SyncReport
import uniffi.second_heart.TaskHandle

/** A sensor a scan found. */
data class FoundSensor(val id: String, val name: String, val detail: String) {
    companion object {
        /**
         * A sensor found at [address] as every radio lists it: by the [name]
         * it advertised, else by its kind; the detail gives the address and
         * signal, and a foot pod (not [calfPump]: Running Speed and Cadence
         * only) says it gives live cadence only.
         */
        fun of(address: String, name: String?, rssi: Int?, calfPump: Boolean): FoundSensor {
            val detail = listOfNotNull(address, rssi?.let { "$it dBm" }, if (calfPump) null else "live cadence only")
            return FoundSensor(address, name ?: if (calfPump) "Second Heart sensor" else "Foot pod", detail.joinToString(" · "))
        }
    }
}

/** No radio to scan with (no adapter, Bluetooth off, no BlueZ): [message] says which, for the user. */
class RadioUnavailable(
    message: String,
    /** Because the user refused the app a permission: the phone's settings for the app are where it is allowed again. */
    val permissionRefused: Boolean = false,
) : Exception(message)

/**
 * The radio as Devices uses it: a scan, and a link to a sensor found. The
 * phone's own (Android's `AndroidRadio`), the computer's (the desktop app's
 * `DesktopRadio`, over the library's `DesktopBluetooth`), or the demo sensor.
 */
interface SensorRadio {
    /**
     * Looks for sensors until the scan's time is up, handing each to
     * [onFound] once, as it appears (on any thread). Cancelling the calling
     * coroutine stops the scan. Throws [RadioUnavailable] when there is no
     * radio to scan with.
     */
    suspend fun scan(onFound: (FoundSensor) -> Unit)

    /** A link to [id], as the core's BLE link. Throws [RadioUnavailable] when there is no radio. */
    fun link(id: String): BleLink

    /** Demo mode: the simulated wearer starts [activity] (a set, a walk) as the screen starts it. A real radio has no wearer to ask. */
    fun demoWearerDoes(activity: DemoActivity) {}
}

/**
 * The demo sensor as a radio: one simulated sock sensor that has recorded
 * [hours] of a typical day by [clock] (the app's: a fixed clock makes the
 * demo the same every run), answering byte for byte like a real one over a
 * link that takes [pace] per notification (so a sync can be watched and
 * cancelled) and delivers live data every [liveTick] ms.
 */
class DemoRadio(
    private val serial: String = "SH-DEMO-0001",
    private val hours: Double = 8.0,
    private val pace: Long = 0,
    private val clock: Clock = AppClock(),
    private val liveTick: Long = 100,
) : SensorRadio {
    /** The simulated sensor, to make its wearer do something ([DemoSensor.perform]). */
    val sensor by lazy { DemoSensor(serial, hours, clock) }

    override suspend fun scan(onFound: (FoundSensor) -> Unit) = onFound(FoundSensor(serial, "Demo sock sensor", "$serial · in range"))

    override fun link(id: String): BleLink = PlatformBleLink(DemoGattClient(sensor, paceMillis = pace, liveTickMillis = liveTick))

    override fun demoWearerDoes(activity: DemoActivity) {
        sensor.perform(activity)
    }

    /** Whether [id] names the demo sensor. */
    fun isDemo(id: String) = id == serial
}

/**
 * [radio], with the [demo] sensor offered in its place when it is
 * unavailable: such a scan lists the demo sensor, then throws
 * [RadioUnavailable] saying why the radio could not scan and that the demo
 * sensor is there instead. Links to the demo sensor go to [demo].
 */
class WithDemoSensor(private val radio: SensorRadio, private val demo: DemoRadio) : SensorRadio {
    override suspend fun scan(onFound: (FoundSensor) -> Unit) {
        try {
            radio.scan(onFound)
        } catch (e: RadioUnavailable) {
            demo.scan(onFound)
            throw RadioUnavailable("${e.message} You can pair the demo sensor instead.", e.permissionRefused)
        }
    }

    override fun link(id: String): BleLink = if (demo.isDemo(id)) demo.link(id) else radio.link(id)

    override fun demoWearerDoes(activity: DemoActivity) = demo.demoWearerDoes(activity)
}

/** Devices: scan, pair, sync with progress and cancel, live data, forget. */
class DevicesModel(
    private val core: Core,
    private val formats: Formats,
    private val radio: SensorRadio,
    scope: CoroutineScope,
    io: CoroutineDispatcher,
    /** Hears when a pairing or sync runs and ends (Android keeps it in the foreground). */
    private val platform: SessionPlatform = SessionPlatform.None,
) : ScreenModel<DevicesUi>(DevicesUi(false, emptyList(), null, null, null), scope, io) {
    @Volatile
    private var found: List<FoundSensor> = emptyList()
    private var task: TaskHandle? = null

    /** A pairing or sync claimed the radio (taken and given back under this model's lock). */
    private var claimed = false

    /** Cancel was tapped while the claimed sync was still starting (under the lock). */
    private var cancelAsked = false

    @Volatile
    private var sync: SyncUi? = null

    /** What the last action said, kept for the day it was said on (AppModels forgets it when the data is replaced). */
    internal val message = DayMessage(core::today)

    /** What [message] said when it said a permission was refused: the screen then offers the phone's settings. */
    @Volatile
    private var refusal: String? = null

    /** Says why the radio is unavailable, and whether the phone's settings can help. */
    private fun unavailable(e: RadioUnavailable): String {
        val said = e.message ?: "Bluetooth is unavailable"
        // Only ever set: whether it is still said is read against the message shown.
        if (e.permissionRefused) refusal = said
        return said
    }

    /** Opens the phone's settings for the app, where a refused permission is allowed. */
    fun openAppPermissions() = platform.openAppPermissions()

    /** A scan runs (taken with compare-and-set: two quick taps on Scan start one). */
    private val scanning = AtomicBoolean(false)

    @Volatile
    private var scanJob: Job? = null

    private val stream = LiveFeed(core, radio, scope)

    @Volatile
    private var live: LiveDataUi? = null

    @Volatile
    private var confirmingForget: DeviceRowUi? = null

    /**
     * The serial of the sensor the last sync or pairing found reset, and how to try again once its history is
     * kept: sync it, or pair it again at the address it was found at (a reset may give it a new one). See
     * [keepHistoryAndResync].
     */
    @Volatile
    private var reset: Pair<String, () -> Unit>? = null

    override suspend fun refresh() {
        val now = core.now()
        val paired = core.app.sensors().paired()
        // With more than one paired, say which one walks and sets count from,
        // and let the user pick another (or go back to the one synced last).
        val counting = if (paired.size > 1) core.app.sensors().forSessions()?.serial else null
        val chosen = paired.firstOrNull { it.chosenForSessions }?.serial
        val rows = paired.map { p ->
            val counts = p.serial == counting
            DeviceRowUi(
                p.serial,
                "${p.model} ${p.serial}",
                (p.lastSync?.let { "Synced ${formats.ago(it, now)}" } ?: "Not synced yet") +
                    " · ${formats.plural(p.records.toLong(), "record")}" +
                    (p.batteryPercent?.let { " · battery\u00A0${formats.integer(it.toLong())}\u00A0%" } ?: "") +
                    (if (counts) " · counts your walks and sets" else "") +
                    (if (counts && p.chosenForSessions) ", as you chose" else ""),
                true,
            )
        } + found.filter { f -> paired.none { it.serial == f.id || it.address == f.id } }.map(::foundRow)
        val countFrom = if (paired.size > 1) {
            listOf(ChoiceUi(COUNT_FROM_SYNCED_LAST, "Whichever synced last", chosen == null)) +
                paired.map { ChoiceUi(it.serial, "${it.model} ${it.serial}", it.serial == chosen) }
        } else {
            emptyList()
        }
        // Offered while the sync's words say so (not the next day), and while it is still paired.
        val resetSensor = reset?.first?.takeIf { message.text != null && paired.any { p -> p.serial == it } }
        // Offered while the message says the permission is refused (not once it says something else).
        val said = message.text
        mutable.value = DevicesUi(scanning.get(), rows, sync, said, live, confirmingForget, countFrom, resetSensor, permissionRefused = said != null && said == refusal)
    }

    private fun foundRow(sensor: FoundSensor) = DeviceRowUi(sensor.id, sensor.name, sensor.detail, false)

    override fun onError(message: String) {
        this.message.text = message
        // Another error: not the refusal the phone's settings would mend.
        mutable.update { it.copy(message = message, permissionRefused = false) }
    }

    /** Looks for sensors in range, listing each as it appears; a radio that is unavailable says why. */
    fun scan() = act {
        if (!scanning.compareAndSet(false, true)) return@act
        scanJob = currentCoroutineContext()[Job]
        found = emptyList()
        message.text = null
        mutable.update { it.copy(scanning = true, message = null, permissionRefused = false, devices = it.devices.filter(DeviceRowUi::paired)) }
        try {
            radio.scan { sensor ->
                synchronized(this) {
                    if (found.none { it.id == sensor.id }) {
                        found = found + sensor
                        val state = mutable.value
                        if (state.devices.none { it.id == sensor.id }) mutable.value = state.copy(devices = state.devices + foundRow(sensor))
                    }
                }
            }
        } catch (e: RadioUnavailable) {
            message.text = unavailable(e)
        } finally {
            scanning.set(false)
            scanJob = null
            mutable.update { it.copy(scanning = false) }
        }
        refresh()
    }

    /** Pairs the sensor found at [address]: reads its serial, sets its clock and fetches what it stored. */
    fun pair(address: String): Unit = run(address, "Pairing your sensor", { pair(address) }) { listener ->
        core.app.sensors().pair(radio.link(address), address, listener)
    }

    /** Syncs the paired sensor [serial] with progress; [cancelSync] stops it. */
    fun sync(serial: String): Unit = run(serial, "Syncing $serial", { sync(serial) }) { listener ->
        val paired = core.app.sensors().paired().firstOrNull { it.serial == serial }
            ?: throw NotStarted("Sync did not start: $serial is not paired")
        core.app.sensors().sync(serial, radio.link(paired.address), listener)
    }

    /** A pairing or sync that could not start, for the reason in [message] (said to the user). */
    private class NotStarted(override val message: String) : Exception(message)

    /**
     * Runs the pairing or sync [start] begins, unless one runs: a second tap
     * while one runs does nothing. The radio is claimed at the tap, before
     * any work is sent off, so two quick taps start one, however the work
     * is scheduled.
     */
    private fun run(label: String, title: String, again: () -> Unit, start: (SyncListener) -> TaskHandle) {
        val mine = synchronized(this) {
            if (claimed) {
                false
            } else {
                claimed = true
                cancelAsked = false
                true
            }
        }
        if (mine) act { started(label, title, again, start) }
    }

    private suspend fun started(label: String, title: String, again: () -> Unit, start: (SyncListener) -> TaskHandle) {
        val handle = try {
            // One radio operation at a time: a scan still running stops here.
            scanJob?.cancelAndJoin()
            message.text = null
            reset = null
            sync = SyncUi(label, 0f, "Connecting…")
            platform.syncRunning(title)
            refresh()
            start(listener(label, again))
        } catch (e: RadioUnavailable) {
            ended(unavailable(e))
            return
        } catch (e: NotStarted) {
            ended(e.message)
            return
        } catch (e: SecondHeartException) {
            // Not started: the sensor is busy, or it is not paired.
            ended(userMessage(e))
            return
        } catch (e: Throwable) {
            // Not started for another reason: the claim goes back, so Sync and Pair work again.
            synchronized(this) {
                claimed = false
                sync = null
            }
            platform.syncEnded()
            throw e
        }
        // A sync that failed at once may have ended already: keep no handle to it.
        // Cancel tapped while it was connecting applies now.
        val cancelNow = synchronized(this) {
            if (sync != null) task = handle
            sync != null && cancelAsked
        }
        if (cancelNow) handle.cancel()
    }

    private fun listener(label: String, again: () -> Unit) = object : SyncListener {
        override fun onProgress(recordsDone: UInt, recordsTotal: UInt) {
            val total = recordsTotal.toInt().coerceAtLeast(1)
            sync = SyncUi(label, recordsDone.toFloat() / total, "${formats.integer(recordsDone.toLong())} of ${formats.integer(recordsTotal.toLong())} records")
            mutable.update { it.copy(sync = sync) }
        }

        override fun onFinished(report: SyncReport) = ended(synced(report))

        override fun onFailed(error: SecondHeartException) {
            if (error is SecondHeartException.SensorReset) reset = error.serial to again
            ended(
                if (error is SecondHeartException.SyncCancelled) "Sync cancelled: the records so far are kept, the next sync resumes"
                else userMessage(error),
            )
        }
    }

    /**
     * "Synced 12 new records from SH-1", and what the sensor had lost or no
     * longer held: records lost on a full sensor, or held damaged and
     * skipped, are missing for good; records fetched and cleared before
     * (forgotten and paired again) are not.
     */
    private fun synced(report: SyncReport): String = buildString {
        append("Synced ${formats.plural(report.recordsStored.toLong(), "new record")} from ${report.serial}")
        val lost = report.gapRecords.toLong()
        if (lost > 0) append("; ${formats.plural(lost, "record")} ${if (lost == 1L) "was" else "were"} lost on the full sensor before this sync")
        val damaged = report.recordsDamaged.toLong()
        if (damaged > 0) append("; ${formats.plural(damaged, "damaged record")} on the sensor ${if (damaged == 1L) "was" else "were"} skipped")
        val gone = report.recordsNotHeld.toLong()
        if (gone > 0) append("; ${formats.plural(gone, "earlier record")} ${if (gone == 1L) "was" else "were"} no longer on it, fetched and cleared before")
    }

    private fun ended(text: String) {
        synchronized(this) {
            task = null
            sync = null
            claimed = false
        }
        platform.syncEnded()
        message.text = text
        reload()
    }

    /** Cancels the running sync, or the one still connecting; what was stored stays. */
    fun cancelSync() {
        val running = synchronized(this) {
            cancelAsked = claimed
            task
        }
        running?.cancel()
    }

    /**
     * Shows live data from the paired sensor [serial] until [stopLive]. A
     * second tap finds it starting or shown: nothing more to do (it had
     * stopped the first stream and found the sensor still held).
     */
    fun showLive(serial: String) {
        liveWanted.set(true)
        act { startLive(serial) }
    }

    /**
     * Whether live data is wanted on screen: set by Live, cleared by [stopLive] as it is asked (not in its turn),
     * so a start still connecting when the user leaves lets the sensor go instead of streaming off screen.
     */
    private val liveWanted = AtomicBoolean(false)

    private suspend fun startLive(serial: String) {
        var frames = 0
        var lost = 0
        var lastSeq: Int? = null
        var cadence = "—"
        synchronized(this) {
            if (live != null) return
            live = LiveDataUi(serial, "—", "Connecting…", 0f, cadence, "")
        }
        val updates = object : LiveUpdates {
            override fun frame(frame: LiveFrame, progress: LiveProgress?) {
                val seq = frame.frameSeq.toInt()
                // The same frame again (a notification repeated) is not a new one.
                if (seq == lastSeq) return
                // As the core counts (LiveFrame::lost_since): the numbers skipped, across the
                // counter's wrap; a counter that went back is a restarted stream, not a loss.
                lastSeq?.let { previous ->
                    val ahead = (seq - previous) and 0xFFFF
                    if (ahead < 0x8000) lost += ahead - 1
                }
                lastSeq = seq
                frames++
                val sample = frame.samples.lastOrNull() ?: return
                live = LiveDataUi(
                    serial,
                    postureLabel(sample.posture),
                    "${formats.integer(sample.ankleMmhg.toLong())} mmHg at the ankle · ${formats.integer(sample.calfMmhg.toLong())} mmHg at the calf",
                    sample.contraction.toFloat() / 255f,
                    cadence,
                    "${formats.plural(frames.toLong(), "frame")} · " + if (lost == 0) "none lost" else "${formats.integer(lost.toLong())} lost",
                )
                mutable.update { it.copy(live = live) }
            }

            override fun cadence(reading: CadenceReading) {
                cadence = "${formats.integer(reading.cadenceSpm.toLong())} steps/min"
                live = live?.copy(cadence = cadence)
                mutable.update { it.copy(live = live) }
            }

            override fun ended(error: String?, afterFrames: Boolean) {
                live = null
                if (error != null) message.text = (if (afterFrames) "Live data stopped: " else "Live data did not start: ") + error
                reload()
            }
        }
        val started = try {
            refresh()
            stream.start(countSession = false, sensorSerial = serial, updates = updates)
        } catch (e: Exception) {
            // Not started (the store busy, no radio): the screen is not left "Connecting…", Sync and Forget held back.
            live = null
            mutable.update { it.copy(live = null) }
            throw e
        }
        if (!started) {
            live = null
            message.text = "Live data did not start: $serial is not paired"
            refresh()
        } else if (!liveWanted.get()) {
            // Left (or stopped) while it connected: the stop found nothing running yet.
            stream.stopAndJoin()
            live = null
            refresh()
        }
    }

    /** Stops live data; the screen shows it until the sensor is let go, so Sync and Forget are offered only once they can run. */
    fun stopLive() {
        liveWanted.set(false)
        act {
            stream.stopAndJoin()
            live = null
            refresh()
        }
    }

    /**
     * The sensor [serial] was reset, as its sync or pairing found: its history is kept (it counts as before, and goes
     * when the sensor is forgotten), and it syncs afresh from its first record, now (paired again where it was
     * found, when a pairing found it).
     */
    fun keepHistoryAndResync(serial: String) = act {
        core.app.sensors().acceptReset(serial)
        val again = reset?.takeIf { it.first == serial }?.second ?: { sync(serial) }
        reset = null
        message.text = null
        again()
    }

    /** The taps on a "count from" choice so far: the last one is the user's choice. */
    private val countFromTaps = AtomicLong()

    /** Held while a "count from" choice is written, so a tap's check and write are one step. */
    private val countFromWrite = Mutex()

    /**
     * Walks and sets count from paired sensor [serial] from now on, or from the one synced last when null. Two quick
     * taps on different choices run side by side: the later tap's choice is the one that stays (an earlier tap's write
     * that comes second is not the user's choice any more, and is dropped).
     */
    fun countSessionsFrom(serial: String?) {
        val tap = countFromTaps.incrementAndGet()
        act {
            countFromWrite.withLock {
                if (tap != countFromTaps.get()) return@withLock
                core.app.sensors().countSessionsFrom(serial)
                message.text = if (serial != null) "Walks and sets now count from $serial" else "Walks and sets now count from the sensor synced last"
                refresh()
            }
        }
    }

    /** Asks first whether to forget the paired sensor [id]: its records are deleted with it. */
    fun askForget(id: String) {
        val row = mutable.value.devices.firstOrNull { it.id == id && it.paired } ?: return
        confirmingForget = row
        mutable.update { it.copy(confirmingForget = row) }
    }

    /** Keeps the sensor the screen asked about. */
    fun cancelForget() {
        confirmingForget = null
        mutable.update { it.copy(confirmingForget = null) }
    }

    /** Forgets [id] and deletes its records (the user confirmed). */
    fun forget(id: String) {
        cancelForget()
        forgetNow(id)
    }

    private fun forgetNow(id: String) = act {
        val removed = core.app.sensors().forget(id)
        message.text = "Forgot $id and deleted ${formats.plural(removed.toLong(), "record")}"
        refresh()
    }
}

/** How a posture reads on screen. */
internal fun postureLabel(posture: Posture): String = when (posture) {
    Posture.UNKNOWN -> "Not on the leg"
    Posture.LYING -> "Lying down"
    Posture.SITTING -> "Sitting"
    Posture.STANDING -> "Standing"
    Posture.LEGS_RAISED -> "Legs raised"
    Posture.WALKING -> "Walking"
}
