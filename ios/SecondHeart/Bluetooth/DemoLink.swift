import Foundation

/// A link to the core's simulated sensor (`DemoSensor`), byte for byte: the
/// demo mode pairs and syncs it where there is no sensor (and in the
/// simulator, which has no Bluetooth). Each notification takes `pace`
/// seconds, as over a radio, so the progress bar and Cancel can be seen.
final class DemoLink: BleLink, @unchecked Sendable {
    /// The demo sensor's address.
    static let address = "demo"
    private let sensor: DemoSensor
    private let pace: TimeInterval
    private let lock = NSLock()
    private var connected = false
    private var queued: [BleLinkEvent] = []

    init(sensor: DemoSensor, pace: TimeInterval = 0.02) {
        self.sensor = sensor
        self.pace = pace
    }

    private func requireConnected() throws {
        lock.lock()
        defer { lock.unlock() }
        if !connected { throw BleLinkError.Failed(reason: "not connected") }
    }

    /// Moves what the sensor has to send into the queue of events.
    private func collect() {
        lock.lock()
        defer { lock.unlock() }
        while connected, let out = sensor.takeOutgoing() {
            queued.append(.notification(characteristic: out.characteristic, value: out.value))
        }
    }

    func connect() async throws {
        lock.lock()
        connected = true
        lock.unlock()
        sensor.setMtu(mtu: 247)
    }

    func mtu() -> UInt16 { 247 }

    /// Runs a request on the simulated sensor; its refusal is a link failure, as over a radio.
    private func request<T>(_ work: () throws -> T) throws -> T {
        try requireConnected()
        do {
            return try work()
        } catch {
            throw BleLinkError.Failed(reason: userReason(error))
        }
    }

    func read(characteristic: String) async throws -> Data {
        try request { try sensor.read(characteristic: characteristic) }
    }

    func write(characteristic: String, value: Data) async throws {
        try request { try sensor.write(characteristic: characteristic, value: value) }
        collect()
    }

    func writeWithoutResponse(characteristic: String, value: Data) async throws {
        try await write(characteristic: characteristic, value: value)
    }

    func subscribe(characteristic: String) async throws {
        try request { try sensor.subscribe(characteristic: characteristic) }
    }

    func nextEvent() async throws -> BleLinkEvent {
        while true {
            try Task.checkCancellation()
            collect()
            lock.lock()
            let next = queued.isEmpty ? nil : queued.removeFirst()
            lock.unlock()
            try await Task.sleep(nanoseconds: UInt64((next == nil ? 0.05 : pace) * 1_000_000_000))
            if let next { return next }
        }
    }

    func disconnect() async throws {
        lock.lock()
        let was = connected
        connected = false
        queued = []
        lock.unlock()
        if was { sensor.disconnect() }
    }
}
