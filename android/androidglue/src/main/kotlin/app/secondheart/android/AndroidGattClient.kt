package app.secondheart.android

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
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ReceiveChannel
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock

/**
 * [GattClient] over Android's [BluetoothGatt]. Android's GATT runs one
 * operation at a time and drops a second one silently, so each operation
 * here holds a lock until its callback arrives. The core bounds each with
 * a timeout; a cancelled operation (timeout or user) disconnects, because
 * its callback may still come and would answer the next operation. A
 * connection that fails or is given up is closed at once (Android may never
 * call back for one that never came up, and each open BluetoothGatt holds
 * one of the phone's few client slots), and callbacks of a BluetoothGatt
 * other than the current one are ignored.
 * Callers hold BLUETOOTH_CONNECT (API 31+, see [Permissions]).
 */
@SuppressLint("MissingPermission")
class AndroidGattClient(
    private val context: Context,
    private val device: BluetoothDevice,
) : GattClient {
    private val channel = Channel<GattEvent>(Channel.UNLIMITED)
    override val events: ReceiveChannel<GattEvent> = channel

    @Volatile
    override var mtu: Int = DEFAULT_MTU
        private set

    @Volatile
    private var gatt: BluetoothGatt? = null

    /** The callback an operation waits for: its kind, and its characteristic for reads, writes and subscriptions. */
    private data class Awaited(val kind: Kind, val uuid: UUID? = null)

    private enum class Kind { Connection, Mtu, Discovery, Read, Write, Subscription }

    /** The operation waiting, and the callback that answers it. */
    private class Pending(val awaited: Awaited, val done: CompletableDeferred<ByteArray?>)

    @Volatile
    private var pending: Pending? = null
    private val oneAtATime = Mutex()

    /**
     * Answers the operation waiting, if [answer] is its callback. Android
     * also calls back unasked (an MTU changed by the phone's own connection
     * event, services discovered again after a Service Changed): such a
     * callback must not answer a read or a discovery under way.
     */
    private fun complete(answer: Awaited, value: ByteArray? = null) {
        pending?.takeIf { it.awaited == answer }?.done?.complete(value)
    }

    private fun fail(answer: Awaited, what: String, status: Int) {
        pending?.takeIf { it.awaited == answer }?.done
            ?.completeExceptionally(IllegalStateException("$what failed: GATT status $status"))
    }

    /** The callbacks Android calls on its binder thread. */
    internal val callback = object : BluetoothGattCallback() {
        override fun onConnectionStateChange(g: BluetoothGatt, status: Int, newState: Int) {
            if (g !== gatt) {
                // An earlier connection's late word: it must not end this one.
                if (newState == BluetoothProfile.STATE_DISCONNECTED) g.close()
                return
            }
            when {
                newState == BluetoothProfile.STATE_CONNECTED && status == BluetoothGatt.GATT_SUCCESS ->
                    complete(Awaited(Kind.Connection))
                newState == BluetoothProfile.STATE_DISCONNECTED -> {
                    // Whatever was waiting will not be answered now.
                    pending?.done?.completeExceptionally(IllegalStateException("connection failed: GATT status $status"))
                    // Never reuse a BluetoothGatt after a disconnect.
                    g.close()
                    gatt = null
                    mtu = DEFAULT_MTU
                    channel.trySend(GattEvent.Disconnected)
                }
            }
        }

        override fun onMtuChanged(g: BluetoothGatt, newMtu: Int, status: Int) {
            if (g !== gatt) return
            if (status == BluetoothGatt.GATT_SUCCESS) mtu = newMtu
            complete(Awaited(Kind.Mtu)) // a refused MTU request leaves 23; carry on
        }

        override fun onServicesDiscovered(g: BluetoothGatt, status: Int) {
            if (g !== gatt) return
            val answer = Awaited(Kind.Discovery)
            if (status == BluetoothGatt.GATT_SUCCESS) complete(answer) else fail(answer, "service discovery", status)
        }

        override fun onCharacteristicRead(g: BluetoothGatt, c: BluetoothGattCharacteristic, value: ByteArray, status: Int) {
            if (g !== gatt) return
            val answer = Awaited(Kind.Read, c.uuid)
            if (status == BluetoothGatt.GATT_SUCCESS) complete(answer, value) else fail(answer, "read ${c.uuid}", status)
        }

        @Deprecated("Android 12 and older")
        override fun onCharacteristicRead(g: BluetoothGatt, c: BluetoothGattCharacteristic, status: Int) {
            @Suppress("DEPRECATION")
            onCharacteristicRead(g, c, c.value ?: ByteArray(0), status)
        }

        override fun onCharacteristicWrite(g: BluetoothGatt, c: BluetoothGattCharacteristic, status: Int) {
            if (g !== gatt) return
            val answer = Awaited(Kind.Write, c.uuid)
            if (status == BluetoothGatt.GATT_SUCCESS) complete(answer) else fail(answer, "write ${c.uuid}", status)
        }

        override fun onDescriptorWrite(g: BluetoothGatt, d: BluetoothGattDescriptor, status: Int) {
            if (g !== gatt) return
            val answer = Awaited(Kind.Subscription, d.characteristic.uuid)
            if (status == BluetoothGatt.GATT_SUCCESS) complete(answer) else fail(answer, "subscribe ${d.characteristic.uuid}", status)
        }

        override fun onCharacteristicChanged(g: BluetoothGatt, c: BluetoothGattCharacteristic, value: ByteArray) {
            if (g !== gatt) return
            channel.trySend(GattEvent.Value(c.uuid, value))
        }

        @Deprecated("Android 12 and older")
        override fun onCharacteristicChanged(g: BluetoothGatt, c: BluetoothGattCharacteristic) {
            @Suppress("DEPRECATION")
            onCharacteristicChanged(g, c, c.value ?: ByteArray(0))
        }
    }

    /**
     * Starts an operation and waits for its callback, one at a time;
     * cancelling it drops the link. An [optional] operation that Android
     * refuses to start is skipped.
     */
    private suspend fun await(what: String, awaited: Awaited, optional: Boolean = false, start: () -> Boolean): ByteArray? =
        oneAtATime.withLock { step(what, awaited, optional, start) }

    /** One step of an operation, answered by the callback [awaited]; the caller holds [oneAtATime]. */
    private suspend fun step(what: String, awaited: Awaited, optional: Boolean = false, start: () -> Boolean): ByteArray? {
        val done = CompletableDeferred<ByteArray?>()
        pending = Pending(awaited, done)
        return try {
            if (!start()) {
                if (optional) return null
                throw IllegalStateException("$what could not start")
            }
            done.await()
        } catch (e: CancellationException) {
            gatt?.disconnect()
            throw e
        } finally {
            pending = null
        }
    }

    private fun connected(): BluetoothGatt = gatt ?: throw IllegalStateException("not connected")

    private fun characteristic(uuid: UUID): BluetoothGattCharacteristic =
        connected().services.firstNotNullOfOrNull { it.getCharacteristic(uuid) }
            ?: throw IllegalStateException("the sensor has no characteristic $uuid")

    /** Connects, asks for the largest MTU and discovers services, as one operation: nothing runs in between. */
    override suspend fun connect() = oneAtATime.withLock {
        try {
            step("connecting", Awaited(Kind.Connection)) {
                gatt = device.connectGatt(context, false, callback, BluetoothDevice.TRANSPORT_LE)
                gatt != null
            }
            // A phone that cannot ask for a larger MTU stays at 23: slower, still correct.
            step("MTU request", Awaited(Kind.Mtu), optional = true) { connected().requestMtu(MAX_MTU) }
            // Bulk transfer: ask for a short connection interval while syncing.
            connected().requestConnectionPriority(BluetoothGatt.CONNECTION_PRIORITY_HIGH)
            step("service discovery", Awaited(Kind.Discovery)) { connected().discoverServices() }
        } catch (e: Throwable) {
            // Given up (the core's timeout, the user) or failed: the next connect starts afresh.
            gatt?.close()
            gatt = null
            mtu = DEFAULT_MTU
            throw e
        }
        Unit
    }

    override suspend fun read(characteristic: UUID): ByteArray =
        await("read $characteristic", Awaited(Kind.Read, characteristic)) {
            connected().readCharacteristic(characteristic(characteristic))
        }
            ?: ByteArray(0)

    override suspend fun write(characteristic: UUID, value: ByteArray) =
        write(characteristic, value, BluetoothGattCharacteristic.WRITE_TYPE_DEFAULT, "write")

    // Android still reports a write without response through onCharacteristicWrite, once queued.
    override suspend fun writeWithoutResponse(characteristic: UUID, value: ByteArray) =
        write(characteristic, value, BluetoothGattCharacteristic.WRITE_TYPE_NO_RESPONSE, "write without response")

    private suspend fun write(characteristic: UUID, value: ByteArray, type: Int, what: String) {
        await("$what $characteristic", Awaited(Kind.Write, characteristic)) {
            // Looked up inside the operation: a write queued behind the connection sees the discovered services.
            val c = characteristic(characteristic)
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
        await("subscribe $characteristic", Awaited(Kind.Subscription, characteristic)) {
            val c = characteristic(characteristic)
            val g = connected()
            check(g.setCharacteristicNotification(c, true)) { "notifications of $characteristic could not be enabled" }
            val cccd = c.getDescriptor(CCCD) ?: throw IllegalStateException("$characteristic has no CCCD")
            // Indications when the characteristic offers them (acknowledged: the sensor's control point).
            val value = if (c.properties and BluetoothGattCharacteristic.PROPERTY_INDICATE != 0) {
                BluetoothGattDescriptor.ENABLE_INDICATION_VALUE
            } else {
                BluetoothGattDescriptor.ENABLE_NOTIFICATION_VALUE
            }
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

    internal companion object {
        const val DEFAULT_MTU = 23
        const val MAX_MTU = 517
        val CCCD: UUID = UUID.fromString("00002902-0000-1000-8000-00805f9b34fb")
    }
}
