package app.secondheart.ui

import app.secondheart.core.DemoGattClient
import app.secondheart.core.GattClient
import app.secondheart.core.GattEvent
import app.secondheart.core.PlatformBleLink
import app.secondheart.state.DemoRadio
import app.secondheart.state.SensorRadio
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ReceiveChannel
import kotlinx.coroutines.channels.produce
import uniffi.second_heart.BleLink

/**
 * The demo sensor's radio with a hand on its next link: [holdNextLink]
 * lets that link pass a number of record notifications and then holds the
 * rest until [Hold.release]. A test can so cancel a sync part-way through
 * however fast or slow the machine is: no race against the clock.
 */
class HeldRadio(private val demo: DemoRadio) : SensorRadio by demo {
    @Volatile
    private var next: Hold? = null

    /** The next link passes [recordNotifications] record notifications, then holds. */
    fun holdNextLink(recordNotifications: Int): Hold = Hold(recordNotifications).also { next = it }

    override fun link(id: String): BleLink {
        val hold = next ?: return demo.link(id)
        next = null
        return PlatformBleLink(HeldGattClient(DemoGattClient(demo.sensor), hold))
    }
}

/** Where a held link stops: after [passing] record notifications, until [release]. */
class Hold(private val passing: Int) {
    private val arrived = AtomicInteger()
    private val opened = CompletableDeferred<Unit>()

    /** A record notification is being held back. */
    val holding: Boolean get() = arrived.get() > passing && !opened.isCompleted

    internal suspend fun pass() {
        if (arrived.incrementAndGet() > passing) opened.await()
    }

    /** Lets the rest through. */
    fun release() {
        opened.complete(Unit)
    }
}

/**
 * [inner], its record notifications passed through [hold]. The link may
 * drop and reconnect while held (the sync's idle timeout): the events keep
 * their order across it, as over a real radio.
 */
@OptIn(ExperimentalCoroutinesApi::class)
private class HeldGattClient(private val inner: GattClient, private val hold: Hold) : GattClient by inner {
    override val events: ReceiveChannel<GattEvent> = CoroutineScope(Dispatchers.Default).produce(capacity = Channel.UNLIMITED) {
        for (event in inner.events) {
            if (event is GattEvent.Value && event.characteristic == DemoGattClient.RECORD) hold.pass()
            send(event)
        }
    }
}
