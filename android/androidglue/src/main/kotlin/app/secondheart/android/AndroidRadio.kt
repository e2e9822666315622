package app.secondheart.android

import android.Manifest
import android.annotation.SuppressLint
import android.bluetooth.BluetoothManager
import android.bluetooth.le.ScanCallback
import android.bluetooth.le.ScanFilter
import android.bluetooth.le.ScanResult
import android.bluetooth.le.ScanSettings
import android.content.Context
import android.os.Build
import android.os.ParcelUuid
import app.secondheart.core.PlatformBleLink
import app.secondheart.state.FoundSensor
import app.secondheart.state.RadioUnavailable
import app.secondheart.state.SensorRadio
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.withTimeoutOrNull
import uniffi.second_heart.BleLink
import uniffi.second_heart.sensorUuids

/**
 * The phone's Bluetooth as Devices uses it: a scan for Second Heart
 * sensors and RSC foot pods (by their service UUIDs) for [scanMillis], as
 * the iOS app and the desktop scan, and a link to one
 * through [AndroidGattClient]. Needs BLUETOOTH_SCAN and BLUETOOTH_CONNECT
 * ([Feature.Sensors]).
 */
@SuppressLint("MissingPermission")
class AndroidRadio(private val context: Context, private val scanMillis: Long = 8_000) : SensorRadio {
    private val adapter = context.getSystemService(BluetoothManager::class.java).adapter

    /** The services a scan looks for, as the core names them. */
    private val calfPumpService = ParcelUuid.fromString(sensorUuids().calfPumpService)
    private val runningSpeedAndCadence = ParcelUuid.fromString(sensorUuids().runningSpeedAndCadence)

    override suspend fun scan(onFound: (FoundSensor) -> Unit) {
        if (Permissions.missing(context, Feature.Sensors).isNotEmpty()) throw permissionNeeded()
        val scanner = adapter?.takeIf { it.isEnabled }?.bluetoothLeScanner
            ?: throw RadioUnavailable(BLUETOOTH_OFF)
        // Before Android 12 a scan finds nothing while Location is off, and says nothing.
        if (Build.VERSION.SDK_INT <= Build.VERSION_CODES.R && !locationOn()) throw RadioUnavailable(LOCATION_OFF)
        val seen = java.util.concurrent.ConcurrentHashMap.newKeySet<String>()
        val failed = CompletableDeferred<Int>()
        val callback = object : ScanCallback() {
            override fun onScanResult(callbackType: Int, result: ScanResult) {
                if (!seen.add(result.device.address)) return
                val record = result.scanRecord
                val calfPump = record?.serviceUuids?.contains(calfPumpService) == true
                onFound(FoundSensor.of(result.device.address, record?.deviceName, result.rssi, calfPump))
            }

            override fun onScanFailed(errorCode: Int) {
                failed.complete(errorCode)
            }
        }
        // Either service matches: Second Heart sensors and RSC foot pods.
        val filters = listOf(calfPumpService, runningSpeedAndCadence).map { ScanFilter.Builder().setServiceUuid(it).build() }
        try {
            scanner.startScan(filters, ScanSettings.Builder().setScanMode(ScanSettings.SCAN_MODE_LOW_LATENCY).build(), callback)
        } catch (e: SecurityException) {
            // Taken back in the system's settings between the check and the call.
            throw permissionNeeded()
        } catch (e: IllegalStateException) {
            // Switched off between the check and the call.
            throw RadioUnavailable(BLUETOOTH_OFF)
        }
        try {
            val refused = withTimeoutOrNull(scanMillis) { failed.await() }
            if (refused != null) {
                throw RadioUnavailable("The phone could not scan for sensors (Bluetooth error $refused): switch Bluetooth off and on again, then scan.")
            }
        } finally {
            try {
                scanner.stopScan(callback)
            } catch (_: IllegalStateException) {
                // Bluetooth was switched off during the scan, which ended with it.
            }
        }
    }

    /** Whether the phone's Location is on (unknown: taken as on). */
    private fun locationOn(): Boolean {
        val location = context.getSystemService(android.location.LocationManager::class.java) ?: return true
        return if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) {
            location.isLocationEnabled
        } else {
            location.isProviderEnabled(android.location.LocationManager.GPS_PROVIDER) ||
                location.isProviderEnabled(android.location.LocationManager.NETWORK_PROVIDER)
        }
    }

    override fun link(id: String): BleLink {
        // Connecting needs Nearby devices from Android 12 on; before, the install-time Bluetooth permission.
        if (Build.VERSION.SDK_INT >= 31 && Permissions.missing(context, Feature.Sensors).contains(Manifest.permission.BLUETOOTH_CONNECT)) {
            throw permissionNeeded()
        }
        val on = (adapter ?: throw RadioUnavailable("This phone has no Bluetooth.")).takeIf { it.isEnabled }
            ?: throw RadioUnavailable(BLUETOOTH_OFF)
        return PlatformBleLink(AndroidGattClient(context, on.getRemoteDevice(id)))
    }

    /**
     * Why Android refuses the radio (a SecurityException, which would end the
     * app): Nearby devices from Android 12 on; before, scanning needs Location.
     * The user refused it, so the phone's settings for the app are where to allow it.
     */
    private fun permissionNeeded(): RadioUnavailable =
        RadioUnavailable(
            if (Build.VERSION.SDK_INT >= 31) {
                "Second Heart needs the Nearby devices permission to find and sync your sensor: allow it in the phone's settings for the app."
            } else {
                "Second Heart needs the Location permission to find your sensor (Android needs it to scan for Bluetooth devices): allow it in the phone's settings for the app."
            },
            permissionRefused = true,
        )

    private companion object {
        const val BLUETOOTH_OFF = "Bluetooth is off: switch it on to find and sync your sensor."
        const val LOCATION_OFF = "Location is off: this phone finds Bluetooth sensors only with Location on. Switch it on to scan, then off again if you like (Second Heart does not use your location)."
    }
}
