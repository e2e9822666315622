package app.secondheart.core

import java.util.UUID
import kotlinx.coroutines.channels.ReceiveChannel

/** What arrives unasked from a connected sensor. */
sealed interface GattEvent {
    /** A notification or indication. */
    class Value(val characteristic: UUID, val value: ByteArray) : GattEvent

    /** The link dropped. */
    data object Disconnected : GattEvent
}

/**
 * One sensor as a platform Bluetooth stack offers it, in coroutine form.
 * On Android, `AndroidGattClient` wraps `BluetoothGatt` and its callbacks;
 * in tests, a fake replays the simulated sensor. Callers run one operation
 * at a time (see [PlatformBleLink]), as Android's GATT requires.
 */
interface GattClient {
    /** The negotiated ATT MTU (23 until known). */
    val mtu: Int

    /** Notifications, indications and the disconnect, in arrival order. */
    val events: ReceiveChannel<GattEvent>

    /** Connects, asks for a large MTU, and discovers services. */
    suspend fun connect()

    /** Reads a characteristic. */
    suspend fun read(characteristic: UUID): ByteArray

    /** Writes a characteristic, with response. */
    suspend fun write(characteristic: UUID, value: ByteArray)

    /** Writes a characteristic without response (no acknowledgement). */
    suspend fun writeWithoutResponse(characteristic: UUID, value: ByteArray)

    /** Enables notifications or indications (writes the CCCD). */
    suspend fun enableNotifications(characteristic: UUID)

    /** Drops the link. */
    suspend fun disconnect()
}
