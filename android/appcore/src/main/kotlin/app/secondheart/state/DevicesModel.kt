package app.secondheart.state

import app.secondheart.core.AppClock
import app.secondheart.core.DemoGattClient
import app.secondheart.core.PlatformBleLink
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import uniffi.second_heart.BleLink
import uniffi.second_heart.Clock
import uniffi.second_heart.DemoSensor
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.SyncListener
import uniffi.second_heart.SyncReport
import uniffi.second_heart.TaskHandle

/** A sensor a scan found. */
data class FoundSensor(val id: String, val name: String, val detail: String)

/** The radio as Devices uses it: a scan, and a link to a sensor found. */
interface SensorRadio {
    /** Sensors in range now. */
    suspend fun scan(): List<FoundSensor>

    /** A link to [id], as the core's BLE link. */
    fun link(id: String): BleLink
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

    override suspend fun scan() = listOf(FoundSensor(serial, "Demo sock sensor", "$serial · in range"))

    override fun link(id: String): BleLink = PlatformBleLink(DemoGattClient(sensor, paceMillis = pace, liveTickMillis = liveTick))
}

/** Devices: scan, pair, sync with progress and cancel, forget. */
class DevicesModel(
    private val core: Core,
    private val formats: Formats,
    private val radio: SensorRadio,
    scope: CoroutineScope,
    io: CoroutineDispatcher,
) : ScreenModel<DevicesUi>(DevicesUi(false, emptyList(), null, null, null), scope, io) {
    private var found: List<FoundSensor> = emptyList()
    private var task: TaskHandle? = null

    @Volatile
    private var sync: SyncUi? = null

    @Volatile
    private var message: String? = null

    override suspend fun refresh() {
        val now = core.now()
        val paired = core.app.sensors().paired()
        val rows = paired.map { p ->
            DeviceRowUi(
                p.serial,
                "${p.model} ${p.serial}",
                (p.lastSync?.let { "Synced ${formats.ago(it, now)}" } ?: "Not synced yet") + " · ${formats.plural(p.records.toLong(), "record")}",
                true,
            )
        } + found.filter { f -> paired.none { it.serial == f.id } }.map { DeviceRowUi(it.id, it.name, it.detail, false) }
        mutable.value = DevicesUi(false, rows, sync, message, null)
    }

    override fun onError(message: String) {
        this.message = message
        mutable.value = mutable.value.copy(message = message)
    }

    /** Looks for sensors in range. */
    fun scan() = act {
        mutable.value = mutable.value.copy(scanning = true)
        found = radio.scan()
        refresh()
    }

    /** Pairs the sensor found at [address]: reads its serial, sets its clock and fetches what it stored. */
    fun pair(address: String) = run(address) { listener -> core.app.sensors().pair(radio.link(address), address, listener) }

    /** Syncs the paired sensor [serial] with progress; [cancelSync] stops it. */
    fun sync(serial: String) = act {
        val address = core.app.sensors().paired().firstOrNull { it.serial == serial }?.address ?: serial
        run(serial) { listener -> core.app.sensors().sync(serial, radio.link(address), listener) }
    }

    private fun run(label: String, start: (SyncListener) -> TaskHandle) = act {
        if (task != null) return@act
        message = null
        sync = SyncUi(label, 0f, "Connecting…")
        refresh()
        task = start(object : SyncListener {
            override fun onProgress(recordsDone: UInt, recordsTotal: UInt) {
                val total = recordsTotal.toInt().coerceAtLeast(1)
                sync = SyncUi(label, recordsDone.toFloat() / total, "${formats.integer(recordsDone.toLong())} of ${formats.integer(recordsTotal.toLong())} records")
                mutable.value = mutable.value.copy(sync = sync)
            }

            override fun onFinished(report: SyncReport) = ended("Synced ${formats.plural(report.recordsStored.toLong(), "new record")} from ${report.serial}")

            override fun onFailed(error: SecondHeartException) = ended(
                if (error is SecondHeartException.SyncCancelled) "Sync cancelled: the records so far are kept, the next sync resumes"
                else error.message ?: "The sync stopped; the next one resumes",
            )
        })
    }

    private fun ended(text: String) {
        task = null
        sync = null
        message = text
        reload()
    }

    /** Cancels the running sync; what was stored stays. */
    fun cancelSync() {
        task?.cancel()
    }

    /** Forgets [id] and deletes its records. */
    fun forget(id: String) = act {
        val removed = core.app.sensors().forget(id)
        message = "Forgot $id and deleted ${formats.plural(removed.toLong(), "record")}"
        refresh()
    }
}
