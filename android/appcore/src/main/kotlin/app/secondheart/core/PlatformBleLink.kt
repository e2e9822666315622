package app.secondheart.core

import java.util.UUID
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import uniffi.second_heart.BleLink
import uniffi.second_heart.BleLinkEvent
import uniffi.second_heart.BleLinkException
import uniffi.second_heart.SecondHeartException

/**
 * The Rust core's [BleLink] over a platform [GattClient]. One GATT
 * operation is in flight at a time; platform failures become
 * [BleLinkException.Failed] with the platform's message. Timeouts and
 * retries are the core's job.
 */
class PlatformBleLink(private val client: GattClient) : BleLink {
    private val oneAtATime = Mutex()

    private suspend fun <T> gatt(what: String, operation: suspend () -> T): T =
        oneAtATime.withLock {
            try {
                operation()
            } catch (e: BleLinkException) {
                throw e
            } catch (e: kotlinx.coroutines.CancellationException) {
                throw e
            } catch (e: Exception) {
                // The core's words are its toString(); its message only lists the fields.
                throw BleLinkException.Failed("$what: ${if (e is SecondHeartException) e.toString() else e.message ?: e.javaClass.simpleName}")
            }
        }

    override suspend fun connect() = gatt("connecting") { client.connect() }

    override fun mtu(): UShort = client.mtu.coerceIn(23, 517).toUShort()

    override suspend fun read(characteristic: String): ByteArray =
        gatt("reading $characteristic") { client.read(UUID.fromString(characteristic)) }

    override suspend fun write(characteristic: String, value: ByteArray) =
        gatt("writing $characteristic") { client.write(UUID.fromString(characteristic), value) }

    override suspend fun writeWithoutResponse(characteristic: String, value: ByteArray) =
        gatt("writing $characteristic without response") {
            client.writeWithoutResponse(UUID.fromString(characteristic), value)
        }

    override suspend fun subscribe(characteristic: String) =
        gatt("subscribing to $characteristic") { client.enableNotifications(UUID.fromString(characteristic)) }

    override suspend fun nextEvent(): BleLinkEvent =
        when (val event = client.events.receive()) {
            is GattEvent.Value -> BleLinkEvent.Notification(event.characteristic.toString(), event.value)
            GattEvent.Disconnected -> BleLinkEvent.Disconnected
        }

    override suspend fun disconnect() = gatt("disconnecting") { client.disconnect() }
}
