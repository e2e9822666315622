package app.secondheart.ble

import android.annotation.SuppressLint
import android.bluetooth.BluetoothDevice
import android.bluetooth.BluetoothGatt
import android.bluetooth.BluetoothGattCallback
import android.bluetooth.BluetoothGattCharacteristic
import android.bluetooth.BluetoothGattDescriptor
import android.bluetooth.BluetoothProfile
import android.content.Context
import android.os.Build
import app.secondheart.core.GattClient
import app.secondheart.core.GattEvent
import java.util.UUID
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ReceiveChannel

/**
 * [GattClient] over Android's [BluetoothGatt]. Each operation waits for
 * its callback; [app.secondheart.core.PlatformBleLink] keeps one in flight,
 * as Android requires. Callers hold BLUETOOTH_CONNECT (API 31+).
 */
@SuppressLint("MissingPermission")
class AndroidGattClient(
    private val context: Context,
    private val device: BluetoothDevice,
) : GattClient {
    private val channel = Channel<GattEvent>(Channel.UNLIMITED)
    override val events: ReceiveChannel<GattEvent> = channel

    @Volatile
    override var mtu: Int = 23
        private set

    private var gatt: BluetoothGatt? = null
    private var pending: CompletableDeferred<ByteArray?>? = null

    private fun complete(value: ByteArray? = null) {
        pending?.complete(value)
    }

    private fun fail(what: String, status: Int) {
        pending?.completeExceptionally(IllegalStateException("$what failed: GATT status $status"))
    }

    private val callback = object : BluetoothGattCallback() {
        override fun onConnectionStateChange(g: BluetoothGatt, status: Int, newState: Int) {
            when {
                newState == BluetoothProfile.STATE_CONNECTED && status == BluetoothGatt.GATT_SUCCESS -> complete()
                newState == BluetoothProfile.STATE_DISCONNECTED -> {
                    fail("connection", status)
                    // Never reuse a BluetoothGatt after a disconnect.
                    g.close()
                    gatt = null
                    channel.trySend(GattEvent.Disconnected)
                }
            }
        }

        override fun onMtuChanged(g: BluetoothGatt, newMtu: Int, status: Int) {
            if (status == BluetoothGatt.GATT_SUCCESS) mtu = newMtu
            complete() // a refused MTU request leaves 23; carry on
        }

        override fun onServicesDiscovered(g: BluetoothGatt, status: Int) {
            if (status == BluetoothGatt.GATT_SUCCESS) complete() else fail("service discovery", status)
        }

        override fun onCharacteristicRead(g: BluetoothGatt, c: BluetoothGattCharacteristic, value: ByteArray, status: Int) {
            if (status == BluetoothGatt.GATT_SUCCESS) complete(value) else fail("read ${c.uuid}", status)
        }

        @Deprecated("Android 12 and older")
        override fun onCharacteristicRead(g: BluetoothGatt, c: BluetoothGattCharacteristic, status: Int) {
            @Suppress("DEPRECATION")
            onCharacteristicRead(g, c, c.value ?: ByteArray(0), status)
        }

        override fun onCharacteristicWrite(g: BluetoothGatt, c: BluetoothGattCharacteristic, status: Int) {
            if (status == BluetoothGatt.GATT_SUCCESS) complete() else fail("write ${c.uuid}", status)
        }

        override fun onDescriptorWrite(g: BluetoothGatt, d: BluetoothGattDescriptor, status: Int) {
            if (status == BluetoothGatt.GATT_SUCCESS) complete() else fail("subscribe ${d.characteristic.uuid}", status)
        }

        override fun onCharacteristicChanged(g: BluetoothGatt, c: BluetoothGattCharacteristic, value: ByteArray) {
            channel.trySend(GattEvent.Value(c.uuid, value))
        }

        @Deprecated("Android 12 and older")
        override fun onCharacteristicChanged(g: BluetoothGatt, c: BluetoothGattCharacteristic) {
            @Suppress("DEPRECATION")
            onCharacteristicChanged(g, c, c.value ?: ByteArray(0))
        }
    }

    /** Starts an operation and waits for its callback. */
    private suspend fun await(what: String, start: () -> Boolean): ByteArray? {
        val done = CompletableDeferred<ByteArray?>()
        pending = done
        if (!start()) {
            pending = null
            throw IllegalStateException("$what could not start")
        }
        return done.await().also { pending = null }
    }

    private fun connected(): BluetoothGatt = gatt ?: throw IllegalStateException("not connected")

    private fun characteristic(uuid: UUID): BluetoothGattCharacteristic =
        connected().services.firstNotNullOfOrNull { it.getCharacteristic(uuid) }
            ?: throw IllegalStateException("the sensor has no characteristic $uuid")

    override suspend fun connect() {
        await("connecting") {
            gatt = device.connectGatt(context, false, callback, BluetoothDevice.TRANSPORT_LE)
            gatt != null
        }
        await("MTU request") { connected().requestMtu(517) }
        // Bulk transfer: ask for a short connection interval while syncing.
        connected().requestConnectionPriority(BluetoothGatt.CONNECTION_PRIORITY_HIGH)
        await("service discovery") { connected().discoverServices() }
    }

    override suspend fun read(characteristic: UUID): ByteArray =
        await("read $characteristic") { connected().readCharacteristic(characteristic(characteristic)) }
            ?: ByteArray(0)

    override suspend fun write(characteristic: UUID, value: ByteArray) =
        write(characteristic, value, BluetoothGattCharacteristic.WRITE_TYPE_DEFAULT, "write")

    // Android still reports a write without response through onCharacteristicWrite, once queued.
    override suspend fun writeWithoutResponse(characteristic: UUID, value: ByteArray) =
        write(characteristic, value, BluetoothGattCharacteristic.WRITE_TYPE_NO_RESPONSE, "write without response")

    private suspend fun write(characteristic: UUID, value: ByteArray, type: Int, what: String) {
        val c = characteristic(characteristic)
        await("$what $characteristic") {
            if (Build.VERSION.SDK_INT >= 33) {
                connected().writeCharacteristic(c, value, type) == BluetoothGatt.GATT_SUCCESS
            } else {
                @Suppress("DEPRECATION")
                c.value = value
                c.writeType = type
                @Suppress("DEPRECATION")
                connected().writeCharacteristic(c)
            }
        }
    }

    override suspend fun enableNotifications(characteristic: UUID) {
        val c = characteristic(characteristic)
        val g = connected()
        check(g.setCharacteristicNotification(c, true)) { "notifications of $characteristic could not be enabled" }
        val cccd = c.getDescriptor(CCCD) ?: throw IllegalStateException("$characteristic has no CCCD")
        val value = if (c.properties and BluetoothGattCharacteristic.PROPERTY_INDICATE != 0) {
            BluetoothGattDescriptor.ENABLE_INDICATION_VALUE
        } else {
            BluetoothGattDescriptor.ENABLE_NOTIFICATION_VALUE
        }
        await("subscribe $characteristic") {
            if (Build.VERSION.SDK_INT >= 33) {
                g.writeDescriptor(cccd, value) == BluetoothGatt.GATT_SUCCESS
            } else {
                @Suppress("DEPRECATION")
                cccd.value = value
                @Suppress("DEPRECATION")
                g.writeDescriptor(cccd)
            }
        }
    }

    override suspend fun disconnect() {
        gatt?.disconnect()
    }

    private companion object {
        val CCCD: UUID = UUID.fromString("00002902-0000-1000-8000-00805f9b34fb")
    }
}
