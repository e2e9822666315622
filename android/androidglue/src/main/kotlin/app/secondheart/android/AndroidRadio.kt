package app.secondheart.android

import android.annotation.SuppressLint
import android.bluetooth.BluetoothManager
import android.bluetooth.le.ScanCallback
import android.bluetooth.le.ScanFilter
import android.bluetooth.le.ScanResult
import android.bluetooth.le.ScanSettings
import android.content.Context
import android.os.ParcelUuid
import app.secondheart.core.PlatformBleLink
import app.secondheart.state.FoundSensor
import app.secondheart.state.RadioUnavailable
import app.secondheart.state.SensorRadio
import java.util.UUID
import kotlinx.coroutines.delay
import uniffi.second_heart.BleLink

/**
 * The phone's Bluetooth as Devices uses it: a scan for Second Heart
 * sensors (by their service UUID) for [scanMillis], and a link to one
 * through [AndroidGattClient]. Needs BLUETOOTH_SCAN and BLUETOOTH_CONNECT
 * ([Feature.Sensors]).
 */
@SuppressLint("MissingPermission")
class AndroidRadio(private val context: Context, private val scanMillis: Long = 8_000) : SensorRadio {
    private val adapter = context.getSystemService(BluetoothManager::class.java).adapter

    override suspend fun scan(onFound: (FoundSensor) -> Unit) {
        val scanner = adapter?.takeIf { it.isEnabled }?.bluetoothLeScanner
            ?: throw RadioUnavailable("Bluetooth is off: switch it on to find your sensor.")
        val seen = java.util.concurrent.ConcurrentHashMap.newKeySet<String>()
        val callback = object : ScanCallback() {
            override fun onScanResult(callbackType: Int, result: ScanResult) {
                if (!seen.add(result.device.address)) return
                val name = result.scanRecord?.deviceName ?: "Second Heart sensor"
                onFound(FoundSensor(result.device.address, name, "${result.device.address} · ${result.rssi} dBm"))
            }
        }
        val filter = ScanFilter.Builder().setServiceUuid(ParcelUuid(SERVICE)).build()
        scanner.startScan(listOf(filter), ScanSettings.Builder().setScanMode(ScanSettings.SCAN_MODE_LOW_LATENCY).build(), callback)
        try {
            delay(scanMillis)
        } finally {
            scanner.stopScan(callback)
        }
    }

    override fun link(id: String): BleLink =
        PlatformBleLink(AndroidGattClient(context, (adapter ?: throw RadioUnavailable("This phone has no Bluetooth.")).getRemoteDevice(id)))

    private companion object {
        /** The Second Heart sensor service (docs/sensor-protocol.md). */
        val SERVICE: UUID = UUID.fromString("a7c00001-3b1d-4e62-8f4e-5365636f6e64")
    }
}
