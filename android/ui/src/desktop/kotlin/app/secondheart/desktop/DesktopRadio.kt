package app.secondheart.desktop

import app.secondheart.state.FoundSensor
import app.secondheart.state.RadioUnavailable
import app.secondheart.state.SensorRadio
import kotlinx.coroutines.CompletableDeferred
import uniffi.second_heart.BleLink
import uniffi.second_heart.DesktopBluetooth
import uniffi.second_heart.NearbySensor
import uniffi.second_heart.ScanListener
import uniffi.second_heart.SecondHeartException
import uniffi.second_heart.SensorKind

/**
 * The computer's Bluetooth (BlueZ on Linux) through the library's
 * [DesktopBluetooth]: scans for [seconds] and links to a sensor found, for
 * the core's pair and sync. The adapter ([adapter], e.g. "hci0", or the
 * first) is opened at the first scan, and again after a failure, so an
 * adapter plugged in later is found; no adapter is [RadioUnavailable].
 */
class DesktopRadio(private val adapter: String? = null, private val seconds: UInt = 8u) : SensorRadio {
    @Volatile
    private var bluetooth: DesktopBluetooth? = null

    private fun opened(): DesktopBluetooth = bluetooth ?: try {
        DesktopBluetooth.open(adapter).also { bluetooth = it }
    } catch (e: SecondHeartException.Bluetooth) {
        throw RadioUnavailable("No Bluetooth here: ${e.detail}.")
    }

    override suspend fun scan(onFound: (FoundSensor) -> Unit) {
        val ended = CompletableDeferred<Unit>()
        val handle = opened().scan(seconds, object : ScanListener {
            override fun onFound(sensor: NearbySensor) = onFound(found(sensor))

            override fun onFinished(cancelled: Boolean) {
                ended.complete(Unit)
            }

            override fun onFailed(error: SecondHeartException) {
                bluetooth = null
                ended.completeExceptionally(if (error is SecondHeartException.Bluetooth) RadioUnavailable("Bluetooth stopped: ${error.detail}.") else error)
            }
        })
        try {
            ended.await()
        } finally {
            handle.cancel()
            handle.close()
        }
    }

    override fun link(id: String): BleLink = opened().link(id)

    private fun found(sensor: NearbySensor) =
        FoundSensor.of(sensor.address, sensor.name, sensor.rssi?.toInt(), calfPump = sensor.kind == SensorKind.CALF_PUMP)
}
