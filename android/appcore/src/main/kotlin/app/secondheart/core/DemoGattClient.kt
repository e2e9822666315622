package app.secondheart.core

import java.util.UUID
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.produce
import kotlinx.coroutines.delay
import kotlinx.coroutines.channels.ReceiveChannel
import uniffi.second_heart.DemoSensor

/**
 * A GATT link to the simulated sensor, byte for byte: reads, writes and
 * subscriptions go to the Rust [DemoSensor], whose notifications are
 * delivered in order. The apps' demo mode pairs and syncs it; tests use it
 * to drop the link after a number of record notifications, as a phone
 * walking out of range does. With [paceMillis] each notification takes
 * that long to arrive, as over a real radio, so a sync can be watched.
 */
@OptIn(kotlinx.coroutines.ExperimentalCoroutinesApi::class)
class DemoGattClient(
    private val sensor: DemoSensor,
    override val mtu: Int = 247,
    private var dropLinkAfterRecordNotifications: Int? = null,
    paceMillis: Long = 0,
) : GattClient {
    private val raw = Channel<GattEvent>(Channel.UNLIMITED)
    override val events: ReceiveChannel<GattEvent> =
        if (paceMillis <= 0) {
            raw
        } else {
            CoroutineScope(Dispatchers.Default).produce(capacity = Channel.UNLIMITED) {
                for (event in raw) {
                    delay(paceMillis)
                    send(event)
                }
            }
        }
    private var connected = false
    var connections = 0
        private set

    override suspend fun connect() {
        connected = true
        connections++
        sensor.setMtu(mtu.toUShort())
    }

    override suspend fun read(characteristic: UUID): ByteArray {
        check(connected) { "not connected" }
        return sensor.read(characteristic.toString())
    }

    override suspend fun write(characteristic: UUID, value: ByteArray) {
        check(connected) { "not connected" }
        sensor.write(characteristic.toString(), value)
        deliver()
    }

    override suspend fun writeWithoutResponse(characteristic: UUID, value: ByteArray) {
        check(connected) { "not connected" }
        writesWithoutResponse++
        sensor.write(characteristic.toString(), value)
        deliver()
    }

    /** Writes made without response, for tests. */
    var writesWithoutResponse = 0
        private set

    override suspend fun enableNotifications(characteristic: UUID) {
        check(connected) { "not connected" }
        sensor.subscribe(characteristic.toString())
    }

    override suspend fun disconnect() {
        if (connected) dropLink()
    }

    private fun deliver() {
        while (connected) {
            val out = sensor.takeOutgoing() ?: return
            val uuid = UUID.fromString(out.characteristic)
            if (uuid == RECORD) {
                val left = dropLinkAfterRecordNotifications
                if (left != null) {
                    if (left == 0) {
                        dropLinkAfterRecordNotifications = null
                        dropLink()
                        return
                    }
                    dropLinkAfterRecordNotifications = left - 1
                }
            }
            raw.trySend(GattEvent.Value(uuid, out.value))
        }
    }

    private fun dropLink() {
        connected = false
        sensor.disconnect()
        raw.trySend(GattEvent.Disconnected)
    }

    companion object {
        val RECORD: UUID = UUID.fromString("a7c00005-3b1d-4e62-8f4e-5365636f6e64")
    }
}
